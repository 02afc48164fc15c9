// One way for a store to open its own Redis client: fail fast instead of
// queueing commands while Redis is away (the callers answer `unavailable`),
// and say in one line what to do when Redis is not there at start-up.
import type {Redis, RedisOptions} from 'ioredis';
import {StoreError} from './message-log.js';

export type StoreRedisTimeouts = {commandTimeoutMs: number; startTimeoutMs: number};

/** Loads ioredis, connects a client named `connectionName` and waits until Redis answers. */
export async function connectStoreRedis(url: string, connectionName: string, timeouts: StoreRedisTimeouts): Promise<Redis> {
	const {Redis: RedisClass} = await import('ioredis');
	const connection: RedisOptions = {
		lazyConnect: true,
		enableOfflineQueue: false,
		autoResendUnfulfilledCommands: false,
		maxRetriesPerRequest: 1,
		commandTimeout: timeouts.commandTimeoutMs,
		connectTimeout: timeouts.startTimeoutMs,
		retryStrategy: times => Math.min(times * 100, 2000),
		connectionName,
	};
	const redis = new RedisClass(url, connection);
	// ioredis reports each failed reconnect here; the calls that fail say it to their callers.
	redis.on('error', () => {});
	try {
		await redis.connect();
	} catch (error) {
		redis.disconnect();
		throw new StoreError('unavailable', `cannot reach Redis at ${url} (${(error as Error).message}): start it, or check --redis`, {cause: error});
	}

	return redis;
}
