// Per-room fan-out (PROTOCOL.md §10): 1,000 rooms of 10 members each, every
// member talking in its own room, delivered events per second of the
// reference server (with its room log in memory, as it starts by default, and
// relaying only) against the minimal server doing the same per-room fan-out;
// alternating rounds, medians.
//
// The members are 1,000 connections on a ring: connection i joins rooms i to
// i+9 and talks in room i, so each room has ten members and one talker, and
// each message reaches nine. Ten thousand separate connections would spend
// the run on #lobby instead: every connect is announced to everyone there
// (50 million client-enter writes before the first message).
import {Worker} from 'node:worker_threads';
import {startServer} from '../source/server/index.js';
import {startMinimalServer, type BenchServer} from './fanout-servers.js';
import type {LoadConfig, LoadDone} from './fanout-load.js';
import {median, percentile} from './stats.js';

export type RoomsBenchOptions = {
	rooms: number;
	/** Members per room; also the rooms each connection is in. */
	members: number;
	messagesPerClient: number;
	rounds: number;
	workers: number;
	batch: number;
	timeoutMs: number;
};

export const DEFAULT_ROOMS_BENCH: RoomsBenchOptions = {rooms: 1000, members: 10, messagesPerClient: 50, rounds: 5, workers: 2, batch: 10, timeoutMs: 120_000};

/** `reference`: the server as it starts (room log in memory); `relay`: with --history 0. */
export const ROOMS_KINDS = ['reference', 'relay', 'minimal'] as const;
export type RoomsKind = (typeof ROOMS_KINDS)[number];

export type RoomsRun = {eventsPerSecond: number; lost: number; p50Ms: number; p99Ms: number};
export type RoomsResult = Record<RoomsKind, RoomsRun & {runs: RoomsRun[]}>;

async function startKind(kind: RoomsKind): Promise<BenchServer> {
	switch (kind) {
		case 'minimal':
			return startMinimalServer();
		case 'reference':
		case 'relay': {
			const server = await startServer({port: 0, rate: 0, quiet: true, maxClients: 100_000, history: kind === 'relay' ? 0 : undefined});
			return {port: server.port, close: async () => server.close()};
		}

		default:
			return kind satisfies never;
	}
}

async function waitFor<T>(worker: Worker, type: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const onMessage = (message: {type: string; message?: string}) => {
			if (message.type === type) {
				worker.off('message', onMessage);
				resolve(message as T);
			} else if (message.type === 'error') reject(new Error(message.message));
		};

		worker.on('message', onMessage);
		worker.once('error', reject);
	});
}

const roomName = (index: number) => `#room-${index}`;

export async function runRoomsOnce(kind: RoomsKind, options: RoomsBenchOptions): Promise<RoomsRun> {
	const server = await startKind(kind);
	const clients = options.rooms;
	const expectedPerClient = (options.members - 1) * options.messagesPerClient;
	const workers: Worker[] = [];
	try {
		for (let w = 0; w < options.workers; w++) {
			const names: string[] = [];
			const rooms: LoadConfig['rooms'] = [];
			for (let c = w; c < clients; c += options.workers) {
				names.push(`m${c}`);
				rooms.push({join: Array.from({length: options.members}, (_, step) => roomName((c + step) % options.rooms)), talk: roomName(c)});
			}

			const workerData: LoadConfig = {port: server.port, names, messagesPerClient: options.messagesPerClient, batch: options.batch, expectedPerClient, rooms};
			workers.push(new Worker(new URL('bench-fanout-load.mjs', import.meta.url), {workerData}));
		}

		await Promise.all(workers.map(async worker => waitFor(worker, 'ready')));
		// Let the enter events settle before the clock starts.
		await new Promise(resolve => setTimeout(resolve, 500));
		const results = workers.map(async worker => waitFor<LoadDone>(worker, 'done'));
		for (const worker of workers) worker.postMessage({type: 'go'});
		const timer = setTimeout(() => {
			for (const worker of workers) worker.postMessage({type: 'report'});
		}, options.timeoutMs);
		const done = await Promise.all(results);
		clearTimeout(timer);
		const received = done.reduce((sum, part) => sum + part.received, 0);
		const seconds = (Math.max(...done.map(part => part.lastReceive)) - Math.min(...done.map(part => part.firstSend))) / 1000;
		const latencies = done.flatMap(part => [...part.latencies]);
		return {eventsPerSecond: received / seconds, lost: clients * expectedPerClient - received, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99)};
	} finally {
		for (const worker of workers) worker.postMessage({type: 'close'});
		await Promise.all(workers.map(async worker => new Promise(resolve => worker.once('exit', resolve))));
		await server.close();
	}
}

export async function benchRooms(options: RoomsBenchOptions = DEFAULT_ROOMS_BENCH): Promise<RoomsResult> {
	const runs: Record<RoomsKind, RoomsRun[]> = {reference: [], relay: [], minimal: []};
	for (let round = 0; round < options.rounds; round++) {
		const order = round % 2 === 0 ? ROOMS_KINDS : [...ROOMS_KINDS].reverse();
		for (const kind of order) {
			globalThis.gc?.();
			const run = await runRoomsOnce(kind, options);
			console.log(`  round ${round + 1} ${kind}: ${Math.round(run.eventsPerSecond)} events/s, lost ${run.lost}`);
			runs[kind].push(run);
		}
	}

	const summary = (list: RoomsRun[]) => ({
		eventsPerSecond: median(list.map(run => run.eventsPerSecond)),
		lost: list.reduce((sum, run) => sum + run.lost, 0),
		p50Ms: median(list.map(run => run.p50Ms)),
		p99Ms: median(list.map(run => run.p99Ms)),
		runs: list,
	});
	return {reference: summary(runs.reference), relay: summary(runs.relay), minimal: summary(runs.minimal)};
}
