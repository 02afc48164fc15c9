// ChatClient against the reference server, over real TCP on 127.0.0.1.
import {afterEach, describe, expect, it} from 'vitest';
import {startServer} from '../../source/server/index.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeTestClients, roundTrip, testClient} from './recorder.js';

afterEach(async () => {
	closeTestClients();
	await closeTestServers();
});

describe('ChatClient with the reference server', () => {
	it('connects, fills the roster and measures lag', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'alice'});
		const connected = await a.events.waitFor('connected');
		expect(connected).toMatchObject({user: 'alice', server: `127.0.0.1:${server.port}`, dialect: 'codechat'});
		const roster = await a.events.waitFor('roster');
		expect(roster).toEqual({users: ['alice'], complete: true, source: 'connect', conversation: '#lobby'});
		const lag = await a.events.waitFor('lag');
		expect(lag.ms).toBeGreaterThanOrEqual(0);
		expect(a.client.connected).toBe(true);
	});

	it('messages flow between three clients, without echo, each acknowledged', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('roster');
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('roster');
		const c = testClient({port: server.port, user: 'carol'});
		const carolRoster = await c.events.waitFor('roster');
		expect(carolRoster.users).toEqual(['alice', 'bob', 'carol']);
		await a.events.waitFor('enter', event => event.user === 'carol');

		const id = a.client.send('hello, all');
		expect(await a.events.waitFor('sent')).toEqual({localId: id, text: 'hello, all', conversation: '#lobby', seq: 1, epoch: expect.any(String), time: expect.any(Number)});
		for (const other of [b, c]) {
			const message = await other.events.waitFor('message');
			expect(message).toMatchObject({user: 'alice', text: 'hello, all'});
		}

		b.client.send('hi alice');
		await a.events.waitFor('message', message => message.user === 'bob' && message.text === 'hi alice');
		await roundTrip(a.client, a.events);
		expect(a.events.of('message').map(message => message.user)).toEqual(['bob']); // no echo of our own
		expect(a.events.of('warning')).toEqual([]);
	});

	it('a rename is confirmed to us and seen by the others, and who() shows it', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('roster');
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('roster');

		a.client.rename('Alicia');
		expect(await a.events.waitFor('renamed')).toEqual({oldname: 'alice', newname: 'Alicia'});
		expect(a.client.user).toBe('Alicia');
		expect(await b.events.waitFor('rename')).toEqual({oldname: 'alice', newname: 'Alicia', conversations: ['#lobby']});
		b.client.who();
		const who = await b.events.waitFor('roster', roster => roster.source === 'who');
		expect(who).toEqual({users: ['Alicia', 'bob'], complete: true, source: 'who', conversation: '#lobby'});

		b.client.rename('Alicia');
		const refused = await b.events.waitFor('renameFailed');
		expect(refused.error).toMatch(/taken/);
		expect(b.client.user).toBe('bob');
	});

	it('exit resolves once the server closed us, and the others see us leave', async () => {
		const server = await startTestServer();
		// A long exit timeout: resolving well before it means the server answered and closed.
		const a = testClient({port: server.port, user: 'alice', exitTimeoutMs: 20_000});
		await a.events.waitFor('roster');
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('roster');

		const started = Date.now();
		await a.client.exit('bye');
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(a.events.of('disconnected')).toEqual([{reason: 'you left the chat', willReconnect: false}]);
		expect(await b.events.waitFor('exit')).toMatchObject({user: 'alice'});
		// No timer left: no reconnect can follow.
		expect(a.events.of('reconnecting')).toEqual([]);
		expect(a.client.debugStats().timers).toBe(0);
	});

	it('after the server restarts on the same port: reconnects, refills the roster, delivers the pending messages once, in order', async () => {
		const first = await startServer({port: 0, host: '127.0.0.1', quiet: true, closeGraceMs: 200});
		const {port} = first;
		// alice retries every ~1 s, so carol is surely back before alice flushes her outbox.
		const a = testClient({port, user: 'alice', backoff: {baseMs: 1000, capMs: 1000}, random: () => 0.999});
		await a.events.waitFor('roster');
		const b = testClient({port, user: 'bob'});
		await b.events.waitFor('roster');
		a.client.send('before');
		await b.events.waitFor('message', message => message.text === 'before');

		await first.close();
		await a.events.waitFor('reconnecting');
		const texts = ['one', 'two', 'three', 'four'];
		const ids = texts.map(text => a.client.send(text));
		expect(a.client.pending().map(entry => entry.text)).toEqual(texts);
		expect(a.events.of('disconnected')[0]).toMatchObject({willReconnect: true});

		const second = await startTestServer({port});
		expect(second.port).toBe(port);
		const c = testClient({port, user: 'carol'});
		await c.events.waitFor('roster');

		await a.events.waitFor('connected', () => a.events.of('connected').length === 2, 10_000);
		const refilled = await a.events.waitFor('roster', roster => roster.source === 'connect' && roster.users.length === 3, 10_000);
		expect([...refilled.users].sort()).toEqual(['alice', 'bob', 'carol']);
		await c.events.waitFor('message', message => message.text === 'four', 10_000);
		// Every message alice had acknowledged reached carol before carol's answer to this.
		await a.events.waitFor('sent', () => a.events.of('sent').length === texts.length + 1);
		await roundTrip(c.client, c.events);
		expect(c.events.of('message').filter(message => message.user === 'alice').map(message => message.text)).toEqual(texts);
		expect(a.events.of('sent').map(sent => sent.localId)).toEqual([ids[0] - 1, ...ids]);
		expect(a.client.pending()).toEqual([]);
		expect(a.events.of('error')).toEqual([]);
		await b.events.waitFor('message', message => message.text === 'four', 10_000);
	});

	it('keeps retrying while the old session still holds the name, and says so', async () => {
		const {startHoldingProxy} = await import('./proxy.js');
		const server = await startTestServer();
		const proxy = await startHoldingProxy(server.port);
		try {
			const a = testClient({port: proxy.port, user: 'alice', backoff: {baseMs: 40, capMs: 80}});
			await a.events.waitFor('roster');
			const b = testClient({port: server.port, user: 'bob'});
			await b.events.waitFor('roster');

			proxy.cut(700); // alice's side is gone; the server keeps her old session for 0.7 s
			await a.events.waitFor('warning', warning => warning.message === 'name alice is still held by the old session; retrying');
			await a.events.waitFor('connected', () => a.events.of('connected').length === 2, 10_000);
			expect(a.events.of('reconnecting').length).toBeGreaterThanOrEqual(2);
			expect(a.events.of('error')).toEqual([]);
			await b.events.waitFor('enter', event => event.user === 'alice');
		} finally {
			await proxy.close();
		}
	});

	it('does not loop on a name the server can never accept', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'no spaces allowed'});
		const error = await a.events.waitFor('error');
		expect(error.message).toMatch(/refused the name no spaces allowed .* — choose another name$/);
		expect(await a.events.waitFor('disconnected')).toMatchObject({willReconnect: false});
		expect(a.events.of('reconnecting')).toEqual([]);
		expect(a.events.of('connected')).toEqual([]);
		expect(a.client.debugStats().timers).toBe(0);
	});

	it('a first connect under a taken name stops with a clear error', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('roster');
		const b = testClient({port: server.port, user: 'ALICE'});
		const error = await b.events.waitFor('error');
		expect(error.message).toBe(`the name ALICE is taken on 127.0.0.1:${server.port} — choose another name`);
		expect(await b.events.waitFor('disconnected')).toMatchObject({willReconnect: false});
		expect(b.events.of('reconnecting')).toEqual([]);
		expect(b.client.debugStats().timers).toBe(0); // nothing left that could retry
	});

	it('connection refused: the human text, once, while it keeps retrying', async () => {
		const server = await startTestServer();
		const {port} = server;
		await closeTestServers();
		const once = testClient({port, user: 'alice', reconnect: false});
		const error = await once.events.waitFor('error');
		expect(error.message).toBe(`cannot reach 127.0.0.1:${port} (connection refused) — is a server running there? Try \`codechat-tui --serve\` to host one.`);
		expect(await once.events.waitFor('disconnected')).toEqual({reason: error.message, willReconnect: false});

		const retrying = testClient({port, user: 'bob', backoff: {baseMs: 20, capMs: 40}});
		await retrying.events.waitFor('reconnecting', event => event.attempt >= 4);
		expect(retrying.events.of('error')).toHaveLength(1);
		expect(retrying.events.of('disconnected').every(event => event.willReconnect)).toBe(true);
	});

	it('keeps messages refused as rate-limited and sends them again after the retry: each delivered once, in order', async () => {
		// Burst 20, 10/s, and no queue: what is over the limit is refused at once, with retry 1.
		const server = await startTestServer({maxQueuedCommands: 0});
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('roster');
		const a = testClient({port: server.port, user: 'alice', sendRate: false});
		await a.events.waitFor('roster');
		const texts = Array.from({length: 40}, (_, i) => `m${i}`);
		const ids = texts.map(text => a.client.send(text));
		await a.events.waitFor('sent', () => a.events.of('sent').length === 40, 15_000);
		expect(a.events.of('failed')).toEqual([]);
		expect(a.events.of('sent').map(event => event.localId)).toEqual(ids);
		// Some were refused and went again: said once per round of refusals (about 3 here), not once per refusal (20 in the first).
		const told = a.events.of('warning').filter(event => event.message.includes('cannot take messages now'));
		expect(told.length).toBeGreaterThan(0);
		expect(told.length).toBeLessThan(6);
		await b.events.waitFor('message', () => b.events.of('message').length === 40);
		expect(b.events.of('message').map(event => event.text)).toEqual(texts);
		expect(b.events.of('message').map(event => event.seq)).toEqual(texts.map((_, i) => i + 1));
		expect(a.client.pending()).toEqual([]);
	});

	it('a message sent after one refused as rate-limited never overtakes it', async () => {
		// The client writes 40/s into a server that takes 5/s with room for 3 waiting: refusals come
		// late (after the waiting commands' statuses), while later messages, written meanwhile, find a place.
		const server = await startTestServer({rate: 5, burst: 2, maxQueuedCommands: 3});
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('roster');
		const a = testClient({port: server.port, user: 'alice', sendRate: {burst: 1, perSecond: 40}});
		await a.events.waitFor('roster');
		const texts = Array.from({length: 24}, (_, i) => `m${i}`);
		for (const text of texts) a.client.send(text);
		await a.events.waitFor('sent', () => a.events.of('sent').length === 24, 30_000);
		expect(a.events.of('failed')).toEqual([]);
		await b.events.waitFor('message', () => b.events.of('message').length === 24, 10_000);
		expect(b.events.of('message').map(event => event.text)).toEqual(texts);
		expect(a.events.of('sent').map(event => event.seq)).toEqual(texts.map((_, i) => i + 1));
	}, 40_000);

	it('paces a long outbox below the server rate limit, so nothing is refused', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'alice'});
		const ids = Array.from({length: 36}, (_, i) => a.client.send(`m${i}`)); // queued while connecting
		await a.events.waitFor('sent', () => a.events.of('sent').length === 36, 15_000);
		expect(a.events.of('sent').map(event => event.localId)).toEqual(ids);
		expect(a.events.of('failed')).toEqual([]);
	});

	it('refuses an empty message and an overfull outbox locally, as failed', async () => {
		const a = testClient({port: 1, user: 'alice', start: false, outboxCapacity: 2});
		const empty = a.client.send('   ');
		a.client.send('a');
		a.client.send('b');
		const overflow = a.client.send('c');
		await a.events.waitFor('failed', () => a.events.of('failed').length === 2);
		expect(a.events.of('failed')).toEqual([
			{localId: empty, text: '   ', conversation: '#lobby', error: 'message is empty'},
			{localId: overflow, text: 'c', conversation: '#lobby', error: 'outbox full: 2 messages are already waiting to be sent'},
		]);
		a.client.close();
		expect(a.events.of('failed').map(event => event.text)).toEqual(['   ', 'c', 'a', 'b']);
	});

	it('refreshes the roster and measures lag while idle', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'alice', refreshIntervalMs: 100});
		await a.events.waitFor('roster', roster => roster.source === 'refresh');
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('roster');
		const refreshed = await a.events.waitFor('roster', roster => roster.source === 'refresh' && roster.users.length === 2);
		expect(refreshed).toEqual({users: ['alice', 'bob'], complete: true, source: 'refresh', conversation: '#lobby'});
		expect(a.events.of('lag').length).toBeGreaterThanOrEqual(2);
	});

	it('reconnectNow drops the connection and comes back under the same name', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('roster');
		a.client.reconnectNow();
		expect(a.events.of('disconnected')).toEqual([{reason: 'reconnecting, as asked', willReconnect: true}]);
		await a.events.waitFor('connected', () => a.events.of('connected').length === 2);
		expect(a.client.user).toBe('alice');
		a.client.close();
		a.client.reconnectNow(); // closed for good: nothing happens
		expect(a.events.of('connected')).toHaveLength(2);
		expect(a.client.debugStats().timers).toBe(0);
	});
});
