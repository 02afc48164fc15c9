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
import {successStatus} from '../source/protocol/encoder.js';
import {historyReply} from '../source/server/log-replies.js';
import {MemoryLog} from '../source/server/store/memory-log.js';
import {messageEvent} from '../source/server/store/message-event.js';
import type {MessageLog, NewMessage} from '../source/server/store/message-log.js';
import {RedisLog} from '../source/server/store/redis-log.js';
import {SqliteLog} from '../source/server/store/sqlite-log.js';
import {startRedis} from '../test/helpers/redis.js';
import {mainThreadRunQueueMs} from './proc.js';
import {median, percentile} from './stats.js';

/**
 * Handler time of `history`, wall and CPU, median and p99 over `samples`
 * calls. `runP99Ms`: the p99 of wall time less the time the thread (and
 * redis-server's) waited on the kernel's run queue meanwhile (other processes running), which is what
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
	/** The same, through the handler as it was before (objects encoded whole), fewer samples. */
	sqliteObjects: HistoryFigures;
	redisObjects: HistoryFigures;
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
type HistoryCommand = {cmd: 'history'; limit: number; after?: number};
type Handler = (log: MessageLog, key: string, command: HistoryCommand) => Promise<Buffer>;

/** The server's handler. */
const encodedHandler: Handler = async (log, key, command) => {
	const reply = await historyReply(log, {name: key, key}, command, note => {
		throw new Error(note);
	});
	if (!Buffer.isBuffer(reply)) throw new Error(`history failed: ${JSON.stringify(reply)}`);
	return reply;
};

/** The handler before the log encoded its pages: an object per message, the status encoded whole; the yardstick for the one above. */
const objectsHandler: Handler = async (log, key, command) => {
	const page = await log.history(key, command.after === undefined ? {} : {after: command.after}, command.limit);
	const count = page.messages.length;
	const status = {...successStatus(`${count} message${count === 1 ? '' : 's'}`), messages: page.messages.map(message => messageEvent(message, undefined)), epoch: page.epoch, first: page.first, last: page.last, more: page.more};
	return Buffer.from(JSON.stringify(status) + '\n');
};

async function timeHistory(log: MessageLog, rooms: number, perRoom: number, samples: number, serverPid?: number, handler = encodedHandler): Promise<Omit<HistoryFigures, 'rooms' | 'perRoom' | 'fillSeconds'>> {
	const calls: Array<{start: number; end: number; cpuMs: number; waitMs: number}> = [];
	let returned = 0;
	let bytes = 0;
	const warmUp = 50;
	const gc = watchGc();
	let elu = performance.eventLoopUtilization();
	for (let sample = 0; sample < samples + warmUp; sample++) {
		const key = room(Math.floor(Math.random() * rooms));
		const command: HistoryCommand = sample % 2 === 0 ? {cmd: 'history', limit: 1000} : {cmd: 'history', limit: 1000, after: Math.floor(Math.random() * (perRoom - 1000))};
		if (sample === warmUp) elu = performance.eventLoopUtilization();
		const waited = runQueueMs(serverPid);
		const start = performance.now();
		const cpu = process.cpuUsage();
		const frame = await handler(log, key, command);
		const used = process.cpuUsage(cpu);
		const end = performance.now();
		const waitMs = runQueueMs(serverPid) - waited;
		// The first calls warm the statement cache and the JIT.
		if (sample >= warmUp) {
			calls.push({start, end, cpuMs: (used.user + used.system) / 1000, waitMs});
			returned += Number(/"success-msg":"(\d+)/.exec(frame.toString('latin1', 0, 80))![1]);
			bytes += frame.length;
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

/** Run-queue wait of this thread, and of the other server's (redis-server) when there is one: both hold up a call. */
function runQueueMs(serverPid: number | undefined): number {
	return mainThreadRunQueueMs() + (serverPid === undefined ? 0 : mainThreadRunQueueMs(serverPid));
}

/** redis-server's CPU seconds so far (INFO, microsecond resolution) and its pid. */
async function redisInfo(url: string): Promise<{cpuSeconds: number; pid: number}> {
	const {Redis} = await import('ioredis');
	const client = new Redis(url);
	try {
		const info = await client.info();
		const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)![1]);
		return {cpuSeconds: field('used_cpu_user') + field('used_cpu_sys'), pid: field('process_id')};
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
		const sqliteObjects = {rooms: 100, perRoom: 10_000, fillSeconds: sqliteFill, ...(await timeHistory(sqlite, 100, 10_000, samples / 4, undefined, objectsHandler))};
		await sqlite.close();

		// 10 rooms × 10,000 in Redis: XRANGE costs O(log N + M), and 1M entries would take ~300 MB of a shared machine.
		const redis = await RedisLog.connect(redisServer.url);
		const redisFill = await fillRooms(redis, 10, 10_000);
		const before = await redisInfo(redisServer.url);
		const redisTimes = await timeHistory(redis, 10, 10_000, samples, before.pid);
		const serverCpuMs = (((await redisInfo(redisServer.url)).cpuSeconds - before.cpuSeconds) * 1000) / (samples + 50);
		const redisHistory = {rooms: 10, perRoom: 10_000, fillSeconds: redisFill, ...redisTimes, serverCpuMs};
		const redisObjects = {rooms: 10, perRoom: 10_000, fillSeconds: redisFill, ...(await timeHistory(redis, 10, 10_000, samples / 4, before.pid, objectsHandler))};

		const memory = new MemoryLog();
		const appendsSqlite = await SqliteLog.open(path.join(dir, 'appends'));
		const appendsPerSecond = {
			memory: await appendRate(memory, 50_000, 100),
			sqlite: await appendRate(appendsSqlite, 50_000, 100),
			sqliteOnePerTick: await appendRate(appendsSqlite, 5000, 1),
			redis: await appendRate(redis, 20_000, 100),
		};
		await Promise.all([appendsSqlite.close(), redis.close(), memory.close()]);
		return {sqliteHistory, redisHistory, sqliteObjects, redisObjects, appendsPerSecond};
	} finally {
		await redisServer.kill();
		rmSync(dir, {recursive: true, force: true});
	}
}
