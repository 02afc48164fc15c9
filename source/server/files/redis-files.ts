// `--redis URL`: each room's file in Redis, shared by every node; the
// compare-and-set runs in a Lua script (redis-files-script.ts). While Redis is
// unreachable, calls fail at once with `unavailable`.
import {StoreError} from '../store/message-log.js';
import {connectStoreRedis, type RedisClient} from '../store/redis-connect.js';
import {withDefaults} from '../store/with-defaults.js';
import type {FileStore, FileUpdate, FileUpdateOutcome, SharedFile} from './file-store.js';
import {fileKey, UPDATE_FILE_SCRIPT} from './redis-files-script.js';

export type RedisFileStoreOptions = {
	/** Prefix of every key. @default 'codechat:' */
	prefix: string;
	/** A Redis call taking longer fails with `unavailable`. @default 2000 */
	commandTimeoutMs: number;
	/** How long `connect` waits for Redis. @default 5000 */
	startTimeoutMs: number;
	/** The `retry` (seconds) given with `unavailable`. @default 2 */
	retrySeconds: number;
	now: () => number;
};

const DEFAULTS: RedisFileStoreOptions = {prefix: 'codechat:', commandTimeoutMs: 2000, startTimeoutMs: 5000, retrySeconds: 2, now: Date.now};

type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

export class RedisFileStore implements FileStore {
	readonly kind = 'redis';
	readonly #redis: RedisClient;
	readonly #owned: boolean;
	readonly #options: RedisFileStoreOptions;
	readonly #updateScript: ScriptCall;
	#closed = false;

	private constructor(redis: RedisClient, owned: boolean, options: Partial<RedisFileStoreOptions>) {
		this.#redis = redis;
		this.#owned = owned;
		this.#options = withDefaults(DEFAULTS, options);
		redis.defineCommand('codechatFileUpdate', {numberOfKeys: 1, lua: UPDATE_FILE_SCRIPT});
		this.#updateScript = (redis as unknown as Record<string, ScriptCall>).codechatFileUpdate.bind(redis);
	}

	static async connect(url: string, options: Partial<RedisFileStoreOptions> = {}): Promise<RedisFileStore> {
		const redis = await connectStoreRedis(url, 'codechat-files', withDefaults(DEFAULTS, options));
		return new RedisFileStore(redis, true, options);
	}

	/** Uses a client someone else owns (e.g. the room log's); close() leaves it open. */
	static using(redis: RedisClient, options: Partial<RedisFileStoreOptions> = {}): RedisFileStore {
		return new RedisFileStore(redis, false, options);
	}

	async get(room: string): Promise<SharedFile | null> {
		this.#checkOpen();
		const fields = await this.#call(async () => this.#redis.hgetall(fileKey(this.#options.prefix, room)));
		if (fields.version === undefined) return null;
		return {name: fields.name ?? '', msg: fields.msg ?? '', version: Number(fields.version), user: fields.user ?? '', time: Number(fields.time)};
	}

	async update({room, name, msg, base, user}: FileUpdate): Promise<FileUpdateOutcome> {
		this.#checkOpen();
		const reply = (await this.#call(async () => this.#updateScript(fileKey(this.#options.prefix, room), base, name, msg, user, this.#options.now()))) as number[];
		return reply[0] === 1 ? {outcome: 'updated', version: reply[1], time: reply[2]} : {outcome: 'conflict', version: reply[1]};
	}

	async drop(room: string): Promise<void> {
		this.#checkOpen();
		await this.#call(async () => this.#redis.del(fileKey(this.#options.prefix, room)));
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#owned) this.#redis.disconnect();
	}

	async #call<T>(call: () => Promise<T>): Promise<T> {
		try {
			return await call();
		} catch (error) {
			throw new StoreError('unavailable', `Redis did not answer (${(error as Error).message}); try again shortly`, {cause: error, retry: this.#options.retrySeconds});
		}
	}

	#checkOpen(): void {
		if (this.#closed) throw new StoreError('closed', 'the file store is closed');
	}
}
