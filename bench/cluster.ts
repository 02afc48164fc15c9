// Cluster bench: one node against two nodes over one redis-server, the same
// load, taking turns, each node in its own process (bench/scale-server.ts).
//
//   benchCluster(): Promise<ClusterBenchResult>
//
// BENCH_PROFILE_DIR=DIR writes each node's CPU profile there.
// Starts its own redis-server (test/helpers/redis.ts), so it needs
// `redis-server` on PATH (or REDIS_SERVER). The clients run in this process;
// the CPU counted is the nodes' (/proc/PID/stat) plus Redis's (`INFO cpu`),
// never the clients'.
// - throughput: `senders` clients pipeline `messages` chat messages in
//   #lobby (respecting backpressure), `receivers` clients read them all.
//   One node: everyone on it. Two nodes: half the senders and half the
//   receivers on each, so half of every message's deliveries cross Redis.
//   Figures: deliveries per second (first send to last receipt), and CPU
//   milliseconds per 1,000 deliveries.
// - latency: the same clients, paced at half of the one node's measured
//   deliveries per second, for `latencyMs`; every delivery's latency (the
//   send time travels in the message text; one clock, this process's).
//   p50 and p99; "added" is two nodes minus one node.
import net from 'node:net';
import os from 'node:os';
import {fileURLToPath} from 'node:url';
import {Redis} from 'ioredis';
import {startRedis} from '../test/helpers/redis.js';
import {nextMessage, spawnBenchChild, stopChild} from './child.js';
import {cpuMs} from './proc.js';
import {median, percentile} from './stats.js';

export type ClusterBenchOptions = {messages: number; senders: number; receivers: number; latencyMs: number; rounds: number; timeoutMs: number};

export const DEFAULT_CLUSTER_BENCH: ClusterBenchOptions = {messages: 20_000, senders: 2, receivers: 10, latencyMs: 3000, rounds: 3, timeoutMs: 120_000};

export type ClusterKind = 'single' | 'cluster';

export type ClusterBenchResult = {
	rounds: number;
	loadAverage: number[];
	deliveriesPerS: Record<ClusterKind, number>;
	cpuMsPer1000: Record<ClusterKind, number>;
	/** Socket writes (one per connection per flush round, and each early write of a reader past 64 KiB) per 1,000 deliveries, the nodes summed. */
	writesPer1000: Record<ClusterKind, number>;
	/** Of the cluster's CPU per 1,000 deliveries, Redis's share. */
	redisCpuMsPer1000: number;
	p50Ms: Record<ClusterKind, number>;
	p99Ms: Record<ClusterKind, number>;
	/** Deliveries per second of the latency phase (half the one node's capacity). */
	pacedPerS: number;
	lost: number;
};

const script = fileURLToPath(new URL('bench-scale-server.mjs', import.meta.url));

/** A bare client: counts message events; `onMessage` sees each one's text. */
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
			} else if (line.includes('"success-msg":"welcome')) welcomed();
		}
	});
	socket.write(JSON.stringify({cmd: 'connect', username: name}) + '\n');
	await welcome;
	return client;
}

type FlushCounts = {rounds: number; outputs: number; earlyWrites: number};

type Node = {port: number; pid: number; flushCounts(): Promise<FlushCounts>; stop(): Promise<void>};

async function startNode(args: string[]): Promise<Node> {
	// BENCH_PROFILE_DIR=DIR: each node writes a CPU profile there (`node --cpu-prof`) as it stops.
	const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
	const child = spawnBenchChild(script, args, ['--expose-gc', ...profile]);
	const {port} = await nextMessage<{port: number}>(child, 'listening', 30_000);
	return {
		port,
		pid: child.pid!,
		async flushCounts() {
			const reply = nextMessage<FlushCounts>(child, 'flush-counts', 30_000);
			child.send({type: 'flush-counts'});
			return reply;
		},
		async stop() {
			child.send({type: 'stop'});
			await nextMessage(child, 'stopped', 30_000).catch(() => {});
			await stopChild(child);
		},
	};
}

async function redisCpuMs(redis: Redis): Promise<number> {
	const info = await redis.info('cpu');
	const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
	return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

type Setup = {kind: ClusterKind; nodes: Node[]; senders: BenchClient[]; receivers: BenchClient[]; cpuMs(): Promise<{nodes: number; redis: number}>; outputs(): Promise<number>};

async function setUp(kind: ClusterKind, redisUrl: string, redis: Redis, round: number, options: ClusterBenchOptions): Promise<Setup> {
	const nodes = kind === 'single' ? [await startNode(['reference'])] : await Promise.all([0, 1].map(async () => startNode(['redis', redisUrl, `bench${round}:`])));
	const portOf = (index: number) => nodes[index % nodes.length]!.port;
	const receivers: BenchClient[] = [];
	for (let index = 0; index < options.receivers; index++) receivers.push(await openClient(portOf(index), `r${index}`));
	const senders: BenchClient[] = [];
	for (let index = 0; index < options.senders; index++) senders.push(await openClient(portOf(index), `s${index}`));
	return {
		kind,
		nodes,
		senders,
		receivers,
		async cpuMs() {
			return {nodes: nodes.reduce((sum, node) => sum + cpuMs(node.pid), 0), redis: kind === 'cluster' ? await redisCpuMs(redis) : 0};
		},
		async outputs() {
			const counts = await Promise.all(nodes.map(async node => node.flushCounts()));
			// A reader's output past 64 KiB goes out before its round ends (outbox.ts): those are socket writes too.
			return counts.reduce((sum, count) => sum + count.outputs + count.earlyWrites, 0);
		},
	};
}

async function tearDown(setup: Setup): Promise<void> {
	for (const client of [...setup.senders, ...setup.receivers]) client.socket.destroy();
	await Promise.all(setup.nodes.map(async node => node.stop()));
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`cluster bench: timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

const line = (sender: number, index: number, text = 'of the cluster bench') => JSON.stringify({cmd: 'msg', msg: `s${sender} ${index} ${text}`}) + '\n';

async function send(client: BenchClient, text: string): Promise<void> {
	if (!client.socket.write(text)) await new Promise(resolve => client.socket.once('drain', resolve));
}

/** Deliveries per second and CPU ms (nodes, Redis) per 1,000 deliveries. */
async function throughput(setup: Setup, options: ClusterBenchOptions): Promise<{perS: number; cpuPer1000: number; redisPer1000: number; writesPer1000: number}> {
	for (const client of setup.receivers) client.received = 0;
	const outputsBefore = await setup.outputs();
	const before = await setup.cpuMs();
	const start = performance.now();
	const perSender = Math.floor(options.messages / setup.senders.length);
	await Promise.all(setup.senders.map(async (client, sender) => {
		for (let index = 0; index < perSender; index += 200) {
			let chunk = '';
			for (let offset = index; offset < Math.min(perSender, index + 200); offset++) chunk += line(sender, offset);
			await send(client, chunk);
		}
	}));
	const expected = perSender * setup.senders.length;
	await until(() => setup.receivers.every(client => client.received >= expected), options.timeoutMs, 'all messages');
	const seconds = (performance.now() - start) / 1000;
	const after = await setup.cpuMs();
	const outputsAfter = await setup.outputs();
	const deliveries = expected * setup.receivers.length;
	return {
		writesPer1000: ((outputsAfter - outputsBefore) / deliveries) * 1000,
		perS: deliveries / seconds,
		cpuPer1000: ((after.nodes - before.nodes + after.redis - before.redis) / deliveries) * 1000,
		redisPer1000: ((after.redis - before.redis) / deliveries) * 1000,
	};
}

/** Every delivery's latency at `perS` deliveries a second; and how many never came. */
async function latency(setup: Setup, perS: number, options: ClusterBenchOptions): Promise<{samples: number[]; lost: number}> {
	const samples: number[] = [];
	for (const client of setup.receivers) {
		client.received = 0;
		client.onMessage = text => {
			const sent = Number(text.slice(text.lastIndexOf(' ') + 1));
			if (Number.isFinite(sent)) samples.push(performance.now() - sent);
		};
	}

	const messagesPerS = perS / setup.receivers.length;
	const tickMs = 10;
	const perTick = messagesPerS * (tickMs / 1000);
	let owed = 0;
	let sent = 0;
	const started = performance.now();
	await new Promise<void>(resolve => {
		const timer = setInterval(() => {
			owed += perTick;
			while (owed >= 1) {
				owed--;
				const sender = sent % setup.senders.length;
				setup.senders[sender]!.socket.write(line(sender, sent, `at ${performance.now()}`));
				sent++;
			}

			if (performance.now() - started >= options.latencyMs) {
				clearInterval(timer);
				resolve();
			}
		}, tickMs);
	});
	const expected = sent * setup.receivers.length;
	await until(() => samples.length >= expected, 10_000, 'the paced messages').catch(() => {});
	for (const client of setup.receivers) client.onMessage = undefined;
	return {samples, lost: expected - samples.length};
}

export async function benchCluster(partial: Partial<ClusterBenchOptions> = {}): Promise<ClusterBenchResult> {
	const options = {...DEFAULT_CLUSTER_BENCH, ...partial};
	const redisServer = await startRedis();
	const redis = new Redis(redisServer.url);
	const rates: Record<ClusterKind, number[]> = {single: [], cluster: []};
	const cpu: Record<ClusterKind, number[]> = {single: [], cluster: []};
	const writes: Record<ClusterKind, number[]> = {single: [], cluster: []};
	const redisCpu: number[] = [];
	const pings: Record<ClusterKind, number[]> = {single: [], cluster: []};
	let paced = 0;
	let lost = 0;
	const loads: number[] = [];
	try {
		for (let round = 0; round < options.rounds; round++) {
			const kinds: ClusterKind[] = round % 2 === 0 ? ['single', 'cluster'] : ['cluster', 'single'];
			const setups: Partial<Record<ClusterKind, Setup>> = {};
			try {
				for (const kind of kinds) setups[kind] = await setUp(kind, redisServer.url, redis, round, options);
				// Throughput first for both, so the pace of the latency phase comes from this round's one node.
				for (const kind of kinds) {
					loads.push(os.loadavg()[0]!);
					const result = await throughput(setups[kind]!, options);
					rates[kind].push(result.perS);
					cpu[kind].push(result.cpuPer1000);
					writes[kind].push(result.writesPer1000);
					if (kind === 'cluster') redisCpu.push(result.redisPer1000);
				}

				paced = median(rates.single) / 2;
				for (const kind of kinds) {
					const result = await latency(setups[kind]!, paced, options);
					for (const sample of result.samples) pings[kind].push(sample);
					lost += result.lost;
				}
			} finally {
				for (const setup of Object.values(setups)) await tearDown(setup);
			}
		}
	} finally {
		// BENCH_REDIS_STATS=1: what each Redis command cost over the whole run.
		if (process.env.BENCH_REDIS_STATS) console.log(await redis.info('commandstats'));
		redis.disconnect();
		await redisServer.kill();
	}

	return {
		rounds: options.rounds,
		loadAverage: [Math.min(...loads), Math.max(...loads)],
		deliveriesPerS: {single: median(rates.single), cluster: median(rates.cluster)},
		cpuMsPer1000: {single: median(cpu.single), cluster: median(cpu.cluster)},
		writesPer1000: {single: median(writes.single), cluster: median(writes.cluster)},
		redisCpuMsPer1000: median(redisCpu),
		p50Ms: {single: percentile(pings.single, 50), cluster: percentile(pings.cluster, 50)},
		p99Ms: {single: percentile(pings.single, 99), cluster: percentile(pings.cluster, 99)},
		pacedPerS: paced,
		lost,
	};
}
