// The lock-out counters of a cluster, in Redis, so that a guesser cannot
// spread guesses over the nodes. Each key is a hash {failures, until} whose
// TTL forgets it; the count is a HINCRBY, so failures on two nodes at once
// are both counted (the lock written last wins, and both writers computed it
// from a count at least as high as any before).
import type {RedisClient} from '../store/redis-connect.js';
import {afterFailure, keepFor, type LockoutPolicy, type LockoutStore, type LockRecord} from './lockout.js';
import {redisCall, redisExec} from './redis-errors.js';


export class RedisLockoutStore implements LockoutStore {
	readonly #redis: RedisClient;
	readonly #prefix: string;

	/** `redis` is owned by the caller (close() leaves it open). */
	constructor(redis: RedisClient, prefix = 'codechat:') {
		this.#redis = redis;
		this.#prefix = `${prefix}lock:`;
	}

	async read(keys: readonly string[]): Promise<Array<LockRecord | undefined>> {
		// Each key in its own slot (a Redis Cluster spreads them): one read each, sent together.
		const replies = await redisCall(async () => Promise.all(keys.map(async key => this.#redis.hmget(this.#prefix + key, 'failures', 'until'))));
		return replies.map(([failures, until]) => (failures === null ? undefined : {failures: Number(failures), lockedUntil: Number(until ?? 0)}));
	}

	async fail(key: string, now: number, policy: LockoutPolicy): Promise<LockRecord> {
		const redisKey = this.#prefix + key;
		// The longest keep-time goes on with the count, so a node dying before the second step leaves no key without a TTL.
		const [[, count]] = await redisExec(this.#redis.multi().hincrby(redisKey, 'failures', 1).pexpire(redisKey, policy.maxWaitMs + policy.forgetAfterMs));
		const record = afterFailure(Number(count), now, policy);
		await redisExec(this.#redis.multi().hset(redisKey, 'until', record.lockedUntil).pexpire(redisKey, keepFor(record.failures, policy)));
		return record;
	}

	async clear(key: string): Promise<void> {
		await redisCall(async () => this.#redis.del(this.#prefix + key));
	}

	async close(): Promise<void> {}
}
