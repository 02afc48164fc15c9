// The client's side of the room log (§9), over in-memory socket pairs and a
// fake clock: message ids, the backlog, the resume with its paging and its
// buffer, holes and resets. The server end is scripted here, frame by frame.
import {afterEach, describe, expect, it} from 'vitest';
import {closeTestClients} from './recorder.js';
import {pairedClient, type Peer} from './paired-client.js';

const ok = (extra: Record<string, unknown> = {}) => ({success: true, 'error-msg': '', 'success-msg': '', ...extra});
const withLog = {features: ['codes', 'history'], server: 'codechat-tui/9', limits: {frame: 65_536, msg: 4096, file: 49_152}};
const EPOCH = 'e1';

const event = (seq: number, user = 'bob', epoch = EPOCH, extra: Record<string, unknown> = {}) => ({cmd: 'message', user, msg: `m${seq}`, seq, epoch, time: 1000 + seq, ...extra});
const page = (seqs: number[], bounds: {first: number; last: number; more?: boolean; epoch?: string}) => ok({
	messages: seqs.map(seq => event(seq, 'bob', bounds.epoch ?? EPOCH)),
	epoch: bounds.epoch ?? EPOCH,
	first: bounds.first,
	last: bounds.last,
	more: bounds.more ?? false,
});
const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => from + index);

afterEach(() => {
	closeTestClients();
});

/** Connects on `server` and answers the roster; the history command is left to the test. */
async function accept(server: Peer, features: Record<string, unknown> = withLog): Promise<void> {
	await server.nextCommand('connect');
	server.send(ok({...features, 'success-msg': 'welcome'}));
	await server.nextCommand('get-clients');
	server.send(ok({clients: ['alice', 'bob']}));
}

/** The first connection, with a backlog reply at `last`; returns the client and its events. */
async function connectedAt(last: number, backlog = 0) {
	const paired = pairedClient({backlog});
	const server = await paired.peer(0);
	await accept(server);
	const asked = await server.nextCommand('history');
	server.send(page(backlog > 0 ? range(Math.max(1, last - backlog + 1), last) : last > 0 ? [last] : [], {first: last > 0 ? 1 : 0, last}));
	await paired.events.waitFor('caughtUp');
	return {...paired, server, asked};
}

/** Drops the link and lets the client reconnect; returns the new server end. */
async function reconnect(paired: {clock: {advance(ms: number): void}; events: ReturnType<typeof pairedClient>['events']; peer: ReturnType<typeof pairedClient>['peer']}, server: Peer, index: number): Promise<Peer> {
	server.end();
	await paired.events.waitFor('reconnecting', () => paired.events.of('reconnecting').length === index);
	paired.clock.advance(paired.events.of('reconnecting').at(-1)!.delayMs);
	const next = await paired.peer(index);
	await accept(next);
	return next;
}

const seqsOf = (events: ReturnType<typeof pairedClient>['events']) => events.of('message').map(message => message.seq);

describe('message ids', () => {
	it('go with every msg to a server with history, the same id on the resend; a duplicate status settles it as sent', async () => {
		const paired = await connectedAt(0);
		const {client, events, server} = paired;
		client.send('hello');
		const first = await server.nextCommand('msg');
		expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
		// The status is lost in the drop: the message goes again, under the same id.
		const next = await reconnect(paired, server, 1);
		await next.nextCommand('history');
		const resent = await next.nextCommand('msg');
		expect(resent).toEqual({cmd: 'msg', msg: 'hello', id: first.id});
		next.send(page([], {first: 0, last: 0}));
		next.send(ok({seq: 1, epoch: EPOCH, time: 5, duplicate: true}));
		expect(await events.waitFor('sent')).toMatchObject({text: 'hello', seq: 1, duplicate: true});
		expect(client.pending()).toEqual([]);
	});

	it('two messages get two ids', async () => {
		const {client, server} = await connectedAt(0);
		client.send('a');
		client.send('b');
		const a = await server.nextCommand('msg');
		const b = await server.nextCommand('msg');
		expect(a.id).not.toBe(b.id);
	});

	it('a seed server gets exactly the msg it always got, and no history', async () => {
		const {client, events, peer} = pairedClient({backlog: 50});
		const server = await peer(0);
		await accept(server, {});
		await events.waitFor('roster');
		client.send('hi');
		expect(await server.nextCommand('msg')).toEqual({cmd: 'msg', msg: 'hi'});
		expect(server.commands.map(command => command.cmd)).toEqual(['connect', 'get-clients', 'msg']);
	});
});

describe('the backlog', () => {
	it('asks for the newest N on the first connect and delivers them marked, before what came live meanwhile', async () => {
		const {events, peer} = pairedClient({backlog: 3});
		const server = await peer(0);
		await accept(server);
		expect(await server.nextCommand('history')).toEqual({cmd: 'history', limit: 3});
		// A live message arrives before the reply: it waits, and comes after the backlog.
		server.send(event(11));
		server.send(page([8, 9, 10], {first: 1, last: 10}));
		await events.waitFor('caughtUp');
		await events.waitFor('message', message => message.seq === 11);
		const messages = events.of('message');
		expect(messages.map(message => [message.seq, message.backlog ?? false])).toEqual([[8, true], [9, true], [10, true], [11, false]]);
		expect(messages[0]).toMatchObject({user: 'bob', text: 'm8', time: 1008, epoch: EPOCH});
		expect(events.of('caughtUp')).toEqual([{conversation: '#lobby', backlog: 3, recovered: 0}]);
	});

	it('with no backlog asks for one message only to learn where the log stands, and shows none', async () => {
		const {events, asked, server} = await connectedAt(40);
		expect(asked).toEqual({cmd: 'history', limit: 1});
		server.send(event(41));
		await events.waitFor('message');
		expect(seqsOf(events)).toEqual([41]);
	});
});

describe('the resume', () => {
	it('asks after the last seq, pages one reply at a time, and delivers each seq once, in order, marked recovered', async () => {
		const paired = await connectedAt(5);
		const {events} = paired;
		paired.server.send(event(6));
		await events.waitFor('message', message => message.seq === 6);
		const next = await reconnect(paired, paired.server, 1);
		expect(await next.nextCommand('history')).toEqual({cmd: 'history', after: 6, limit: 1000});
		// Live messages during the resume wait for the pages.
		next.send(event(2006));
		next.send(page(range(7, 1006), {first: 1, last: 2005, more: true}));
		const second = await next.nextCommand('history');
		expect(second).toEqual({cmd: 'history', after: 1006, limit: 1000});
		// The next page only once the first arrived: one history command per reply.
		expect(next.commands.filter(command => command.cmd === 'history')).toHaveLength(2);
		next.send(event(2007));
		next.send(page(range(1007, 2005), {first: 1, last: 2005}));
		await events.waitFor('message', message => message.seq === 2007);
		expect(seqsOf(events)).toEqual(range(6, 2007));
		const recovered = events.of('message').filter(message => message.recovered);
		expect(recovered.map(message => message.seq)).toEqual(range(7, 2005));
		expect(events.of('caughtUp').at(-1)).toEqual({conversation: '#lobby', backlog: 0, recovered: 1999});
	});

	it('drops a live message the page also holds, and keeps it live', async () => {
		const paired = await connectedAt(5);
		const next = await reconnect(paired, paired.server, 1);
		await next.nextCommand('history');
		next.send(event(7));
		next.send(page([6, 7, 8], {first: 1, last: 8}));
		await paired.events.waitFor('caughtUp', () => paired.events.of('caughtUp').length === 2);
		expect(paired.events.of('message').map(message => [message.seq, message.recovered ?? false])).toEqual([[6, true], [7, false], [8, true]]);
	});

	it('says how many messages are gone for good when the server no longer keeps them', async () => {
		const paired = await connectedAt(100);
		const next = await reconnect(paired, paired.server, 1);
		await next.nextCommand('history');
		next.send(page(range(10_113, 10_115), {first: 10_113, last: 20_112, more: false}));
		expect(await paired.events.waitFor('historyGap')).toEqual({conversation: '#lobby', missed: 10_012, kept: 10_000});
		await paired.events.waitFor('caughtUp', () => paired.events.of('caughtUp').length === 2);
		expect(seqsOf(paired.events)).toEqual([10_113, 10_114, 10_115]);
	});

	it('a new epoch is a reset: one event, then the new log from its start', async () => {
		const paired = await connectedAt(50);
		const next = await reconnect(paired, paired.server, 1);
		await next.nextCommand('history');
		next.send(page([1, 2], {first: 1, last: 2, epoch: 'e2'}));
		await paired.events.waitFor('historyReset');
		expect(await next.nextCommand('history')).toEqual({cmd: 'history', after: 0, limit: 1000});
		next.send(page([1, 2], {first: 1, last: 2, epoch: 'e2'}));
		await paired.events.waitFor('caughtUp', () => paired.events.of('caughtUp').length === 2);
		expect(paired.events.of('message').map(message => [message.seq, message.epoch])).toEqual([[1, 'e2'], [2, 'e2']]);
		expect(paired.events.of('historyReset')).toHaveLength(1);
	});

	it('`last` below our last seq in the same epoch is a reset too', async () => {
		const paired = await connectedAt(50);
		const next = await reconnect(paired, paired.server, 1);
		await next.nextCommand('history');
		next.send(page([], {first: 1, last: 3}));
		await paired.events.waitFor('historyReset');
		expect(await next.nextCommand('history')).toEqual({cmd: 'history', after: 0, limit: 1000});
	});

	it('a live message after a hole fetches what lies between before it is shown', async () => {
		const {events, server} = await connectedAt(5);
		server.send(event(8));
		expect(await server.nextCommand('history')).toEqual({cmd: 'history', after: 5, limit: 1000});
		expect(seqsOf(events)).toEqual([]);
		server.send(page([6, 7, 8], {first: 1, last: 8}));
		await events.waitFor('message', message => message.seq === 8);
		expect(seqsOf(events)).toEqual([6, 7, 8]);
	});

	it('does not show our own resend, which the log holds, as someone else\'s line', async () => {
		const paired = await connectedAt(5);
		const {client, events, server} = paired;
		client.send('mine');
		const sent = await server.nextCommand('msg');
		const next = await reconnect(paired, server, 1);
		await next.nextCommand('history');
		await next.nextCommand('msg');
		// The first send was stored before the drop: the page holds it under its id.
		next.send(ok({messages: [event(6, 'alice', EPOCH, {msg: 'mine', id: sent.id}), event(7)], epoch: EPOCH, first: 1, last: 7, more: false}));
		next.send(ok({seq: 6, epoch: EPOCH, time: 9, duplicate: true}));
		await events.waitFor('sent');
		await events.waitFor('message', message => message.seq === 7);
		expect(seqsOf(events)).toEqual([7]);
	});

	it('our own stored message is not fetched back on the resume', async () => {
		const paired = await connectedAt(5);
		const {client, events, server} = paired;
		client.send('mine');
		await server.nextCommand('msg');
		server.send(ok({seq: 6, epoch: EPOCH, time: 9}));
		await events.waitFor('sent');
		const next = await reconnect(paired, server, 1);
		expect(await next.nextCommand('history')).toEqual({cmd: 'history', after: 6, limit: 1000});
	});
});

describe('older pages', () => {
	it('asks before the oldest loaded seq, one page at a time, until the server keeps nothing older', async () => {
		const {client, events, server} = await connectedAt(300, 50);
		expect(client.hasOlder).toBe(true);
		expect(client.loadOlder()).toBe(true);
		expect(client.loadOlder()).toBe(false);
		expect(await server.nextCommand('history')).toEqual({cmd: 'history', before: 251, limit: 100});
		server.send(page(range(151, 250), {first: 101, last: 300, more: true}));
		const older = await events.waitFor('older');
		expect(older.messages.map(message => message.seq)).toEqual(range(151, 250));
		expect(older.more).toBe(true);
		expect(client.loadOlder()).toBe(true);
		expect(await server.nextCommand('history')).toEqual({cmd: 'history', before: 151, limit: 100});
		server.send(page(range(101, 150), {first: 101, last: 300, more: false}));
		await events.waitFor('older', () => events.of('older').length === 2);
		expect(events.of('older')[1].more).toBe(false);
		expect(client.hasOlder).toBe(false);
		expect(client.loadOlder()).toBe(false);
	});
});
