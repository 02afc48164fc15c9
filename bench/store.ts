// The room log's figures: `history` handler time from a large SQLite log and
// from Redis, and append throughput of each backend. The handler time is the
// log read plus encoding the reply as the server sends it, since that is what
// a client waits for.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {MemoryLog} from '../source/server/store/memory-log.js';
import {messageEvent} from '../source/server/store/message-event.js';
import type {MessageLog, NewMessage} from '../source/server/store/message-log.js';
import {RedisLog} from '../source/server/store/redis-log.js';
import {SqliteLog} from '../source/server/store/sqlite-log.js';
import {startRedis} from '../test/helpers/redis.js';
import {percentile} from './stats.js';

export type HistoryFigures = {rooms: number; perRoom: number; fillSeconds: number; p50Ms: number; p99Ms: number; cpuP50Ms: number; cpuP99Ms: number; messagesPerReply: number};
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

/** `history` of the newest 1,000 (or `after` a random seq) in a random room, read and encoded as the reply. */
async function timeHistory(log: MessageLog, rooms: number, perRoom: number, samples: number): Promise<Omit<HistoryFigures, 'rooms' | 'perRoom' | 'fillSeconds'>> {
	const times: number[] = [];
	// CPU time of this process too: on a shared machine the wall time mostly measures the scheduler.
	const cpuTimes: number[] = [];
	let returned = 0;
	for (let sample = 0; sample < samples + 20; sample++) {
		const conversation = room(Math.floor(Math.random() * rooms));
		const query = sample % 2 === 0 ? {} : {after: Math.floor(Math.random() * (perRoom - 1000))};
		const started = performance.now();
		const cpu = process.cpuUsage();
		const page = await log.history(conversation, query, 1000);
		const reply = JSON.stringify({success: true, 'error-msg': '', 'success-msg': '', messages: page.messages.map(message => messageEvent(message, conversation)), epoch: page.epoch, first: page.first, last: page.last, more: page.more});
		const elapsed = performance.now() - started;
		const used = process.cpuUsage(cpu);
		if (reply.length === 0) throw new Error('empty reply');
		// The first calls warm the statement cache and the JIT.
		if (sample >= 20) {
			times.push(elapsed);
			cpuTimes.push((used.user + used.system) / 1000);
			returned += page.messages.length;
		}
	}

	return {p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), cpuP50Ms: percentile(cpuTimes, 50), cpuP99Ms: percentile(cpuTimes, 99), messagesPerReply: returned / samples};
}

/** Messages per second when `perTick` connections each append one message per tick. */
async function appendRate(log: MessageLog, total: number, perTick: number): Promise<number> {
	const started = performance.now();
	for (let sent = 0; sent < total; sent += perTick) {
		await Promise.all(Array.from({length: perTick}, async (_, index) => log.append([{conversation: room(index % 10), user: 'bench', msg: TEXT, id: `bench-id-${sent + index}-${started}`}])));
	}

	return total / ((performance.now() - started) / 1000);
}

export async function benchStore(): Promise<StoreFigures> {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-bench-store-'));
	const redisServer = await startRedis();
	try {
		const sqlite = await SqliteLog.open(path.join(dir, 'history'));
		const sqliteFill = await fillRooms(sqlite, 100, 10_000);
		const sqliteHistory = {rooms: 100, perRoom: 10_000, fillSeconds: sqliteFill, ...(await timeHistory(sqlite, 100, 10_000, 500))};
		await sqlite.close();

		// 10 rooms × 10,000 in Redis: XRANGE costs O(log N + M), and 1M entries would take ~300 MB of a shared machine.
		const redis = await RedisLog.connect(redisServer.url);
		const redisFill = await fillRooms(redis, 10, 10_000);
		const redisHistory = {rooms: 10, perRoom: 10_000, fillSeconds: redisFill, ...(await timeHistory(redis, 10, 10_000, 500))};

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
