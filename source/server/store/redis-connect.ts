// How the server reaches Redis: `--redis` is one URL or comma-separated seed
// URLs. The first seed that answers says whether it is a Redis Cluster node
// (`INFO cluster` → `cluster_enabled:1`); then every client is an ioredis
// Cluster over the seeds (sharded pub/sub through the shard that owns each
// channel), else a plain client of the one server, as before.
import type {Cluster, Redis, RedisOptions} from 'ioredis';
import {StoreError} from './message-log.js';

/** What every caller talks to: one redis-server or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

export type RedisTopology = {kind: 'single'; url: string} | {kind: 'cluster'; seeds: string[]};

export type StoreRedisTimeouts = {commandTimeoutMs: number; startTimeoutMs: number};

/** The URLs of a `--redis` value; throws on an empty list or a URL that is not redis:// or rediss://. */
export function redisSeeds(spec: string): string[] {
	const seeds = spec.split(',').map(seed => seed.trim()).filter(seed => seed !== '');
	if (seeds.length === 0) throw new Error('no Redis URL given');
	const bad = seeds.find(seed => !/^rediss?:\/\//.test(seed));
	if (bad !== undefined) throw new Error(`"${redactRedisUrl(bad)}" is not a redis:// or rediss:// URL`);
	return seeds;
}

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(unparsable URL)';
	}
}

/** Asks the seeds in turn whether they are a cluster; rejects when none answers within `timeoutMs` each. */
export async function detectTopology(spec: string, timeoutMs: number): Promise<RedisTopology> {
	const seeds = redisSeeds(spec);
	const {Redis: RedisClass} = await import('ioredis');
	let lastError: unknown;
	for (const seed of seeds) {
		const probe = new RedisClass(seed, {lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, commandTimeout: timeoutMs, retryStrategy: () => null});
		probe.on('error', () => {});
		try {
			await probe.connect();
			const info = await probe.info('cluster');
			return /^cluster_enabled:1\b/m.test(info) ? {kind: 'cluster', seeds} : {kind: 'single', url: seed};
		} catch (error) {
			lastError = error;
		} finally {
			probe.disconnect();
		}
	}

	throw new Error(`cannot reach Redis at ${seeds.map(redactRedisUrl).join(', ')} (${(lastError as Error).message})`);
}

/**
 * A client of the topology; `options` apply to each connection (for a
 * cluster, to each node's). A cluster client listens to sharded channels
 * on the shard that owns them and follows failovers by itself.
 */
export async function createRedisClient(topology: RedisTopology, options: RedisOptions): Promise<RedisClient> {
	const {Redis: RedisClass, Cluster: ClusterClass} = await import('ioredis');
	switch (topology.kind) {
		case 'single': {
			return new RedisClass(topology.url, options);
		}

		case 'cluster': {
			const first = new URL(topology.seeds[0]!);
			const credentials: RedisOptions = {
				...(first.username ? {username: decodeURIComponent(first.username)} : {}),
				...(first.password ? {password: decodeURIComponent(first.password)} : {}),
				...(first.protocol === 'rediss:' ? {tls: {}} : {}),
			};
			const {enableOfflineQueue, lazyConnect, retryStrategy, ...perNode} = options;
			return new ClusterClass(topology.seeds.map(seed => {
				const url = new URL(seed);
				return {host: url.hostname, port: Number(url.port || 6379)};
			}), {
				redisOptions: {...perNode, ...credentials},
				shardedSubscribers: true,
				...(enableOfflineQueue === undefined ? {} : {enableOfflineQueue}),
				...(lazyConnect === undefined ? {} : {lazyConnect}),
				clusterRetryStrategy: retryStrategy ? times => retryStrategy(times) ?? null : undefined,
				// A failover moves slots: ask again soon rather than give up. A client that only
				// listens meets no MOVED reply, so the slot map is also refreshed every second
				// (that is what moves its sharded subscriptions to a new master).
				slotsRefreshInterval: 1000,
				retryDelayOnFailover: 100,
				retryDelayOnClusterDown: 100,
				slotsRefreshTimeout: options.connectTimeout ?? 5000,
			});
		}

		default: {
			const unknown: never = topology;
			throw new Error(`unknown Redis topology ${String(unknown)}`);
		}
	}
}

/** True for a Redis Cluster client. */
export function isCluster(redis: RedisClient): redis is Cluster {
	return 'isCluster' in redis && redis.isCluster;
}

/** Loads ioredis, connects a client named `connectionName` and waits until Redis answers. */
export async function connectStoreRedis(spec: string, connectionName: string, timeouts: StoreRedisTimeouts): Promise<RedisClient> {
	let redis: RedisClient | undefined;
	try {
		const topology = await detectTopology(spec, timeouts.startTimeoutMs);
		redis = await createRedisClient(topology, {
			// Fail fast instead of queueing commands while Redis is away (the callers answer `unavailable`).
			lazyConnect: true,
			enableOfflineQueue: false,
			autoResendUnfulfilledCommands: false,
			maxRetriesPerRequest: 1,
			commandTimeout: timeouts.commandTimeoutMs,
			connectTimeout: timeouts.startTimeoutMs,
			retryStrategy: times => Math.min(times * 100, 2000),
			connectionName,
		});
		// ioredis reports each failed reconnect here; the calls that fail say it to their callers.
		redis.on('error', () => {});
		await redis.connect();
		return redis;
	} catch (error) {
		redis?.disconnect();
		throw new StoreError('unavailable', `${(error as Error).message}: start it, or check --redis`, {cause: error});
	}
}
