// PROTOCOL.md §9 over real TCP, against the memory log and the SQLite log
// (`--data`): seq, epoch and time on statuses and events, ids, `history`.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import type {StatusFrame} from '../../../source/protocol/types.js';
import {closeRawClients, connectRaw, connectUser, type Frame, type RawClient} from '../../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../../helpers/server.js';
import {seqAheadOfEvents} from './stream-check.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

const dirs: string[] = [];
afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

function dataDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-log-'));
	dirs.push(dir);
	return dir;
}

type Backend = {name: string; options: () => {dataDir?: string}};
const backends: Backend[] = [
	{name: 'memory', options: () => ({})},
	{name: 'sqlite (--data)', options: () => ({dataDir: dataDir()})},
];

/** A fresh 22-character id (132 random bits, as a client would make). */
let idCounter = 0;
function newId(): string {
	idCounter++;
	return `test-${String(idCounter).padStart(6, '0')}-${Math.random().toString(36).slice(2, 12).padEnd(10, '0')}`;
}

type Position = {seq: number; epoch: string; time: number};

async function send(client: RawClient, msg: string, id?: string): Promise<StatusFrame & Position & {duplicate?: boolean}> {
	client.sendFrame(id === undefined ? {cmd: 'msg', msg} : {cmd: 'msg', msg, id});
	return (await client.expectStatus(true)) as StatusFrame & Position;
}

type HistoryStatus = StatusFrame & {messages: Frame[]; epoch: string; first: number; last: number; more: boolean};

async function history(client: RawClient, query: Frame = {}): Promise<HistoryStatus> {
	client.sendFrame({cmd: 'history', ...query});
	return (await client.expectStatus(true)) as HistoryStatus;
}

const seqs = (frames: Frame[]) => frames.map(frame => frame.seq as number);
const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => from + index);

describe.each(backends)('the room log, $name', ({options}) => {
	it('gives every message one seq, with no hole, across several pipelining senders; status and event carry the same seq, epoch and time', async () => {
		const server = await startTestServer({rate: 0, ...options()});
		const observer = await connectUser(server.port, 'observer');
		const senders = await Promise.all(['ann', 'bob', 'cat', 'dan'].map(async name => connectUser(server.port, name)));
		for (const sender of senders) await observer.nextEvent('client-enter');
		const perSender = 50;
		// Every sender pipelines its whole burst in one write, so appends from different connections land in the same ticks.
		for (const [index, sender] of senders.entries()) {
			sender.send(Array.from({length: perSender}, (_, n) => JSON.stringify({cmd: 'msg', msg: `${index}:${n}`, id: newId()}) + '\n').join(''));
		}

		const statuses = await Promise.all(senders.map(async sender => Promise.all(Array.from({length: perSender}, async () => sender.nextStatus()))));
		const events: Frame[] = [];
		for (let count = 0; count < senders.length * perSender; count++) events.push(await observer.nextEvent('message'));
		// Broadcast order is seq order, whichever connection appended.
		expect(seqs(events)).toEqual(range(1, senders.length * perSender));
		const bySeq = new Map(events.map(event => [event.seq as number, event]));
		for (const [index, list] of statuses.entries()) {
			for (const [n, status] of list.entries()) {
				const position = status as StatusFrame & Position;
				expect(status.success).toBe(true);
				const event = bySeq.get(position.seq)!;
				expect(event).toMatchObject({user: ['ann', 'bob', 'cat', 'dan'][index], msg: `${index}:${n}`, epoch: position.epoch, time: position.time});
				expect(typeof event.id).toBe('string');
			}

			// One sender's own messages are in its order.
			const own = list.map(status => (status as StatusFrame & Position).seq);
			expect(own).toEqual([...own].sort((a, b) => a - b));
		}

		expect(new Set(events.map(event => event.epoch)).size).toBe(1);
		for (const sender of senders) expect(seqAheadOfEvents(sender.received)).toBeUndefined();
		const times = events.map(event => event.time as number);
		expect(times).toEqual([...times].sort((a, b) => a - b));
		// No sender was echoed its own messages.
		for (const sender of senders) {
			await sender.sync();
			expect(sender.pendingEvents().filter(event => event.cmd === 'message' && senders.indexOf(sender) === Number(String(event.msg).split(':')[0]))).toEqual([]);
		}
	});

	it('answers a resent id with the original seq and duplicate: true, and delivers it once', async () => {
		const server = await startTestServer(options());
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		const id = newId();
		const first = await send(alice, 'only once', id);
		expect(first.duplicate).toBeUndefined();
		await send(alice, 'between');
		const again = await send(alice, 'only once', id);
		expect(again).toMatchObject({seq: first.seq, epoch: first.epoch, time: first.time, duplicate: true});
		await bob.sync();
		expect(bob.pendingEvents().map(event => event.msg)).toEqual(['only once', 'between']);
		// Stored once.
		expect((await history(bob)).messages.map(message => message.msg)).toEqual(['only once', 'between']);
		// A reconnect does not forget it: the id belongs to the room, not the connection.
		alice.destroy();
		const back = await connectUser(server.port, 'alice');
		expect(await send(back, 'only once', id)).toMatchObject({seq: first.seq, duplicate: true});
	});

	it('refuses an id reused for another text or by another sender with conflict, storing nothing', async () => {
		const server = await startTestServer(options());
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		const id = newId();
		await send(alice, 'original', id);
		await bob.nextEvent('message');
		alice.sendFrame({cmd: 'msg', msg: 'changed', id});
		expect(await alice.expectStatus(false)).toMatchObject({code: 'conflict'});
		bob.sendFrame({cmd: 'msg', msg: 'original', id});
		expect(await bob.expectStatus(false)).toMatchObject({code: 'conflict'});
		await bob.sync();
		expect(bob.pendingEvents()).toEqual([]);
		expect((await history(alice)).last).toBe(1);
	});

	it('refuses a malformed id with bad-field', async () => {
		const server = await startTestServer(options());
		const alice = await connectUser(server.port, 'alice');
		for (const id of ['short', 'x'.repeat(65), 'has space in it!!', 'ünïcødé-ünïcødé-1', 12_345_678_901_234_567, null]) {
			alice.sendFrame({cmd: 'msg', msg: 'hi', id});
			expect(await alice.expectStatus(false), String(id)).toMatchObject({code: 'bad-field'});
		}

		for (const id of ['a'.repeat(16), 'A-z_0'.repeat(12).slice(0, 64)]) await send(alice, 'fine', id);
		expect((await history(alice)).last).toBe(2);
	});

	it('answers history after, before, neither, with limit, more, first and last', async () => {
		const server = await startTestServer({rate: 0, ...options()});
		const alice = await connectUser(server.port, 'alice');
		const empty = await history(alice);
		expect(empty).toMatchObject({messages: [], first: 0, last: 0, more: false});
		expect(typeof empty.epoch).toBe('string');
		for (let n = 1; n <= 30; n++) await send(alice, `m${n}`);
		const newest = await history(alice, {limit: 10});
		expect(seqs(newest.messages)).toEqual(range(21, 30));
		expect(newest).toMatchObject({first: 1, last: 30, more: true, epoch: empty.epoch});
		expect(newest.messages[0]).toMatchObject({cmd: 'message', user: 'alice', msg: 'm21', seq: 21, epoch: empty.epoch});
		expect(seqs((await history(alice, {after: 25})).messages)).toEqual(range(26, 30));
		expect((await history(alice, {after: 25})).more).toBe(false);
		const page = await history(alice, {after: 5, limit: 10});
		expect(seqs(page.messages)).toEqual(range(6, 15));
		expect(page.more).toBe(true);
		const older = await history(alice, {before: 21, limit: 10});
		expect(seqs(older.messages)).toEqual(range(11, 20));
		expect(older.more).toBe(true);
		const oldest = await history(alice, {before: 6});
		expect(seqs(oldest.messages)).toEqual(range(1, 5));
		expect(oldest.more).toBe(false);
		expect(seqs((await history(alice)).messages)).toEqual(range(1, 30));
		expect((await history(alice, {after: 30})).messages).toEqual([]);
		expect((await history(alice, {before: 1})).messages).toEqual([]);
		// The room may be named, in any case; the default limit is 100, at most 1,000 are given.
		expect(seqs((await history(alice, {room: '#Lobby', after: 28})).messages)).toEqual([29, 30]);
		expect((await history(alice, {limit: 5000})).messages).toHaveLength(30);
	});

	it('refuses history with after and before, non-integers, or a room one is not in', async () => {
		const server = await startTestServer(options());
		const alice = await connectRaw(server.port);
		alice.sendFrame({cmd: 'history'});
		expect(await alice.expectStatus(false)).toMatchObject({code: 'not-connected'});
		alice.sendFrame({cmd: 'connect', username: 'alice'});
		await alice.expectStatus(true);
		for (const query of [{after: 1, before: 5}, {after: 1.5}, {before: '3'}, {limit: 0}, {limit: 2.5}, {after: -1}, {room: 5}, {limit: null}]) {
			alice.sendFrame({cmd: 'history', ...query});
			expect(await alice.expectStatus(false), JSON.stringify(query)).toMatchObject({code: 'bad-field'});
		}

		alice.sendFrame({cmd: 'history', room: '#elsewhere'});
		expect(await alice.expectStatus(false)).toMatchObject({code: 'not-in-room'});
	});

	it('keeps a history reply under 256 KiB and says more', async () => {
		const server = await startTestServer({rate: 0, ...options()});
		const alice = await connectUser(server.port, 'alice');
		// 4,096 four-byte characters: 16 KiB a message, so 30 of them are twice the budget.
		for (let n = 1; n <= 30; n++) await send(alice, `${n} ${'😀'.repeat(4090)}`);
		const newest = await history(alice);
		expect(Buffer.byteLength(JSON.stringify(newest))).toBeLessThan(256 * 1024);
		expect(newest.more).toBe(true);
		expect(newest.messages.length).toBeGreaterThan(10);
		expect(newest.messages.at(-1)!.seq).toBe(30);
		const forward = await history(alice, {after: 0});
		expect(Buffer.byteLength(JSON.stringify(forward))).toBeLessThan(256 * 1024);
		expect(forward).toMatchObject({more: true});
		expect(forward.messages[0]!.seq).toBe(1);
		// Paging forward reaches the end, with no seq twice.
		const all = seqs(forward.messages);
		for (let page = forward; page.more; ) {
			page = await history(alice, {after: all.at(-1)});
			all.push(...seqs(page.messages));
		}

		expect(all).toEqual(range(1, 30));
	});

	it('keeps --history N per room and shows the trimmed start in first', async () => {
		const server = await startTestServer({rate: 0, history: 5, ...options()});
		const alice = await connectUser(server.port, 'alice');
		for (let n = 1; n <= 8; n++) await send(alice, `m${n}`);
		const page = await history(alice, {after: 0});
		expect(page).toMatchObject({first: 4, last: 8, more: false});
		expect(seqs(page.messages)).toEqual(range(4, 8));
	});
});

describe('epochs', () => {
	it('are new on each start of a memory log', async () => {
		const first = await startTestServer();
		const alice = await connectUser(first.port, 'alice');
		const before = await send(alice, 'hello');
		await first.close();
		const second = await startTestServer();
		const back = await connectUser(second.port, 'alice');
		const after = await send(back, 'hello again');
		expect(after.seq).toBe(1);
		expect(after.epoch).not.toBe(before.epoch);
	});

	it('are kept across a restart with --data, with the messages and the ids', async () => {
		const dir = dataDir();
		const first = await startTestServer({dataDir: dir});
		const alice = await connectUser(first.port, 'alice');
		const id = newId();
		const before = await send(alice, 'kept', id);
		await first.close();
		const second = await startTestServer({dataDir: dir});
		const back = await connectUser(second.port, 'alice');
		const page = await history(back);
		expect(page).toMatchObject({epoch: before.epoch, first: 1, last: 1});
		expect(page.messages).toEqual([{cmd: 'message', user: 'alice', msg: 'kept', seq: 1, epoch: before.epoch, time: before.time, id}]);
		expect(await send(back, 'kept', id)).toMatchObject({seq: 1, duplicate: true});
		expect(await send(back, 'next')).toMatchObject({seq: 2, epoch: before.epoch});
	});
});

describe('--history 0', () => {
	it('turns the feature off: not listed, no seq, history unsupported', async () => {
		const server = await startTestServer({history: 0});
		const alice = await connectRaw(server.port);
		alice.sendFrame({cmd: 'connect', username: 'alice'});
		expect((await alice.expectStatus(true)).features).not.toContain('history');
		const bob = await connectUser(server.port, 'bob');
		alice.sendFrame({cmd: 'msg', msg: 'relayed', id: newId()});
		expect(await alice.expectStatus(true, 'sent')).toEqual({success: true, 'error-msg': '', 'success-msg': 'sent'});
		expect(await bob.nextEvent('message')).toEqual({cmd: 'message', user: 'alice', msg: 'relayed'});
		bob.sendFrame({cmd: 'history'});
		expect(await bob.expectStatus(false)).toMatchObject({code: 'unsupported'});
	});
});
