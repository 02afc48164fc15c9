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
	/** A server that replicates `key`'s slot now. */
	replicaOf(key: string): Promise<RedisServer>;
	/** `CLUSTER FAILOVER` on a replica of `key`'s slot: it takes over from its master, which becomes its replica. */
	failover(key: string): Promise<void>;
	/** Until every running server reports `cluster_state:ok` and (`replicated`) every master has a replica in sync. */
	waitHealthy(options?: {replicated?: boolean; timeoutMs?: number}): Promise<void>;
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

	const masterOf = async (key: string): Promise<RedisServer> => {
		const live = servers.find(server => server.running)!;
		const [slot, ranges] = await ask(live, async redis => Promise.all([redis.cluster('KEYSLOT', key), redis.cluster('SLOTS')]));
		const port = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2]?.[1];
		const master = servers.find(server => server.port === port);
		if (!master) throw new Error(`no master serves slot ${slot}`);
		return master;
	};

	// Asked of the servers themselves (ROLE): CLUSTER SLOTS lists a replica only once gossip has spread it.
	const replicaOf = async (key: string): Promise<RedisServer> => {
		const master = await masterOf(key);
		for (const server of servers.filter(candidate => candidate.running)) {
			const role = (await ask(server, async redis => redis.call('ROLE'))) as [string, string, number];
			if (role[0] === 'slave' && Number(role[2]) === master.port) return server;
		}

		throw new Error(`no replica of the master on port ${master.port}`);
	};

	const cluster: RedisClusterServers = {
		url: servers.map(server => server.url).join(','),
		servers,
		masterOf,
		replicaOf,
		async failover(key) {
			await ask(await replicaOf(key), async redis => redis.cluster('FAILOVER'));
		},
		async waitHealthy({replicated = false, timeoutMs = 20_000} = {}) {
			const deadline = Date.now() + timeoutMs;
			// A master's replica is in sync once INFO lists it `state=online` (after its first full sync).
			const healthy = async (server: RedisServer) => ask(server, async redis => {
				const [cluster, replication] = await Promise.all([redis.cluster('INFO'), redis.info('replication')]);
				return String(cluster).includes('cluster_state:ok') && (!replicated || !replication.includes('role:master') || /^slave\d+:.*state=online/m.test(replication));
			}).catch(() => false);
			for (;;) {
				const states = await Promise.all(servers.filter(server => server.running).map(healthy));
				if (states.every(Boolean)) return;
				if (Date.now() > deadline) throw new Error(`the Redis Cluster is not healthy after ${timeoutMs} ms`);
				await new Promise(resolve => setTimeout(resolve, 50));
			}
		},
	};
	await cluster.waitHealthy({replicated: true});
	return cluster;
}
