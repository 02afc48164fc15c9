// The join storm: `clients` connections joining at once (256 in flight), on
// one node, or split evenly over two nodes sharing one redis-server. Every
// join is announced to everyone already there, so the bytes grow with the
// square of the clients; the CPU per join should grow only with its bytes.
// Each node and each client swarm is its own process (scale-server.ts,
// scale-clients.ts); the CPU counted is the nodes' and Redis's.
import os from 'node:os';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {nextMessage, spawnBenchChild, stopChild} from './child.js';
import {cpuMs} from './proc.js';

export type JoinStormRun = {
	nodes: 1 | 2;
	clients: number;
	welcomed: number;
	/** From the first connect to the last welcome. */
	seconds: number;
	/** Until the last announcement had arrived everywhere (nothing more for 0.5 s, less those 0.5 s). */
	drainedSeconds: number;
	/** The nodes' CPU, plus Redis's with two nodes, over the storm. */
	cpuSeconds: number;
	/** What the clients received, announcements included. */
	bytes: number;
	loadAverage: number;
};

const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

type Connected = {count: number; seconds: number; quietSeconds: number; bytes: number};

async function redisCpuSeconds(redis: Redis | undefined): Promise<number> {
	if (!redis) return 0;
	const info = await redis.info('cpu');
	const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
	return field('used_cpu_user') + field('used_cpu_sys');
}

/** One storm; `redisUrl` is needed for two nodes (each run uses its own key prefix). */
export async function runJoinStorm(nodes: 1 | 2, clients: number, redisUrl?: string): Promise<JoinStormRun> {
	const prefix = `storm${Date.now()}:`;
	const servers = Array.from({length: nodes}, () => spawnBenchChild(script('bench-scale-server.mjs'), nodes === 1 ? ['reference'] : ['redis', redisUrl!, prefix]));
	const swarms: Array<ReturnType<typeof spawnBenchChild>> = [];
	const redis = nodes === 2 ? new Redis(redisUrl!) : undefined;
	try {
		const ports = await Promise.all(servers.map(async server => (await nextMessage<{port: number}>(server, 'listening', 30_000)).port));
		const cpuBefore = servers.reduce((sum, server) => sum + cpuMs(server.pid!), 0) / 1000 + (await redisCpuSeconds(redis));
		const loadAverage = os.loadavg()[0]!;
		const share = Math.ceil(clients / nodes);
		// Node n's swarm: names `n<i>`, source addresses from 127.0.0.(2 + 20 n) on (5,000 per address).
		for (const [index, port] of ports.entries()) swarms.push(spawnBenchChild(script('bench-scale-clients.mjs'), [String(port), String(share), `n${index}x`, String(2 + 20 * index)]));
		const connected = await Promise.all(swarms.map(async swarm => nextMessage<Connected>(swarm, 'connected')));
		const cpuAfter = servers.reduce((sum, server) => sum + cpuMs(server.pid!), 0) / 1000 + (await redisCpuSeconds(redis));
		return {
			nodes,
			clients: share * nodes,
			welcomed: connected.reduce((sum, swarm) => sum + swarm.count, 0),
			seconds: Math.max(...connected.map(swarm => swarm.seconds)),
			drainedSeconds: Math.max(...connected.map(swarm => swarm.quietSeconds)) - 0.5,
			cpuSeconds: cpuAfter - cpuBefore,
			bytes: connected.reduce((sum, swarm) => sum + swarm.bytes, 0),
			loadAverage,
		};
	} finally {
		redis?.disconnect();
		for (const swarm of swarms) await stopChild(swarm);
		for (const server of servers) await stopChild(server);
	}
}
