// Target 2: delivered events per second of the reference server against a
// minimal fan-out server written here, same load, alternating rounds. A naive
// server runs too, to show the load generator is not the bottleneck.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Worker} from 'node:worker_threads';
import {startServer} from '../source/server/index.js';
import {startMinimalServer, startNaiveServer, type BenchServer} from './fanout-servers.js';
import type {LoadConfig, LoadDone} from './fanout-load.js';
import {mainThreadCpuMs} from './proc.js';
import {median, percentile} from './stats.js';

export type FanoutOptions = {
	clients: number;
	messagesPerClient: number;
	rounds: number;
	/** Load-generator worker threads. */
	workers: number;
	batch: number;
	timeoutMs: number;
};

export const DEFAULT_FANOUT: FanoutOptions = {clients: 50, messagesPerClient: 200, rounds: 5, workers: 2, batch: 10, timeoutMs: 60_000};

/** `serverCpuMs`: CPU of the thread the server runs on, from go to the last event (10 ms ticks); unlike the rate, the scheduler of a loaded machine hardly moves it. */
export type FanoutRun = {eventsPerSecond: number; lost: number; p50Ms: number; p99Ms: number; seconds: number; serverCpuMs: number};

/**
 * `reference`: the server relaying only (--history 0); `memory-log` and
 * `sqlite-log`: with the room log in memory, or in SQLite (--data);
 * `minimal-stamped`: the minimal server sending the events a log sends.
 */
export type ServerKind = 'reference' | 'memory-log' | 'sqlite-log' | 'minimal' | 'minimal-stamped' | 'naive';

export const FANOUT_KINDS: ServerKind[] = ['reference', 'memory-log', 'sqlite-log', 'minimal', 'minimal-stamped', 'naive'];

async function startKind(kind: ServerKind): Promise<BenchServer> {
	switch (kind) {
		case 'minimal':
			return startMinimalServer();
		case 'minimal-stamped':
			return startMinimalServer(true);
		case 'naive':
			return startNaiveServer();
		case 'reference':
		case 'memory-log': {
			const server = await startServer({port: 0, rate: 0, quiet: true, history: kind === 'reference' ? 0 : undefined});
			return {port: server.port, close: async () => server.close()};
		}

		case 'sqlite-log': {
			const dir = mkdtempSync(path.join(tmpdir(), 'codechat-bench-'));
			const server = await startServer({port: 0, rate: 0, quiet: true, dataDir: dir});
			return {
				port: server.port,
				async close() {
					await server.close();
					rmSync(dir, {recursive: true, force: true});
				},
			};
		}

		default:
			return kind satisfies never;
	}
}

function waitFor<T>(worker: Worker, type: string): Promise<T> {
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

export async function runFanoutOnce(kind: ServerKind, options: FanoutOptions): Promise<FanoutRun> {
	const server = await startKind(kind);
	const expectedPerClient = (options.clients - 1) * options.messagesPerClient;
	const workers: Worker[] = [];
	try {
		for (let w = 0; w < options.workers; w++) {
			const names: string[] = [];
			for (let c = w; c < options.clients; c += options.workers) names.push(`c${c}`);
			const workerData: LoadConfig = {port: server.port, names, messagesPerClient: options.messagesPerClient, batch: options.batch, expectedPerClient};
			workers.push(new Worker(new URL('bench-fanout-load.mjs', import.meta.url), {workerData}));
		}

		// Connect one worker's clients after another's, so the names join in a known order.
		await Promise.all(workers.map(async worker => waitFor(worker, 'ready')));
		// Let the enter events settle before the clock starts.
		await new Promise(resolve => setTimeout(resolve, 200));
		const results = workers.map(async worker => waitFor<LoadDone>(worker, 'done'));
		const cpuBefore = mainThreadCpuMs();
		for (const worker of workers) worker.postMessage({type: 'go'});
		const timer = setTimeout(() => {
			for (const worker of workers) worker.postMessage({type: 'report'});
		}, options.timeoutMs);
		const done = await Promise.all(results);
		const serverCpuMs = mainThreadCpuMs() - cpuBefore;
		clearTimeout(timer);
		const received = done.reduce((sum, part) => sum + part.received, 0);
		const firstSend = Math.min(...done.map(part => part.firstSend));
		const lastReceive = Math.max(...done.map(part => part.lastReceive));
		const latencies = done.flatMap(part => [...part.latencies]);
		const seconds = (lastReceive - firstSend) / 1000;
		return {
			eventsPerSecond: received / seconds,
			lost: options.clients * expectedPerClient - received,
			p50Ms: percentile(latencies, 50),
			p99Ms: percentile(latencies, 99),
			seconds,
			serverCpuMs,
		};
	} finally {
		for (const worker of workers) worker.postMessage({type: 'close'});
		await Promise.all(workers.map(async worker => new Promise(resolve => worker.once('exit', resolve))));
		await server.close();
	}
}

export type FanoutResult = Record<ServerKind, FanoutRun & {runs: FanoutRun[]}>;

export async function benchFanout(options: FanoutOptions = DEFAULT_FANOUT, kinds: ServerKind[] = FANOUT_KINDS): Promise<FanoutResult> {
	const runs: Record<string, FanoutRun[]> = Object.fromEntries(kinds.map(kind => [kind, []]));
	for (let round = 0; round < options.rounds; round++) {
		const order = round % 2 === 0 ? kinds : [...kinds].reverse();
		for (const kind of order) {
			globalThis.gc?.();
			runs[kind].push(await runFanoutOnce(kind, options));
		}
	}

	const summary = (list: FanoutRun[]) => ({
		eventsPerSecond: median(list.map(run => run.eventsPerSecond)),
		// Any loss in any round counts.
		lost: list.reduce((sum, run) => sum + run.lost, 0),
		p50Ms: median(list.map(run => run.p50Ms)),
		p99Ms: median(list.map(run => run.p99Ms)),
		seconds: median(list.map(run => run.seconds)),
		serverCpuMs: median(list.map(run => run.serverCpuMs)),
		runs: list,
	});
	return Object.fromEntries(kinds.map(kind => [kind, summary(runs[kind])])) as FanoutResult;
}
