import {copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, appendFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, describe, expect, it} from 'vitest';
import {StoreError, type MessageLog} from '../../../source/server/store/message-log.js';
import {DATABASE_FILE} from '../../../source/server/store/sqlite-open.js';
import {SqliteLog} from '../../../source/server/store/sqlite-log.js';
import {fill, messageLogContract} from './contract.js';
import {startSqliteChild} from './sqlite-child.js';

const dirs: string[] = [];
function freshDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-store-'));
	dirs.push(dir);
	return dir;
}

afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

messageLogContract('sqlite', async options => SqliteLog.open(freshDir(), options));

async function refusal(open: Promise<MessageLog>): Promise<StoreError> {
	const error: unknown = await open.then(
		async log => {
			await log.close();
			return new Error('opened');
		},
		(error: unknown) => error,
	);
	if (!(error instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(error)}`);
	expect(error.message).not.toContain('\n');
	return error;
}

/** Commit frames in the WAL: a frame whose header gives the database size after commit (non-zero). */
function walCommits(dir: string): number {
	const wal = readFileSync(path.join(dir, DATABASE_FILE + '-wal'));
	const frameBytes = 24 + wal.readUInt32BE(8);
	let commits = 0;
	for (let offset = 32; offset + frameBytes <= wal.length; offset += frameBytes) if (wal.readUInt32BE(offset + 4) !== 0) commits++;
	return commits;
}

/** Every message of the lobby, paging forward. */
async function everything(log: MessageLog) {
	const messages = [];
	for (let after = 0; ; ) {
		const page = await log.history('#lobby', {after}, 1000);
		messages.push(...page.messages);
		if (!page.more) return {messages, epoch: page.epoch};
		after = page.messages.at(-1)!.seq;
	}
}

describe('SqliteLog on disk', () => {
	it('keeps messages, seqs and the epoch across a restart', async () => {
		const dir = freshDir();
		const first = await SqliteLog.open(dir);
		await fill(first, '#lobby', 3);
		const {epoch} = await first.history('#lobby', {});
		await first.close();
		const again = await SqliteLog.open(dir);
		const [next] = await again.append([{conversation: '#lobby', user: 'ann', msg: 'after restart'}]);
		expect(next).toMatchObject({outcome: 'stored', seq: 4, epoch});
		expect((await again.history('#lobby', {})).messages.map(message => message.msg)).toEqual(['message 1', 'message 2', 'message 3', 'after restart']);
		await again.close();
	});

	it('keeps ids across a restart: a resend after it is still a duplicate', async () => {
		const dir = freshDir();
		const first = await SqliteLog.open(dir);
		await first.append([{conversation: '#lobby', user: 'ann', msg: 'x', id: 'survives-restart-0001'}]);
		await first.close();
		const again = await SqliteLog.open(dir);
		expect(await again.append([{conversation: '#lobby', user: 'ann', msg: 'x', id: 'survives-restart-0001'}])).toMatchObject([{outcome: 'duplicate', seq: 1}]);
		await again.close();
	});

	it('trims at open to a smaller --history', async () => {
		const dir = freshDir();
		const first = await SqliteLog.open(dir);
		await fill(first, '#lobby', 20);
		await first.close();
		const again = await SqliteLog.open(dir, {perConversation: 5});
		expect(await again.history('#lobby', {after: 0})).toMatchObject({first: 16, last: 20});
		await again.close();
	});

	it('loses no acknowledged message to a SIGKILL mid-burst, and keeps the epoch', async () => {
		const dir = freshDir();
		const child = await startSqliteChild('append', dir);
		const epoch = (await child.line(line => line.startsWith('epoch '))).slice('epoch '.length);
		await child.line(line => line.startsWith('ack 2000 '));
		await child.kill();
		const acknowledged = child.lines().filter(line => line.startsWith('ack '));
		expect(acknowledged.length).toBeGreaterThanOrEqual(2000);

		const log = await SqliteLog.open(dir);
		const kept = await everything(log);
		expect(kept.epoch).toBe(epoch);
		const bySeq = new Map(kept.messages.map(message => [message.seq, message.msg]));
		for (const line of acknowledged) {
			const [, seq, ...words] = line.split(' ');
			expect(bySeq.get(Number(seq))).toBe(words.join(' '));
		}

		// No holes: the log is 1..last.
		expect(kept.messages.map(message => message.seq)).toEqual(kept.messages.map((_, index) => index + 1));
		await log.close();
	});

	it('refuses a directory another running server holds, and takes it once that one is killed', async () => {
		const dir = freshDir();
		const holder = await startSqliteChild('hold', dir);
		await holder.line(line => line === 'ready');
		const error = await refusal(SqliteLog.open(dir));
		expect(error.code).toBe('locked');
		expect(error.message).toMatch(/in use by another running server/);
		await holder.kill();
		const log = await SqliteLog.open(dir);
		await log.close();
	});

	it('says in one line how to get better-sqlite3 where it is not installed', async () => {
		const child = await startSqliteChild('hold', freshDir(), 'elsewhere');
		expect(await child.exited).toBe(1);
		expect(child.lines()).toEqual([expect.stringMatching(/^error missing-driver --data needs the optional package better-sqlite3, .*npm install better-sqlite3@12/)]);
	});

	it('refuses a second open in the same process', async () => {
		const dir = freshDir();
		const log = await SqliteLog.open(dir);
		expect((await refusal(SqliteLog.open(dir))).code).toBe('locked');
		await log.close();
	});

	it('refuses a database from a newer version', async () => {
		const dir = freshDir();
		const db = new Database(path.join(dir, DATABASE_FILE));
		db.pragma('user_version = 99');
		db.close();
		const error = await refusal(SqliteLog.open(dir));
		expect(error.code).toBe('newer-version');
		expect(error.message).toMatch(/newer codechat-tui \(schema 99/);
	});

	it('refuses a data directory that is not a directory', async () => {
		const file = path.join(freshDir(), 'not-a-dir');
		writeFileSync(file, 'x');
		const error = await refusal(SqliteLog.open(file));
		expect(error.code).toBe('unreadable');
		expect(error.message).toContain(file);
	});

	it('refuses a data file that is not a database', async () => {
		const dir = freshDir();
		writeFileSync(path.join(dir, DATABASE_FILE), 'this is not sqlite, just text that is long enough to be read as a header '.repeat(20));
		const error = await refusal(SqliteLog.open(dir));
		expect(error.code).toBe('corrupt');
	});

	describe('a torn write at the end of the WAL', () => {
		/** Ten transactions of ten messages, then a copy of the files as a crash would leave them. */
		async function crashCopy(): Promise<{dir: string; epoch: string}> {
			const live = freshDir();
			const log = await SqliteLog.open(live);
			for (let batch = 0; batch < 10; batch++) await fill(log, '#lobby', 10);
			const {epoch} = await log.history('#lobby', {});
			const copy = freshDir();
			for (const suffix of ['', '-wal']) copyFileSync(path.join(live, DATABASE_FILE + suffix), path.join(copy, DATABASE_FILE + suffix));
			await log.close();
			return {dir: copy, epoch};
		}

		it('drops only the transaction whose last frame was cut', async () => {
			const {dir, epoch} = await crashCopy();
			const wal = path.join(dir, DATABASE_FILE + '-wal');
			truncateSync(wal, statSync(wal).size - 100);
			const log = await SqliteLog.open(dir);
			const kept = await everything(log);
			expect(kept.epoch).toBe(epoch);
			expect(kept.messages.map(message => message.seq)).toEqual(Array.from({length: 90}, (_, index) => index + 1));
			const [next] = await log.append([{conversation: '#lobby', user: 'ann', msg: 'after recovery'}]);
			expect(next).toMatchObject({outcome: 'stored', seq: 91, epoch});
			await log.close();
		});

		it('ignores garbage after the last whole frame', async () => {
			const {dir} = await crashCopy();
			appendFileSync(path.join(dir, DATABASE_FILE + '-wal'), Buffer.alloc(3000, 0xab));
			const log = await SqliteLog.open(dir);
			expect((await everything(log)).messages).toHaveLength(100);
			await log.close();
		});
	});

	it('commits the appends of one tick in one transaction', async () => {
		const dir = freshDir();
		const log = await SqliteLog.open(dir);
		await log.append([{conversation: '#lobby', user: 'ann', msg: 'warm-up'}]);
		const before = walCommits(dir);
		await Promise.all(Array.from({length: 50}, async (_, index) => log.append([{conversation: '#lobby', user: 'ann', msg: `m${index}`}])));
		expect(walCommits(dir) - before).toBe(1);
		await log.append([{conversation: '#lobby', user: 'ann', msg: 'next tick'}]);
		expect(walCommits(dir) - before).toBe(2);
		await log.close();
	});

	it('commits the appends of each callback as it ends, not with everything read in the same turn of the loop', async () => {
		// Two sockets' data callbacks in one poll phase are two callbacks of one turn; two immediates stand for them here.
		const dir = freshDir();
		const log = await SqliteLog.open(dir);
		await log.append([{conversation: '#lobby', user: 'ann', msg: 'warm-up'}]);
		const before = walCommits(dir);
		const committed: string[] = [];
		const burst = async (who: string) => {
			await Promise.all(Array.from({length: 10}, async (_, index) => log.append([{conversation: '#lobby', user: who, msg: `m${index}`}])));
			committed.push(who);
		};

		const done = await new Promise<Array<Promise<void>>>(resolve => {
			const first: Array<Promise<void>> = [];
			setImmediate(() => first.push(burst('ann')));
			setImmediate(() => {
				// The first callback's messages are committed (and could be delivered) before the second one runs.
				committed.push(`bob sees ${walCommits(dir) - before} commit`);
				first.push(burst('bob'));
				resolve(first);
			});
		});
		await Promise.all(done);
		expect(committed).toEqual(['ann', 'bob sees 1 commit', 'bob']);
		expect(walCommits(dir) - before).toBe(2);
		await log.close();
	});
});
