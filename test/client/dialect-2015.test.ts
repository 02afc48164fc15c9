// ChatClient against a simulated 2015 CodeChat server (PROTOCOL.md §5).
import {afterEach, describe, expect, it} from 'vitest';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';
import {waitUntil} from '../helpers/server.js';
import {closeTestClients, sleep, testClient} from './recorder.js';

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
		expect(await a.events.waitFor('connected')).toMatchObject({user: 'alice', dialect: '2015', welcome: 'welcome alice'});
		expect(await a.events.waitFor('roster')).toEqual({users: ['alice'], complete: false, source: 'connect'});
		expect(a.client.dialect).toBe('2015');
		await sleep(100);
		// No get-clients: the server would fail it and disturb the others.
		expect(server.received.map(entry => entry.frame.cmd)).toEqual(['connect']);
		expect(a.events.of('warning')).toEqual([]); // update-file was ignored quietly
	});

	for (const chunkBytes of [undefined, 3]) {
		it(`messages both ways, back to back frames${chunkBytes ? ` cut into ${chunkBytes}-byte chunks` : ''}`, async () => {
			const server = await fake({chunkBytes});
			const a = testClient({port: server.port, user: 'alice'});
			await a.events.waitFor('connected');
			const b = testClient({port: server.port, user: 'bob'});
			await b.events.waitFor('connected');
			expect(await a.events.waitFor('enter')).toEqual({user: 'bob'});

			const id = a.client.send('héllo 👋 bob');
			expect(await a.events.waitFor('sent')).toEqual({localId: id, text: 'héllo 👋 bob'});
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
		expect(await a.events.waitFor('rename')).toEqual({oldname: 'bob', newname: 'robert'});
		a.client.who();
		expect(await a.events.waitFor('roster', roster => roster.source === 'who')).toEqual({users: ['alice', 'robert'], complete: false, source: 'who'});
		// bob never saw alice enter (she was there first): his list is honest about being incomplete.
		b.client.who();
		expect(await b.events.waitFor('roster', roster => roster.source === 'who')).toEqual({users: ['robert'], complete: false, source: 'who'});
		expect(server.received.some(entry => entry.frame.cmd === 'get-clients')).toBe(false);
	});

	it('exit: no reply comes, so the client closes within about a second', async () => {
		const server = await fake();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('connected');
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('connected');

		const started = Date.now();
		await a.client.exit('bye');
		const took = Date.now() - started;
		expect(took).toBeGreaterThanOrEqual(900);
		expect(took).toBeLessThan(3000);
		expect(a.events.of('disconnected')).toEqual([{reason: 'you left the chat', willReconnect: false}]);
		expect(await b.events.waitFor('exit')).toEqual({user: 'alice'});
		await waitUntil(() => server.connectionCount() === 1, 3000, 'the socket to close');
		expect(server.received.at(-1)?.frame).toEqual({cmd: 'exit', msg: 'bye'});
		expect(a.client.debugStats().timers).toBe(0);
	});

	it('accepts a duplicate name without confusing it with us', async () => {
		const server = await fake();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('connected');
		const twin = testClient({port: server.port, user: 'alice'});
		await twin.events.waitFor('connected');
		expect(await a.events.waitFor('enter')).toEqual({user: 'alice'});
		twin.client.send('it is me');
		expect(await a.events.waitFor('message')).toMatchObject({user: 'alice', text: 'it is me'});
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
		expect(a.events.of('roster').at(-1)).toEqual({users: ['alice'], complete: false, source: 'connect'});
	});
});
