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
// - the same two nodes over a Redis Cluster (test/helpers/redis-cluster.ts:
//   six servers, three masters with a replica each): a room lives in one
//   slot, so this is one master's share plus `WAIT 1 500` per append; the
//   Redis CPU is the six servers'.
import os from 'node:os';
import {Redis} from 'ioredis';
import {startRedis} from '../test/helpers/redis.js';
import {startRedisCluster} from '../test/helpers/redis-cluster.js';
import {openClient, redisCpuMs, send, startNode, until, type BenchClient, type Node} from './cluster-nodes.js';
import {cpuMs} from './proc.js';
import {median, percentile} from './stats.js';

export type ClusterBenchOptions = {messages: number; warmUpMessages: number; senders: number; receivers: number; latencyMs: number; rounds: number; timeoutMs: number};

export const DEFAULT_CLUSTER_BENCH: ClusterBenchOptions = {messages: 20_000, warmUpMessages: 10_000, senders: 2, receivers: 10, latencyMs: 3000, rounds: 3, timeoutMs: 120_000};

/** One node; two nodes over one redis-server; two nodes over a Redis Cluster (3 masters, a replica each, `WAIT 1 500` per append). */
export type ClusterKind = 'single' | 'cluster' | 'redis-cluster';

const KINDS: readonly ClusterKind[] = ['single', 'cluster', 'redis-cluster'];

export type ClusterBenchResult = {
	rounds: number;
	loadAverage: number[];
	deliveriesPerS: Record<ClusterKind, number>;
	cpuMsPer1000: Record<ClusterKind, number>;
	/** Socket writes (one per connection per flush round, and each early write of a reader past 64 KiB) per 1,000 deliveries, the nodes summed. */
	writesPer1000: Record<ClusterKind, number>;
	/** Of each cluster's CPU per 1,000 deliveries, Redis's share (all six servers of the Redis Cluster). */
	redisCpuMsPer1000: Record<Exclude<ClusterKind, 'single'>, number>;
	p50Ms: Record<ClusterKind, number>;
	p99Ms: Record<ClusterKind, number>;
	/** Deliveries per second of the latency phase (half the one node's capacity). */
	pacedPerS: number;
	lost: number;
};

/** The Redis servers a kind runs on: a URL for the nodes, and their CPU so far. */
type Backing = {url: string; cpuMs(): Promise<number>};

type Setup = {kind: ClusterKind; nodes: Node[]; senders: BenchClient[]; receivers: BenchClient[]; cpuMs(): Promise<{nodes: number; redis: number}>; outputs(): Promise<number>};

async function setUp(kind: ClusterKind, backing: Backing | undefined, round: number, options: ClusterBenchOptions): Promise<Setup> {
	const nodes = backing === undefined ? [await startNode(['reference'])] : await Promise.all([0, 1].map(async () => startNode(['redis', backing.url, `bench${round}:`])));
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
			return {nodes: nodes.reduce((sum, node) => sum + cpuMs(node.pid), 0), redis: backing ? await backing.cpuMs() : 0};
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

const line = (sender: number, index: number, text = 'of the cluster bench') => JSON.stringify({cmd: 'msg', msg: `s${sender} ${index} ${text}`}) + '\n';

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

/** One redis-server, and a Redis Cluster of six; each kind's backing (none for one node). */
async function startBackings(): Promise<{backings: Record<ClusterKind, Backing | undefined>; stop(): Promise<void>}> {
	const server = await startRedis();
	const cluster = await startRedisCluster();
	const clients = [server, ...cluster.servers].map(each => new Redis(each.url));
	const [serverClient, ...clusterClients] = clients;
	return {
		backings: {
			single: undefined,
			cluster: {url: server.url, cpuMs: async () => redisCpuMs(serverClient!)},
			'redis-cluster': {url: cluster.url, cpuMs: async () => (await Promise.all(clusterClients.map(redisCpuMs))).reduce((sum, ms) => sum + ms, 0)},
		},
		async stop() {
			// BENCH_REDIS_STATS=1: what each command cost the one redis-server over the whole run.
			if (process.env.BENCH_REDIS_STATS) console.log(await serverClient!.info('commandstats'), await serverClient!.info('errorstats'));
			for (const client of clients) client.disconnect();
			await Promise.all([server, ...cluster.servers].map(async each => each.kill()));
		},
	};
}

export {benchClusterRooms, DEFAULT_CLUSTER_ROOMS_BENCH} from './cluster-rooms.js';

export async function benchCluster(partial: Partial<ClusterBenchOptions> = {}): Promise<ClusterBenchResult> {
	const options = {...DEFAULT_CLUSTER_BENCH, ...partial};
	const {backings, stop} = await startBackings();
	const rates = byKindOf<number[]>(() => []);
	const cpu = byKindOf<number[]>(() => []);
	const writes = byKindOf<number[]>(() => []);
	const redisCpu = byKindOf<number[]>(() => []);
	const pings = byKindOf<number[]>(() => []);
	let paced = 0;
	let lost = 0;
	const loads: number[] = [];
	try {
		for (let round = 0; round < options.rounds; round++) {
			// Taking turns: each round starts with another kind.
			const kinds = KINDS.map((_, index) => KINDS[(index + round) % KINDS.length]!);
			const setups: Partial<Record<ClusterKind, Setup>> = {};
			try {
				for (const kind of kinds) setups[kind] = await setUp(kind, backings[kind], round, options);
				// Throughput first for all, so the pace of the latency phase comes from this round's one node.
				for (const kind of kinds) {
					loads.push(os.loadavg()[0]!);
					// A first, unmeasured pass warms the nodes up (the JIT, ioredis's scripts, the log's first pages): the figures are the steady state's.
					await throughput(setups[kind]!, {...options, messages: options.warmUpMessages});
					const result = await throughput(setups[kind]!, options);
					rates[kind].push(result.perS);
					cpu[kind].push(result.cpuPer1000);
					writes[kind].push(result.writesPer1000);
					redisCpu[kind].push(result.redisPer1000);
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
		await stop();
	}

	const medians = (values: Record<ClusterKind, number[]>) => byKindOf(kind => median(values[kind]));
	return {
		rounds: options.rounds,
		loadAverage: [Math.min(...loads), Math.max(...loads)],
		deliveriesPerS: medians(rates),
		cpuMsPer1000: medians(cpu),
		writesPer1000: medians(writes),
		redisCpuMsPer1000: {cluster: median(redisCpu.cluster), 'redis-cluster': median(redisCpu['redis-cluster'])},
		p50Ms: byKindOf(kind => percentile(pings[kind], 50)),
		p99Ms: byKindOf(kind => percentile(pings[kind], 99)),
		pacedPerS: paced,
		lost,
	};
}

function byKindOf<T>(value: (kind: ClusterKind) => T): Record<ClusterKind, T> {
	return {single: value('single'), cluster: value('cluster'), 'redis-cluster': value('redis-cluster')};
}
