// Cluster bench: what crossing nodes through Redis costs, against
// one node with the in-process hub, same load, alternating rounds.
//
//   benchCluster(): Promise<Record<string, number>>
//
// Starts its own redis-server (test/helpers/redis.ts: a free loopback port,
// no persistence), so it needs `redis-server` on PATH (or REDIS_SERVER); it
// throws if there is none. Servers, clients and the load run in this process.
// - throughput: one sender pipelines `messages` chat messages; `receivers`
//   clients read them, all on the sender's node (single) or all on another
//   node (cluster: every message goes through Redis pub/sub). Figure: messages
//   delivered per second, counted at the receivers, first send to last receipt.
// - latency: one message at a time, send to receipt on the other client,
//   `samples` times; p50 and p99 in ms. "added" = cluster minus single.
// Returned keys: single_delivered_per_s, cluster_delivered_per_s,
// cluster_throughput_ratio (cluster / single), single_p50_ms, single_p99_ms,
// cluster_p50_ms, cluster_p99_ms, added_p50_ms, added_p99_ms, rounds.
import net from 'node:net';
import {RedisHub} from '../source/server/redis/redis-hub.js';
import {startServer, type ChatServer} from '../source/server/server.js';
import {startRedis} from '../test/helpers/redis.js';
import {median, percentile} from './stats.js';

export type ClusterBenchOptions = {messages: number; receivers: number; samples: number; rounds: number; timeoutMs: number};

export const DEFAULT_CLUSTER_BENCH: ClusterBenchOptions = {messages: 20_000, receivers: 10, samples: 500, rounds: 3, timeoutMs: 60_000};

/** A bare client: connects under a name, counts message events, reports each one's text. */
type BenchClient = {socket: net.Socket; received: number; onMessage?: (text: string) => void};

async function openClient(port: number, name: string): Promise<BenchClient> {
	const socket = net.connect({port, host: '127.0.0.1'});
	socket.setNoDelay(true);
	const client: BenchClient = {socket, received: 0};
	let tail = '';
	let welcomed!: () => void;
	const welcome = new Promise<void>(resolve => {
		welcomed = resolve;
	});
	socket.setEncoding('utf8');
	socket.on('data', (chunk: string) => {
		const lines = (tail + chunk).split('\n');
		tail = lines.pop()!;
		for (const line of lines) {
			if (line.startsWith('{"cmd":"message"')) {
				client.received++;
				if (client.onMessage) client.onMessage((JSON.parse(line) as {msg: string}).msg);
			} else if (line.includes('"success":true')) welcomed();
		}
	});
	socket.write(JSON.stringify({cmd: 'connect', username: name}) + '\n');
	await welcome;
	return client;
}

type Room = {senderPort: number; receiverPort: number; close(): Promise<void>};

async function singleRoom(): Promise<Room> {
	const server = await startServer({port: 0, rate: 0, quiet: true, maxSendQueueBytes: 64 * 1024 * 1024});
	return {senderPort: server.port, receiverPort: server.port, close: async () => server.close()};
}

async function clusterRoom(url: string, round: number): Promise<Room> {
	const options = {prefix: `bench${round}:`, log() {}};
	const hubs = [await RedisHub.connect(url, options), await RedisHub.connect(url, options)];
	const servers: ChatServer[] = [];
	for (const hub of hubs) servers.push(await startServer({port: 0, rate: 0, quiet: true, hub, maxSendQueueBytes: 64 * 1024 * 1024}));
	return {
		senderPort: servers[0]!.port,
		receiverPort: servers[1]!.port,
		async close() {
			await Promise.all(servers.map(async server => server.close()));
			await Promise.all(hubs.map(async hub => hub.close()));
		},
	};
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`cluster bench: timed out waiting for ${what}`);
		await new Promise(resolve => setImmediate(resolve));
	}
}

async function throughput(room: Room, options: ClusterBenchOptions): Promise<number> {
	const receivers: BenchClient[] = [];
	for (let index = 0; index < options.receivers; index++) receivers.push(await openClient(room.receiverPort, `r${index}`));
	const sender = await openClient(room.senderPort, 'sender');
	const line = (index: number) => JSON.stringify({cmd: 'msg', msg: `message ${index} of the cluster bench`}) + '\n';
	const start = performance.now();
	const batch = 200;
	for (let index = 0; index < options.messages; index += batch) {
		let chunk = '';
		for (let offset = index; offset < Math.min(options.messages, index + batch); offset++) chunk += line(offset);
		// Respect backpressure, as a real sender would.
		if (!sender.socket.write(chunk)) await new Promise(resolve => sender.socket.once('drain', resolve));
	}

	await until(() => receivers.every(client => client.received >= options.messages), options.timeoutMs, 'all messages');
	const seconds = (performance.now() - start) / 1000;
	for (const client of [sender, ...receivers]) client.socket.destroy();
	return (options.messages * options.receivers) / seconds;
}

async function latency(room: Room, options: ClusterBenchOptions): Promise<number[]> {
	const receiver = await openClient(room.receiverPort, 'listener');
	const sender = await openClient(room.senderPort, 'talker');
	const samples: number[] = [];
	for (let index = 0; index < options.samples; index++) {
		const text = `ping ${index}`;
		await new Promise<void>((resolve, reject) => {
			const sent = performance.now();
			const timer = setTimeout(() => reject(new Error('cluster bench: a ping was lost')), 5000);
			receiver.onMessage = received => {
				if (received !== text) return;
				clearTimeout(timer);
				samples.push(performance.now() - sent);
				resolve();
			};

			sender.socket.write(JSON.stringify({cmd: 'msg', msg: text}) + '\n');
		});
	}

	sender.socket.destroy();
	receiver.socket.destroy();
	return samples;
}

export async function benchCluster(partial: Partial<ClusterBenchOptions> = {}): Promise<Record<string, number>> {
	const options = {...DEFAULT_CLUSTER_BENCH, ...partial};
	const redis = await startRedis();
	const rates: Record<'single' | 'cluster', number[]> = {single: [], cluster: []};
	const pings: Record<'single' | 'cluster', number[]> = {single: [], cluster: []};
	try {
		for (let round = 0; round < options.rounds; round++) {
			const kinds = round % 2 === 0 ? (['single', 'cluster'] as const) : (['cluster', 'single'] as const);
			for (const kind of kinds) {
				globalThis.gc?.();
				const room = kind === 'single' ? await singleRoom() : await clusterRoom(redis.url, round);
				try {
					rates[kind].push(await throughput(room, options));
					pings[kind].push(...(await latency(room, options)));
				} finally {
					await room.close();
				}
			}
		}
	} finally {
		await redis.kill();
	}

	const round2 = (value: number) => Math.round(value * 1000) / 1000;
	const single = median(rates.single);
	const cluster = median(rates.cluster);
	const singleP50 = percentile(pings.single, 50);
	const clusterP50 = percentile(pings.cluster, 50);
	const singleP99 = percentile(pings.single, 99);
	const clusterP99 = percentile(pings.cluster, 99);
	return {
		single_delivered_per_s: Math.round(single),
		cluster_delivered_per_s: Math.round(cluster),
		cluster_throughput_ratio: round2(cluster / single),
		single_p50_ms: round2(singleP50),
		single_p99_ms: round2(singleP99),
		cluster_p50_ms: round2(clusterP50),
		cluster_p99_ms: round2(clusterP99),
		added_p50_ms: round2(clusterP50 - singleP50),
		added_p99_ms: round2(clusterP99 - singleP99),
		rounds: options.rounds,
	};
}
