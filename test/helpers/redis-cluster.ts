// A throwaway Redis Cluster for tests: six Debian redis-servers (three
// masters, one replica each) on free loopback ports, each in its own temp
// dir, joined by `redis-cli --cluster create`. Start one per test file:
//
//   const cluster = await startRedisCluster();
//   ... RedisHub.connect(cluster.url) ...   // url: the comma-separated seeds
//   afterAll(stopRedisServers);
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {Redis} from 'ioredis';
import {startRedis, type RedisServer} from './redis.js';

const REDIS_CLI = process.env.REDIS_CLI ?? 'redis-cli';
/** Short, so that a killed master is replaced within a couple of seconds (the failover stress test). */
const NODE_TIMEOUT_MS = 1500;
const run = promisify(execFile);

export type RedisClusterServers = {
	/** The seeds, comma-separated, as `--redis` takes them. */
	readonly url: string;
	readonly servers: readonly RedisServer[];
	/** The server that is master of `key`'s slot now. */
	masterOf(key: string): Promise<RedisServer>;
	/** Until every running server reports `cluster_state:ok`. */
	waitHealthy(timeoutMs?: number): Promise<void>;
};

export async function startRedisCluster(): Promise<RedisClusterServers> {
	const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(NODE_TIMEOUT_MS), '--cluster-replica-validity-factor', '0'];
	const servers = await Promise.all(Array.from({length: 6}, async () => startRedis(args)));
	await run(REDIS_CLI, ['--cluster', 'create', ...servers.map(server => `127.0.0.1:${server.port}`), '--cluster-replicas', '1', '--cluster-yes']);
	const ask = async <T>(server: RedisServer, query: (redis: Redis) => Promise<T>): Promise<T> => {
		const redis = new Redis(server.port, '127.0.0.1', {lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null});
		redis.on('error', () => {});
		try {
			await redis.connect();
			return await query(redis);
		} finally {
			redis.disconnect();
		}
	};

	const cluster: RedisClusterServers = {
		url: servers.map(server => server.url).join(','),
		servers,
		async masterOf(key) {
			const live = servers.find(server => server.running)!;
			const [slot, ranges] = await ask(live, async redis => Promise.all([redis.cluster('KEYSLOT', key), redis.cluster('SLOTS')]));
			const range = ranges.find(([from, to]) => slot >= from && slot <= to);
			const master = range && servers.find(server => server.port === range[2]?.[1]);
			if (!master) throw new Error(`no master serves slot ${slot}`);
			return master;
		},
		async waitHealthy(timeoutMs = 20_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const states = await Promise.all(servers.filter(server => server.running).map(async server => ask(server, async redis => String(await redis.cluster('INFO'))).catch(() => '')));
				if (states.every(state => state.includes('cluster_state:ok'))) return;
				if (Date.now() > deadline) throw new Error(`the Redis Cluster is not healthy after ${timeoutMs} ms`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		},
	};
	await cluster.waitHealthy();
	return cluster;
}
