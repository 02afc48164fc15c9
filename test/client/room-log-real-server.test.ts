// ChatClient against the reference server and its room log (§9), over real
// TCP: a client away while others talk comes back with exactly the server's
// seqs; a message whose status was lost is resent with its id and stored
// once; a server SIGKILLed and restarted on the same --data is resumed across
// with nothing lost. The server's own record is read over a raw client.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {NO_FAULTS, startFaultProxy, type FaultProxy} from '../helpers/fault-proxy.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {startRealLogServer, type RealLogServer} from '../helpers/real-log-server.js';
import {killChildServers, useChildServers} from '../resilience/child-server.js';
import {closeTestClients, testClient} from './recorder.js';

const spawnServer = useChildServers();
const servers: RealLogServer[] = [];
const proxies: FaultProxy[] = [];
const dirs: string[] = [];
afterEach(async () => {
	closeTestClients();
	await closeRawClients();
	await Promise.all(servers.splice(0).map(async server => server.close()));
	await Promise.all(proxies.splice(0).map(async proxy => proxy.close()));
	await killChildServers();
	for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

type Logged = {seq: number; user: string; msg: string; id?: string};

/** The room's whole log as the server answers `history`, read by a fresh raw client. */
async function serverLog(port: number): Promise<Logged[]> {
	const raw = await connectUser(port, `reader${Math.floor(Math.random() * 1e6)}`);
	const all: Logged[] = [];
	let after = 0;
	for (;;) {
		raw.sendFrame({cmd: 'history', after, limit: 500});
		const page: Record<string, unknown> = await raw.expectStatus(true);
		const messages = page.messages as Array<Record<string, unknown>>;
		for (const message of messages) all.push({seq: Number(message.seq), user: String(message.user), msg: String(message.msg), ...(typeof message.id === 'string' ? {id: message.id} : {})});
		if (page.more !== true || messages.length === 0) break;
		after = all.at(-1)!.seq;
	}

	raw.destroy();
	return all;
}

const seqsOf = (messages: Array<{seq?: number}>) => messages.map(message => message.seq);

async function started(): Promise<RealLogServer> {
	const server = await startRealLogServer();
	servers.push(server);
	return server;
}

describe('the room log with the reference server', () => {
	it('a client cut off while 200 messages are sent comes back with exactly the server\'s seqs, each once', async () => {
		const server = await started();
		const alice = testClient({port: server.port, user: 'alice'});
		await alice.events.waitFor('caughtUp');
		const bob = testClient({port: server.server.port, user: 'bob', sendRate: false});
		await bob.events.waitFor('caughtUp');
		for (let index = 0; index < 10; index++) bob.client.send(`before ${index}`);
		await alice.events.waitFor('message', () => alice.events.of('message').length === 10);

		server.refuse(true);
		server.dropAll();
		await alice.events.waitFor('disconnected');
		for (let index = 0; index < 200; index++) bob.client.send(`away ${index}`);
		await bob.events.waitFor('sent', () => bob.events.of('sent').length === 210);
		server.refuse(false);
		await alice.events.waitFor('caughtUp', () => alice.events.of('caughtUp').length === 2, 10_000);
		for (let index = 0; index < 5; index++) bob.client.send(`after ${index}`);
		await alice.events.waitFor('message', () => alice.events.of('message').length >= 215);

		const logged = await serverLog(server.server.port);
		expect(logged).toHaveLength(215);
		const seen = alice.events.of('message');
		expect(seqsOf(seen)).toEqual(seqsOf(logged));
		expect(seen.map(message => message.text)).toEqual(logged.map(message => message.msg));
		expect(seen.filter(message => message.recovered)).toHaveLength(200);
		expect(alice.events.of('caughtUp').at(-1)).toEqual({conversation: '#lobby', backlog: 0, recovered: 200});
	});

	it('a client away while more is said than the server keeps says once how many it missed, and holds the rest in order', async () => {
		const server = await startRealLogServer({history: 20});
		servers.push(server);
		const alice = testClient({port: server.port, user: 'alice'});
		await alice.events.waitFor('caughtUp');
		const bob = testClient({port: server.server.port, user: 'bob', sendRate: false});
		await bob.events.waitFor('caughtUp');
		for (let index = 0; index < 5; index++) bob.client.send(`before ${index}`);
		await alice.events.waitFor('message', () => alice.events.of('message').length === 5);

		server.refuse(true);
		server.dropAll();
		await alice.events.waitFor('disconnected');
		for (let index = 0; index < 50; index++) bob.client.send(`away ${index}`);
		await bob.events.waitFor('sent', () => bob.events.of('sent').length === 55);
		server.refuse(false);
		await alice.events.waitFor('caughtUp', () => alice.events.of('caughtUp').length === 2, 10_000);
		bob.client.send('after');
		await alice.events.waitFor('message', message => message.text === 'after');

		// Seqs 6..35 were trimmed (the server keeps 36..55): one line for them, then the 20 it keeps.
		expect(alice.events.of('historyGap')).toEqual([{conversation: '#lobby', missed: 30, kept: 20}]);
		const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => from + index);
		expect(seqsOf(alice.events.of('message'))).toEqual([...range(1, 5), ...range(36, 56)]);
		expect(alice.events.of('message').filter(message => message.recovered).map(message => message.text)).toEqual(range(30, 49).map(index => `away ${index}`));
		expect(alice.events.of('historyReset')).toEqual([]);
	});

	it('live messages that come while the resume\'s pages are held are merged by seq: each shown once, in order', async () => {
		const server = await started();
		const alice = testClient({port: server.port, user: 'alice'});
		await alice.events.waitFor('caughtUp');
		const bob = testClient({port: server.server.port, user: 'bob', sendRate: false});
		await bob.events.waitFor('caughtUp');
		server.refuse(true);
		server.dropAll();
		await alice.events.waitFor('disconnected');
		for (let index = 0; index < 150; index++) bob.client.send(`away ${index}`);
		await bob.events.waitFor('sent', () => bob.events.of('sent').length === 150);

		const held = server.holdHistory();
		server.refuse(false);
		await alice.events.waitFor('connected', () => alice.events.of('connected').length === 2);
		// alice is back in the room (bob's roster says so) while her first page waits.
		await bob.events.waitFor('enter', event => event.user === 'alice', 10_000);
		for (let index = 0; index < 5; index++) bob.client.send(`live ${index}`);
		await bob.events.waitFor('sent', () => bob.events.of('sent').length === 155);
		expect(alice.events.of('message')).toEqual([]);
		held.release();
		await alice.events.waitFor('caughtUp', () => alice.events.of('caughtUp').length === 2, 10_000);
		await alice.events.waitFor('message', () => alice.events.of('message').length === 155);

		const logged = await serverLog(server.server.port);
		expect(seqsOf(alice.events.of('message'))).toEqual(seqsOf(logged));
		expect(alice.events.of('message').map(message => message.text)).toEqual(logged.map(message => message.msg));
		// What was said while she was away is marked recovered; what came live while it was fetched is not marked twice.
		expect(alice.events.of('message').filter(message => message.recovered).length).toBeGreaterThanOrEqual(150);
		expect(new Set(seqsOf(alice.events.of('message'))).size).toBe(155);
	});

	it('a message whose status was lost in a drop is resent with the same id and stored once', async () => {
		const server = await started();
		const alice = testClient({port: server.port, user: 'alice'});
		await alice.events.waitFor('caughtUp');
		alice.client.send('first');
		await alice.events.waitFor('sent');

		server.refuse(true);
		server.loseNextStatus('msg');
		const localId = alice.client.send('the one in flight');
		await alice.events.waitFor('disconnected');
		// The server did store it; the client never heard.
		await expect.poll(async () => (await server.stored()).map(message => message.msg)).toEqual(['first', 'the one in flight']);
		expect(alice.client.pending().map(message => message.text)).toEqual(['the one in flight']);
		server.refuse(false);

		const sent = await alice.events.waitFor('sent', event => event.localId === localId, 10_000);
		expect(sent).toMatchObject({seq: 2, duplicate: true});
		const inFlight = server.commands.filter(command => command.frame.cmd === 'msg' && command.frame.msg === 'the one in flight');
		expect(inFlight).toHaveLength(2);
		expect(inFlight[1]!.frame.id).toBe(inFlight[0]!.frame.id);
		const logged = await serverLog(server.server.port);
		expect(logged.map(message => message.msg)).toEqual(['first', 'the one in flight']);
		expect(logged[1]!.id).toBe(inFlight[0]!.frame.id);
	});

	it('a server SIGKILLed and restarted on the same --data is resumed across with nothing lost', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'codechat-data-'));
		dirs.push(dir);
		let child = await spawnServer({dataDir: dir, rate: 0});
		let upstream: number | undefined = child.port;
		const proxy = await startFaultProxy(() => upstream, NO_FAULTS, 1);
		proxies.push(proxy);
		const alice = testClient({port: proxy.port, user: 'alice'});
		const bob = testClient({port: proxy.port, user: 'bob', sendRate: false});
		await alice.events.waitFor('caughtUp');
		await bob.events.waitFor('caughtUp');
		for (let index = 0; index < 20; index++) bob.client.send(`before ${index}`);
		await bob.events.waitFor('sent', () => bob.events.of('sent').length === 20);

		upstream = undefined;
		await child.kill('SIGKILL');
		// Said while the server is down: kept in bob's outbox until it is back.
		for (let index = 0; index < 20; index++) bob.client.send(`while down ${index}`);
		child = await spawnServer({dataDir: dir, rate: 0});
		upstream = child.port;
		await bob.events.waitFor('sent', () => bob.events.of('sent').length === 40, 15_000);
		for (let index = 0; index < 5; index++) bob.client.send(`after ${index}`);
		await alice.events.waitFor('message', () => alice.events.of('message').length >= 45, 15_000);

		const logged = await serverLog(child.port);
		expect(logged.map(message => message.msg)).toEqual([
			...Array.from({length: 20}, (_, index) => `before ${index}`),
			...Array.from({length: 20}, (_, index) => `while down ${index}`),
			...Array.from({length: 5}, (_, index) => `after ${index}`),
		]);
		const seen = alice.events.of('message');
		expect(seqsOf(seen)).toEqual(seqsOf(logged));
		expect(alice.events.of('historyReset')).toHaveLength(0);
		expect(alice.events.of('historyGap')).toHaveLength(0);
	}, 30_000);
});
