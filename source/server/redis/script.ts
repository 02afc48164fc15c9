// A Lua script run by EVALSHA, and loaded with EVAL when Redis does not know
// it (e.g. after a restart), so a script costs its hash on the wire, not its source.
import {createHash} from 'node:crypto';
import type {RedisClient} from '../store/redis-connect.js';

export class Script {
	readonly #source: string;
	readonly #sha: string;
	readonly #keyCount: number;

	constructor(keyCount: number, source: string) {
		this.#source = source;
		this.#keyCount = keyCount;
		this.#sha = createHash('sha1').update(source).digest('hex');
	}

	async run(redis: RedisClient, keys: string[], args: Array<string | Buffer | number>): Promise<unknown> {
		if (keys.length !== this.#keyCount) throw new Error(`script wants ${this.#keyCount} keys, got ${keys.length}`);
		try {
			return await redis.evalsha(this.#sha, this.#keyCount, ...keys, ...args);
		} catch (error) {
			if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
			return redis.eval(this.#source, this.#keyCount, ...keys, ...args);
		}
	}
}
