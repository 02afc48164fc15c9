// Redis goes away and comes back empty (restart, no persistence): each node
// keeps serving its own clients and says it is degraded; afterwards the nodes
// rebuild the cluster state from their local users, one of two users who
// took the same name during the outage is disconnected, and cross-node
// delivery resumes. Messages typed during an outage wait in the client's
// outbox and arrive once each, in order, when Redis is back with its data.
import {PassThrough} from 'node:stream';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/index.js';
import {runPipe} from '../../source/cli/pipe-mode.js';
import {closeTestClients, testClient} from '../client/recorder.js';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectRaw, connectUser, type RawClient} from '../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {closeTestServers} from '../helpers/server.js';
import {closeNodes, startNode} from './nodes.js';

let redis: RedisServer;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);
afterEach(async () => {
	await closePtys();
	closeTestClients();
	await closeRawClients();
	await closeNodes();
	await closeTestServers();
	if (!redis.running) await redis.restart();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

function messages(client: RawClient): string[] {
	return client.received.flatMap(item => (item.type === 'frame' && item.frame.cmd === 'message' ? [String(item.frame.msg)] : []));
}

describe('a Redis outage', () => {
	it('keeps local chat going, reports degraded, then reconciles and resumes cross-node delivery', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out1:'}), startNode(redis.url, {prefix: 'out1:'})]);
		const alice = await connectUser(a.port, 'alice');
		const amy = await connectUser(a.port, 'amy');
		const bob = await connectUser(b.port, 'bob');
		expect(a.hub.degraded).toBe(false);

		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');
		expect(a.log.some(line => line.includes('degraded'))).toBe(true);

		// The log lives in Redis: a message that cannot be stored is refused, with a retry, and reaches nobody (§9).
		alice.sendFrame({cmd: 'msg', msg: 'during the outage'});
		expect(await alice.expectStatus(false, 'unavailable')).toMatchObject({code: 'unavailable', retry: 2});
		alice.sendFrame({cmd: 'history'});
		expect(await alice.expectStatus(false)).toMatchObject({code: 'unavailable', retry: 2});
		// Names are still unique on the node.
		const twin = await connectRaw(a.port);
		twin.sendFrame({cmd: 'connect', username: 'ALICE'});
		await twin.expectStatus(false, 'taken');
		// Joining, renaming, leaving and get-clients work locally.
		const dan = await connectUser(a.port, 'dan');
		const eve = await connectUser(a.port, 'eve');
		eve.sendFrame({cmd: 'rename', oldname: 'eve', newname: 'evelyn'});
		await eve.expectStatus(true);
		expect(await alice.nextEvent('client-rename')).toMatchObject({oldname: 'eve', newname: 'evelyn'});
		eve.sendFrame({cmd: 'exit'});
		await eve.expectStatus(true);
		amy.sendFrame({cmd: 'exit'});
		await amy.expectStatus(true);
		expect((await alice.sync()).clients).toEqual(['alice', 'dan']);
		expect((await bob.sync()).clients).toEqual(['bob']);
		// So does joining a room.
		alice.sendFrame({cmd: 'join', room: '#ops'});
		expect(await alice.expectStatus(true)).toMatchObject({clients: ['alice']});
		dan.sendFrame({cmd: 'join', room: '#ops'});
		expect(await dan.expectStatus(true)).toMatchObject({clients: ['alice', 'dan']});
		await waitFor(() => alice.received.some(item => item.type === 'frame' && item.frame.cmd === 'client-enter' && item.frame.room === '#ops' && item.frame.user === 'dan'), 'dan announced in #ops');

		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');
		expect(a.log.some(line => line.includes('back; reconciled'))).toBe(true);

		// The cluster roster is rebuilt from both nodes.
		expect(new Set((await bob.sync()).clients)).toEqual(new Set(['alice', 'dan', 'bob']));
		expect(new Set((await alice.sync()).clients)).toEqual(new Set(['alice', 'dan', 'bob']));
		// Names are unique across nodes again.
		const copy = await connectRaw(b.port);
		copy.sendFrame({cmd: 'connect', username: 'Dan'});
		await copy.expectStatus(false, 'taken');

		alice.sendFrame({cmd: 'msg', msg: 'after the outage'});
		await alice.expectStatus(true);
		await waitFor(() => messages(bob).includes('after the outage'), 'cross-node delivery again');
		expect(messages(bob)).not.toContain('during the outage');
		expect(messages(amy)).toEqual([]);
		bob.sendFrame({cmd: 'msg', msg: 'hello back'});
		await bob.expectStatus(true);
		await waitFor(() => messages(dan).includes('hello back'), 'delivery from b to a');
		// The room joined during the outage is one room across the nodes again.
		bob.sendFrame({cmd: 'join', room: '#ops'});
		const joined = await bob.expectStatus(true);
		expect(new Set(joined.clients)).toEqual(new Set(['alice', 'dan', 'bob']));
		bob.sendFrame({cmd: 'msg', room: '#ops', msg: 'ops from b'});
		await bob.expectStatus(true);
		await waitFor(() => messages(alice).includes('ops from b'), 'a room message from b to a');
	});

	it('without a log (--history 0) keeps local chat going during the outage, and replays nothing', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out4:'}, {history: 0}), startNode(redis.url, {prefix: 'out4:'}, {history: 0})]);
		const alice = await connectUser(a.port, 'alice');
		const amy = await connectUser(a.port, 'amy');
		const bob = await connectUser(b.port, 'bob');
		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');
		alice.sendFrame({cmd: 'msg', msg: 'during the outage'});
		await alice.expectStatus(true, 'sent');
		expect(await amy.nextEvent('message')).toEqual({cmd: 'message', user: 'alice', msg: 'during the outage'});
		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');
		alice.sendFrame({cmd: 'msg', msg: 'after the outage'});
		await alice.expectStatus(true);
		await waitFor(() => messages(bob).includes('after the outage'), 'cross-node delivery again');
		expect(messages(bob)).toEqual(['after the outage']);
	});

	it('keeps one of two users who took the same name on two nodes during the outage', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out2:'}), startNode(redis.url, {prefix: 'out2:'})]);
		const ann = await connectUser(a.port, 'ann');
		const bob = await connectUser(b.port, 'bob');
		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');

		const zedA = await connectUser(a.port, 'zed');
		const zedB = await connectUser(b.port, 'Zed');
		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');

		await waitFor(() => zedA.isClosed || zedB.isClosed, 'the losing zed disconnected');
		await new Promise(resolve => setTimeout(resolve, 500));
		expect([zedA.isClosed, zedB.isClosed].filter(Boolean)).toHaveLength(1);
		const loser = zedA.isClosed ? a : b;
		expect(loser.log.some(line => line.includes('held on another node'))).toBe(true);
		const roster = (await ann.sync()).clients!;
		expect(roster.filter(name => name.toLowerCase() === 'zed')).toHaveLength(1);
		expect(new Set((await bob.sync()).clients)).toEqual(new Set(roster));
	});

	it('announces the exit of a user who left while the other node could not hear it', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out3:'}), startNode(redis.url, {prefix: 'out3:'})]);
		const bob = await connectUser(b.port, 'bob');
		const ann = await connectUser(a.port, 'ann');
		expect(await bob.nextEvent('client-enter')).toEqual({cmd: 'client-enter', user: 'ann'});

		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');
		ann.sendFrame({cmd: 'exit', msg: 'offline'});
		await ann.expectStatus(true);
		await ann.waitClosed();
		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');
		// Node a may reconcile before b listens again (at-most-once), so look at the roster, then at the event if it came.
		expect((await bob.sync()).clients).toEqual(['bob']);
		const exits = bob.received.flatMap(item => (item.type === 'frame' && item.frame.cmd === 'client-exit' ? [item.frame] : []));
		expect(exits.length).toBeLessThanOrEqual(1);
		// The reason she gave was kept for the replay.
		for (const exit of exits) expect(exit).toEqual({cmd: 'client-exit', user: 'ann', msg: 'offline'});
	});
});

type PipeLine = {type: string; text?: string; seq?: number; message?: string};

/** alice typing into the product's pipe mode (--json) on `port`: what she types, what it printed, and its exit code. */
function pipeAlice(port: number, drainTimeoutMs?: number) {
	const input = new PassThrough();
	const output = new PassThrough();
	let printed = '';
	output.setEncoding('utf8').on('data', (chunk: string) => {
		printed += chunk;
	});
	const alice = new ChatClient({host: '127.0.0.1', port, user: 'alice', backoff: {baseMs: 50, capMs: 200}});
	const exited = runPipe({client: alice, input, output, json: true, drainTimeoutMs});
	const lines = () => printed.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as PipeLine);
	const told = (type: string) => lines().filter(line => line.type === type);
	return {input, exited, lines, told};
}

describe('messages typed during a Redis outage', () => {
	it('wait in the outbox of pipe mode and arrive once each, in order, across nodes, when Redis is back', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out5:'}), startNode(redis.url, {prefix: 'out5:'})]);
		const bob = testClient({port: b.port, user: 'bob'});
		await bob.events.waitFor('caughtUp');
		// alice types into the product's pipe mode (--json), connected to the other node.
		const {input, exited, lines, told} = pipeAlice(a.port);
		const sent = () => told('sent');
		await waitFor(() => lines().some(line => line.type === 'caught-up'), 'alice caught up');
		input.write('before the outage\n');
		await waitFor(() => sent().length === 1, 'the first message sent');

		// Redis restarts with its data (an rdb on disk), as a production Redis would.
		await redis.save();
		await redis.stop();
		await waitFor(() => a.hub.degraded, 'node a degraded');
		const typed = ['one', 'two', 'three', 'four', 'five'];
		for (const text of typed) input.write(`${text}\n`);
		await waitFor(() => lines().some(line => line.type === 'warning' && line.message!.includes('cannot take messages now')), 'the refusal told');
		expect(sent()).toHaveLength(1);
		await redis.restart();

		await waitFor(() => sent().length === 6, 'every message sent', 20_000);
		await bob.events.waitFor('message', () => bob.events.of('message').length === 6, 10_000);
		expect(bob.events.of('message').map(message => message.text)).toEqual(['before the outage', ...typed]);
		expect(bob.events.of('message').map(message => message.seq)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(sent().map(line => [line.text, line.seq])).toEqual(['before the outage', ...typed].map((text, index) => [text, index + 1]));
		expect(told('failed')).toEqual([]);
		expect(bob.events.of('historyReset')).toEqual([]);
		input.end();
		expect(await exited).toBe(0);
	});

	it('keep pipe mode waiting past its idle limit at the end of input while the server says when to resend', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out5b:'}), startNode(redis.url, {prefix: 'out5b:'})]);
		const bob = testClient({port: b.port, user: 'bob'});
		await bob.events.waitFor('caughtUp');
		// An idle limit far shorter than the outage: silence would end the wait at once.
		const {input, exited, lines, told} = pipeAlice(a.port, 200);
		let settled = false;
		void exited.then(() => {
			settled = true;
		});
		await waitFor(() => lines().some(line => line.type === 'caught-up'), 'alice caught up');
		await redis.save();
		await redis.stop();
		await waitFor(() => a.hub.degraded, 'node a degraded');
		input.write('one\ntwo\n');
		input.end();
		await waitFor(() => lines().some(line => line.type === 'warning' && line.message!.includes('cannot take messages now')), 'the refusal told');
		// Showing that something does not happen takes a bounded wait: 1.5 s is over
		// seven idle limits; a slow machine can only make this pass later, never fail.
		await new Promise(resolve => {
			setTimeout(resolve, 1500);
		});
		expect(settled).toBe(false);
		await redis.restart();
		expect(await exited).toBe(0);
		expect(told('sent').map(line => line.text)).toEqual(['one', 'two']);
		expect(told('failed')).toEqual([]);
		await bob.events.waitFor('message', () => bob.events.of('message').length === 2, 10_000);
	});

	it('show in the TUI as waiting (dim), then as delivered, never as failed', async () => {
		const a = await startNode(redis.url, {prefix: 'out8:'});
		const bob = testClient({port: a.port, user: 'bob'});
		await bob.events.waitFor('caughtUp');
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(a.port), '--user', 'alice']);
		await alice.waitForText('Users (2)');
		const dim = (screen: PtyScreen, text: string) => screen.cellsMatching(new RegExp(text))?.every(cell => cell.dim);
		await redis.save();
		await redis.stop();
		await waitFor(() => a.hub.degraded, 'node a degraded');
		alice.type('typed while down\r');
		alice.type('and this too\r');
		await alice.waitForText('cannot take messages now');
		expect(dim(alice, 'and this too')).toBe(true);
		await redis.restart();
		await bob.events.waitFor('message', () => bob.events.of('message').length === 2, 20_000);
		expect(bob.events.of('message').map(message => message.text)).toEqual(['typed while down', 'and this too']);
		await waitFor(() => dim(alice, 'typed while down') === false && dim(alice, 'and this too') === false, 'both shown as delivered');
		expect(alice.text()).not.toContain('✗');
	});

	it('the TUI says once that the history was reset when Redis came back empty, then goes on', async () => {
		const a = await startNode(redis.url, {prefix: 'out11:'});
		const bob = testClient({port: a.port, user: 'bob'});
		await bob.events.waitFor('caughtUp');
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(a.port), '--user', 'alice']);
		await alice.waitForText('Users (2)');
		bob.client.send('in the old log');
		await alice.waitForText('in the old log');
		await redis.stop();
		await waitFor(() => a.hub.degraded, 'node a degraded');
		await redis.restart();
		await waitFor(() => !a.hub.degraded, 'node a back');
		bob.client.send('in the new log');
		await alice.waitForText('in the new log');
		bob.client.send('and more');
		await alice.waitForText('and more');
		expect(alice.text().split('the server\'s history was reset')).toHaveLength(2);
		expect(alice.text().split('in the new log')).toHaveLength(2);
	});

	it('that a stalled Redis stored after all come back as duplicates: each delivered once, in order', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out7:'}), startNode(redis.url, {prefix: 'out7:'})]);
		const bob = testClient({port: b.port, user: 'bob'});
		await bob.events.waitFor('caughtUp');
		const alice = testClient({port: a.port, user: 'alice'});
		await alice.events.waitFor('caughtUp');
		const typed = ['one', 'two', 'three'];
		// Paused, Redis keeps the appends written to it; the node's calls time out (1 s) and are refused.
		redis.pause();
		try {
			for (const text of typed) alice.client.send(text);
			await alice.events.waitFor('warning', warning => warning.message.includes('cannot take messages now'));
		} finally {
			redis.resume();
		}

		await alice.events.waitFor('sent', () => alice.events.of('sent').length === 3, 20_000);
		expect(alice.events.of('failed')).toEqual([]);
		expect(alice.events.of('sent').map(event => [event.text, event.seq])).toEqual(typed.map((text, index) => [text, index + 1]));
		expect(alice.events.of('sent').map(event => event.duplicate)).toEqual([true, true, true]);
		await bob.events.waitFor('message', () => bob.events.of('message').length === 3, 10_000);
		expect(bob.events.of('message').map(message => [message.text, message.seq])).toEqual(typed.map((text, index) => [text, index + 1]));
		// Another round trip: nothing came twice.
		alice.client.send('after');
		await bob.events.waitFor('message', message => message.text === 'after');
		expect(bob.events.of('message').map(message => message.text)).toEqual([...typed, 'after']);
	});

	it('after Redis came back empty, clients on both nodes say once that the history was reset, and go on in the new log', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out9:'}), startNode(redis.url, {prefix: 'out9:'})]);
		const bob = testClient({port: b.port, user: 'bob'});
		await bob.events.waitFor('caughtUp');
		const alice = testClient({port: a.port, user: 'alice'});
		await alice.events.waitFor('caughtUp');
		for (const text of ['one', 'two', 'three']) alice.client.send(text);
		await bob.events.waitFor('message', () => bob.events.of('message').length === 3);
		const [before] = bob.events.of('message').map(message => message.epoch);

		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');
		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');
		alice.client.send('in the new log');
		await bob.events.waitFor('message', message => message.text === 'in the new log', 10_000);
		bob.client.send('answer');
		await alice.events.waitFor('message', message => message.text === 'answer', 10_000);

		expect(bob.events.of('historyReset')).toEqual([{conversation: '#lobby'}]);
		expect(alice.events.of('historyReset')).toEqual([{conversation: '#lobby'}]);
		const after = bob.events.of('message').slice(3);
		expect(after.map(message => [message.text, message.seq])).toEqual([['in the new log', 1]]);
		expect(after[0]!.epoch).not.toBe(before);
		expect(alice.events.of('message').map(message => [message.text, message.seq])).toEqual([['answer', 2]]);
		expect(bob.events.of('sent').map(event => event.seq)).toEqual([2]);
		expect([...alice.events.of('failed'), ...bob.events.of('failed')]).toEqual([]);
	});

	it('a client that connects during the outage gets its backlog once Redis is back, then what is said live, each once', async () => {
		const a = await startNode(redis.url, {prefix: 'out10:'});
		const alice = testClient({port: a.port, user: 'alice'});
		await alice.events.waitFor('caughtUp');
		alice.client.send('old one');
		alice.client.send('old two');
		await alice.events.waitFor('sent', () => alice.events.of('sent').length === 2);
		await redis.save();
		await redis.stop();
		await waitFor(() => a.hub.degraded, 'node a degraded');

		const bob = testClient({port: a.port, user: 'bob', backlog: 10});
		await bob.events.waitFor('warning', warning => warning.message.includes('history'));
		expect(bob.events.of('caughtUp')).toEqual([]);
		await redis.restart();
		await bob.events.waitFor('caughtUp', undefined, 20_000);
		alice.client.send('new');
		await bob.events.waitFor('message', message => message.text === 'new');
		bob.client.reconnectNow();
		await bob.events.waitFor('caughtUp', () => bob.events.of('caughtUp').length === 2);
		alice.client.send('newer');
		await bob.events.waitFor('message', message => message.text === 'newer');
		expect(bob.events.of('message').map(message => [message.text, message.seq, message.backlog ?? false])).toEqual([
			['old one', 1, true],
			['old two', 2, true],
			['new', 3, false],
			['newer', 4, false],
		]);
	});

	it('are held behind the first one refused until it comes again, on the server', async () => {
		const a = await startNode(redis.url, {prefix: 'out6:'});
		const alice = await connectUser(a.port, 'alice');
		const amy = await connectUser(a.port, 'amy');
		await redis.save();
		await redis.stop();
		await waitFor(() => a.hub.degraded, 'node a degraded');
		alice.sendFrame({cmd: 'msg', msg: 'first', id: 'first-message-id-0001'});
		expect(await alice.expectStatus(false, 'unavailable')).toMatchObject({code: 'unavailable', retry: 2});
		await redis.restart();
		await waitFor(() => !a.hub.degraded, 'node a back');
		// Written before alice's client heard of the refusal: it must not be stored ahead of the first.
		alice.sendFrame({cmd: 'msg', msg: 'second', id: 'second-message-id-002'});
		expect(await alice.expectStatus(false, 'unavailable')).toMatchObject({code: 'unavailable', retry: 2});
		alice.sendFrame({cmd: 'msg', msg: 'first', id: 'first-message-id-0001'});
		expect(await alice.expectStatus(true)).toMatchObject({seq: 1});
		alice.sendFrame({cmd: 'msg', msg: 'second', id: 'second-message-id-002'});
		expect(await alice.expectStatus(true)).toMatchObject({seq: 2});
		await waitFor(() => messages(amy).length === 2, 'both delivered');
		expect(messages(amy)).toEqual(['first', 'second']);
	});
});
