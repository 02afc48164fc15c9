// The room log's figures: `history` handler time from a large SQLite log and
// from Redis, and append throughput of each backend. The handler time is the
// server's own handler (the log read and the reply's bytes), since that is
// what a client waits for. On a shared machine the wall time mostly measures
// the scheduler and the GC, so each call's CPU time is taken beside it, GC
// pauses are watched, and the load average is printed with the figures.
import {mkdtempSync, rmSync} from 'node:fs';
import os, {tmpdir} from 'node:os';
import {performance, PerformanceObserver} from 'node:perf_hooks';
import path from 'node:path';
import {historyReply} from '../source/server/log-replies.js';
import {MemoryLog} from '../source/server/store/memory-log.js';
import type {MessageLog, NewMessage} from '../source/server/store/message-log.js';
import {RedisLog} from '../source/server/store/redis-log.js';
import {SqliteLog} from '../source/server/store/sqlite-log.js';
import {startRedis} from '../test/helpers/redis.js';
import {mainThreadRunQueueMs} from './proc.js';
import {median, percentile} from './stats.js';

/**
 * Handler time of `history`, wall and CPU, median and p99 over `samples`
 * calls. `runP99Ms`: the p99 of wall time less the time the thread waited on
 * the kernel's run queue meanwhile (other processes running), which is what
 * the call takes on a machine of its own; `quietP99Ms` is the wall p99 of the
 * calls during which no GC ran and whose wall time was within 1 ms of their
 * CPU time (not preempted). `elu`: the event loop's
 * utilisation over the samples. `loadavg`: the machine's 1-minute load
 * average at the end of the run (2 cores: above 2, other processes wait).
 */
export type HistoryFigures = {
	rooms: number;
	perRoom: number;
	fillSeconds: number;
	samples: number;
	p50Ms: number;
	p99Ms: number;
	cpuP50Ms: number;
	cpuP99Ms: number;
	runP50Ms: number;
	runP99Ms: number;
	quietP99Ms: number;
	quietSamples: number;
	withGc: number;
	elu: number;
	loadavg: number;
	messagesPerReply: number;
	replyBytes: number;
	/** Redis only: redis-server's own CPU per call (from INFO), mean. */
	serverCpuMs?: number;
};
export type StoreFigures = {
	sqliteHistory: HistoryFigures;
	redisHistory: HistoryFigures;
	appendsPerSecond: {memory: number; sqlite: number; sqliteOnePerTick: number; redis: number};
};

const TEXT = 'x'.repeat(200);
const room = (index: number) => `#room-${index}`;

async function fillRooms(log: MessageLog, rooms: number, perRoom: number): Promise<number> {
	const started = performance.now();
	for (let seq = 0; seq < perRoom; seq += 1000) {
		const batch: NewMessage[] = [];
		for (let index = 0; index < rooms; index++) for (let count = 0; count < Math.min(1000, perRoom - seq); count++) batch.push({conversation: room(index), user: 'bench', msg: TEXT});
		await log.append(batch);
	}

	return (performance.now() - started) / 1000;
}

/** Start and end (performance.now()) of every GC pause while observing. */
function watchGc(): {pauses: Array<[number, number]>; stop(): void} {
	const pauses: Array<[number, number]> = [];
	const observer = new PerformanceObserver(list => {
		for (const entry of list.getEntries()) pauses.push([entry.startTime, entry.startTime + entry.duration]);
	});
	observer.observe({entryTypes: ['gc']});
	return {pauses, stop: () => observer.disconnect()};
}

/**
 * `history` of the newest 1,000 (or `after` a random seq) in a random room,
 * through the server's handler (historyReply: the log read and the reply's
 * bytes), as a connection runs it.
 */
async function timeHistory(log: MessageLog, rooms: number, perRoom: number, samples: number): Promise<Omit<HistoryFigures, 'rooms' | 'perRoom' | 'fillSeconds'>> {
	const calls: Array<{start: number; end: number; cpuMs: number; waitMs: number}> = [];
	let returned = 0;
	let bytes = 0;
	const warmUp = 50;
	const gc = watchGc();
	let elu = performance.eventLoopUtilization();
	for (let sample = 0; sample < samples + warmUp; sample++) {
		const key = room(Math.floor(Math.random() * rooms));
		const command = sample % 2 === 0 ? {cmd: 'history' as const, limit: 1000} : {cmd: 'history' as const, limit: 1000, after: Math.floor(Math.random() * (perRoom - 1000))};
		if (sample === warmUp) elu = performance.eventLoopUtilization();
		const waited = mainThreadRunQueueMs();
		const start = performance.now();
		const cpu = process.cpuUsage();
		const reply = await historyReply(log, {name: key, key}, command, note => {
			throw new Error(note);
		});
		const used = process.cpuUsage(cpu);
		const end = performance.now();
		const waitMs = mainThreadRunQueueMs() - waited;
		if (!reply.frame) throw new Error('no reply');
		// The first calls warm the statement cache and the JIT.
		if (sample >= warmUp) {
			calls.push({start, end, cpuMs: (used.user + used.system) / 1000, waitMs});
			returned += Number(/"success-msg":"(\d+)/.exec(reply.frame.toString('latin1', 0, 80))![1]);
			bytes += reply.frame.length;
		}
	}

	elu = performance.eventLoopUtilization(elu);
	// Entries are delivered after the turn that made them.
	await new Promise(resolve => setImmediate(resolve));
	gc.stop();
	const overlapsGc = (call: {start: number; end: number}) => gc.pauses.some(([from, to]) => from < call.end && to > call.start);
	const walls = calls.map(call => call.end - call.start);
	const quiet = calls.filter(call => !overlapsGc(call) && call.end - call.start - call.cpuMs < 1).map(call => call.end - call.start);
	return {
		samples,
		p50Ms: median(walls),
		p99Ms: percentile(walls, 99),
		cpuP50Ms: median(calls.map(call => call.cpuMs)),
		cpuP99Ms: percentile(calls.map(call => call.cpuMs), 99),
		runP50Ms: median(calls.map(call => call.end - call.start - call.waitMs)),
		runP99Ms: percentile(calls.map(call => call.end - call.start - call.waitMs), 99),
		quietP99Ms: percentile(quiet, 99),
		quietSamples: quiet.length,
		withGc: calls.filter(call => overlapsGc(call)).length,
		elu: elu.utilization,
		loadavg: os.loadavg()[0]!,
		messagesPerReply: returned / samples,
		replyBytes: bytes / samples,
	};
}

/** redis-server's CPU seconds so far (INFO cpu), with microsecond resolution. */
async function redisCpuSeconds(url: string): Promise<number> {
	const {Redis} = await import('ioredis');
	const client = new Redis(url);
	try {
		const info = await client.info('cpu');
		const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)![1]);
		return field('used_cpu_user') + field('used_cpu_sys');
	} finally {
		client.disconnect();
	}
}

/** Messages per second when `perTick` connections each append one message per tick. */
async function appendRate(log: MessageLog, total: number, perTick: number): Promise<number> {
	const started = performance.now();
	for (let sent = 0; sent < total; sent += perTick) {
		await Promise.all(Array.from({length: perTick}, async (_, index) => log.append([{conversation: room(index % 10), user: 'bench', msg: TEXT, id: `bench-id-${sent + index}-${started}`}])));
	}

	return total / ((performance.now() - started) / 1000);
}

export async function benchStore(samples = 2000): Promise<StoreFigures> {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-bench-store-'));
	const redisServer = await startRedis();
	try {
		const sqlite = await SqliteLog.open(path.join(dir, 'history'));
		const sqliteFill = await fillRooms(sqlite, 100, 10_000);
		const sqliteHistory = {rooms: 100, perRoom: 10_000, fillSeconds: sqliteFill, ...(await timeHistory(sqlite, 100, 10_000, samples))};
		await sqlite.close();

		// 10 rooms × 10,000 in Redis: XRANGE costs O(log N + M), and 1M entries would take ~300 MB of a shared machine.
		const redis = await RedisLog.connect(redisServer.url);
		const redisFill = await fillRooms(redis, 10, 10_000);
		const redisCpuBefore = await redisCpuSeconds(redisServer.url);
		const redisTimes = await timeHistory(redis, 10, 10_000, samples);
		const serverCpuMs = ((await redisCpuSeconds(redisServer.url)) - redisCpuBefore) * 1000 / (samples + 50);
		const redisHistory = {rooms: 10, perRoom: 10_000, fillSeconds: redisFill, ...redisTimes, serverCpuMs};

		const memory = new MemoryLog();
		const appendsSqlite = await SqliteLog.open(path.join(dir, 'appends'));
		const appendsPerSecond = {
			memory: await appendRate(memory, 50_000, 100),
			sqlite: await appendRate(appendsSqlite, 50_000, 100),
			sqliteOnePerTick: await appendRate(appendsSqlite, 5000, 1),
			redis: await appendRate(redis, 20_000, 100),
		};
		await Promise.all([appendsSqlite.close(), redis.close(), memory.close()]);
		return {sqliteHistory, redisHistory, appendsPerSecond};
	} finally {
		await redisServer.kill();
		rmSync(dir, {recursive: true, force: true});
	}
}
