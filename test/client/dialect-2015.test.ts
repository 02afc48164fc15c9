// ChatClient against a simulated 2015 CodeChat server (PROTOCOL.md §5).
import {afterEach, describe, expect, it} from 'vitest';
import {FAKE_2015_SHARED_FILE, startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';
import {waitUntil} from '../helpers/server.js';
import {closeTestClients, roundTrip2015, testClient} from './recorder.js';

const servers: Fake2015Server[] = [];
async function fake(options?: Parameters<typeof startFake2015Server>[0]): Promise<Fake2015Server> {
	const server = await startFake2015Server(options);
	servers.push(server);
	return server;
}

afterEach(async () => {
	closeTestClients();
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

describe('ChatClient with a 2015 server', () => {
	it('detects the dialect from the first status and marks the roster incomplete', async () => {
		const server = await fake();
		const a = testClient({port: server.port, user: 'alice'});
		// Its connect status carries the shared file where ours carries a welcome.
		expect(await a.events.waitFor('connected')).toMatchObject({user: 'alice', dialect: '2015', welcome: FAKE_2015_SHARED_FILE});
		expect(await a.events.waitFor('roster')).toEqual({users: ['alice'], complete: false, source: 'connect', conversation: '#lobby'});
		expect(a.client.dialect).toBe('2015');
		await roundTrip2015(a.client, a.events);
		// No get-clients: the server would fail it and disturb the others.
		expect(server.received.map(entry => entry.frame.cmd)).toEqual(['connect', 'msg']);
		expect(a.events.of('warning')).toEqual([]);
	});

	for (const chunkBytes of [undefined, 3]) {
		it(`messages both ways, back to back frames${chunkBytes ? ` cut into ${chunkBytes}-byte chunks` : ''}`, async () => {
			const server = await fake({chunkBytes});
			const a = testClient({port: server.port, user: 'alice'});
			await a.events.waitFor('connected');
			const b = testClient({port: server.port, user: 'bob'});
			await b.events.waitFor('connected');
			expect(await a.events.waitFor('enter')).toEqual({user: 'bob', conversation: '#lobby'});

			const id = a.client.send('héllo 👋 bob');
			expect(await a.events.waitFor('sent')).toEqual({localId: id, text: 'héllo 👋 bob', conversation: '#lobby'});
			expect(await b.events.waitFor('message')).toMatchObject({user: 'alice', text: 'héllo 👋 bob'});
			b.client.send('hi\nalice');
			b.client.send('second');
			await a.events.waitFor('message', message => message.text === 'second');
			expect(a.events.of('message').map(message => message.text)).toEqual(['hi\nalice', 'second']);
			expect(b.events.of('sent')).toHaveLength(2);
			expect([...a.events.of('warning'), ...b.events.of('warning')]).toEqual([]);
		});
	}

	it('reads a rename from the payload, and who() answers from what events told us', async () => {
		const server = await fake();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('connected');
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('connected');
		await a.events.waitFor('enter');

		b.client.rename('robert');
		expect(await b.events.waitFor('renamed')).toEqual({oldname: 'bob', newname: 'robert'});
		expect(await a.events.waitFor('rename')).toEqual({oldname: 'bob', newname: 'robert', conversations: ['#lobby']});
		a.client.who();
		expect(await a.events.waitFor('roster', roster => roster.source === 'who')).toEqual({users: ['alice', 'robert'], complete: false, source: 'who', conversation: '#lobby'});
		// bob never saw alice enter (she was there first): his list is honest about being incomplete.
		b.client.who();
		expect(await b.events.waitFor('roster', roster => roster.source === 'who')).toEqual({users: ['robert'], complete: false, source: 'who', conversation: '#lobby'});
		expect(server.received.some(entry => entry.frame.cmd === 'get-clients')).toBe(false);
	});

	it('exit: no reply comes and the server closes at once, so the client is done without waiting its second', async () => {
		const server = await fake();
		// A long fallback (it is a second by default, for a server that keeps the socket open):
		// done well before it means the server's close ended the exit.
		const a = testClient({port: server.port, user: 'alice', exitTimeoutMs: 20_000});
		await a.events.waitFor('connected');
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('connected');

		const started = Date.now();
		await a.client.exit('bye');
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(a.events.of('disconnected')).toEqual([{reason: 'you left the chat', willReconnect: false}]);
		expect(await b.events.waitFor('exit')).toEqual({user: 'alice', conversation: '#lobby', msg: 'bye'});
		await waitUntil(() => server.connectionCount() === 1, 15_000, 'the socket to close');
		expect(server.received.at(-1)?.frame).toEqual({cmd: 'exit', msg: 'bye'});
		expect(a.client.debugStats().timers).toBe(0);
	});

	it('accepts a duplicate name without confusing it with us', async () => {
		const server = await fake();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('connected');
		const twin = testClient({port: server.port, user: 'alice'});
		await twin.events.waitFor('connected');
		expect(await a.events.waitFor('enter')).toEqual({user: 'alice', conversation: '#lobby', namesake: true});
		twin.client.send('it is me');
		expect(await a.events.waitFor('message')).toMatchObject({user: 'alice', text: 'it is me', namesake: true});
		// Warned once, not on every line of theirs.
		twin.client.send('again');
		await a.events.waitFor('message', message => message.text === 'again');
		expect(a.events.of('warning').map(warning => warning.message)).toEqual(['someone else joined as alice, your name; their lines are marked (not you)']);
		expect(a.client.roster.users).toEqual([
			{name: 'alice', isMe: true, gone: false, namesake: false},
			{name: 'alice', isMe: false, gone: false, namesake: true},
		]);
	});

	it('reconnects after a crash of the server side', async () => {
		const server = await fake();
		const a = testClient({port: server.port, user: 'alice', backoff: {baseMs: 20, capMs: 40}});
		await a.events.waitFor('connected');
		server.dropAll();
		await a.events.waitFor('reconnecting');
		a.client.send('after the drop');
		await a.events.waitFor('sent', sent => sent.text === 'after the drop');
		expect(a.events.of('connected')).toHaveLength(2);
		expect(a.events.of('roster').at(-1)).toEqual({users: ['alice'], complete: false, source: 'connect', conversation: '#lobby'});
	});
});
