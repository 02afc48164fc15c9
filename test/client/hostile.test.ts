// ChatClient facing servers that misbehave: oversized and bad frames,
// silence, statuses lost in a drop, events that make no sense.
import {afterEach, describe, expect, it} from 'vitest';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';
import {closeTestClients, roundTrip2015, testClient} from './recorder.js';
import {ok, startScriptedServer, type ScriptedServer} from './scripted-server.js';

const cleanups: Array<() => Promise<void>> = [];
function track<T extends Fake2015Server | ScriptedServer>(server: T): T {
	cleanups.push(async () => server.close());
	return server;
}

afterEach(async () => {
	closeTestClients();
	await Promise.all(cleanups.splice(0).map(async cleanup => cleanup()));
});

describe('ChatClient and a hostile server', () => {
	it('drops the connection on a frame over maxFrameBytes, warns, and reconnects', async () => {
		const server = track(await startFake2015Server());
		const a = testClient({port: server.port, user: 'alice', maxFrameBytes: 1024, backoff: {baseMs: 20, capMs: 40}});
		await a.events.waitFor('connected');
		server.sendRaw(JSON.stringify({cmd: 'message', from: 'x', payload: 'a'.repeat(5000)}));
		expect((await a.events.waitFor('warning')).message).toBe('the server sent a frame over the 1024-byte limit; reconnecting');
		expect(await a.events.waitFor('disconnected')).toEqual({reason: 'the server sent an oversized frame', willReconnect: true});
		await a.events.waitFor('connected', () => a.events.of('connected').length === 2);
		expect(a.events.of('message')).toEqual([]);
	});

	it('warns about bad frames and keeps going; a flood of them is capped', async () => {
		const server = track(await startFake2015Server());
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('connected');
		server.sendRaw('not json\n{"cmd":"message","from":"bob","payload":"still here"}');
		expect(await a.events.waitFor('message')).toMatchObject({user: 'bob', text: 'still here'});
		expect(a.events.of('warning')[0].message).toMatch(/^bad frame from the server \(malformed frame/);

		server.sendRaw('junk\n'.repeat(500));
		await a.events.waitFor('warning', warning => warning.message.startsWith('too many warnings'));
		await roundTrip2015(a.client, a.events);
		expect(a.events.of('warning')).toHaveLength(51);
		expect(a.events.of('disconnected')).toEqual([]);
	});

	it('re-sends, in order, messages whose status was lost in a drop (at-least-once)', async () => {
		const seen: string[][] = [[], []];
		const server = track(await startScriptedServer(connection => {
			connection.onCommand(frame => {
				if (frame.cmd === 'connect') connection.send(ok('welcome'));
				else if (frame.cmd === 'get-clients') connection.send(ok('alice', ['alice']));
				else if (frame.cmd === 'msg') {
					seen[connection.index]?.push(String(frame.msg));
					if (connection.index > 0) connection.send(ok('sent'));
					// The first connection swallows two messages unanswered, then dies.
					else if (seen[0].length === 2) connection.socket.destroy();
				}
			});
		}));
		const a = testClient({port: server.port, user: 'alice', backoff: {baseMs: 20, capMs: 40}});
		await a.events.waitFor('roster');
		a.client.send('a');
		a.client.send('b');
		await a.events.waitFor('reconnecting');
		a.client.send('c');
		await a.events.waitFor('sent', () => a.events.of('sent').length === 3);
		expect(seen).toEqual([['a', 'b'], ['a', 'b', 'c']]);
		expect(a.events.of('sent').map(sent => sent.text)).toEqual(['a', 'b', 'c']);
		expect(a.events.of('failed')).toEqual([]);
	});

	it('warns about statuses that answer nothing and events about strangers or ourselves', async () => {
		const server = track(await startScriptedServer(connection => {
			connection.onCommand(frame => {
				if (frame.cmd === 'connect') connection.send(ok('welcome'));
				if (frame.cmd === 'get-clients') {
					connection.send(ok('alice, bob'));
					connection.send({cmd: 'client-exit', user: 'zed'});
					connection.send({cmd: 'client-exit', user: 'Alice'});
					connection.send({cmd: 'client-enter', user: 'bob'});
					connection.send(ok('nobody asked'));
					connection.send({cmd: '', user: 'x'});
					connection.send({cmd: 'client-exit', user: 'bob'});
				}
			});
		}));
		const a = testClient({port: server.port, user: 'alice'});
		expect(await a.events.waitFor('roster')).toEqual({users: ['alice', 'bob'], complete: true, source: 'connect', conversation: '#lobby'});
		await a.events.waitFor('exit');
		expect(a.events.of('warning').map(warning => warning.message)).toEqual([
			'zed left but was not in the roster; ignored',
			'the server announced that you (Alice) left; ignored',
			'bob entered but is already present; ignored',
			'the server sent a status that answers no command; ignored',
		]);
		expect(a.events.of('exit')).toEqual([{user: 'bob', conversation: '#lobby'}]);
		expect(a.events.of('enter')).toEqual([]);
	});

	it('gives up on a server that accepts but never answers, after the connect timeout', async () => {
		const server = track(await startScriptedServer(() => {}));
		const a = testClient({port: server.port, user: 'alice', connectTimeoutMs: 300, reconnect: false});
		const error = await a.events.waitFor('error');
		expect(error.message).toBe(`127.0.0.1:${server.port} accepted the connection but did not answer within 0.3 s — is it a CodeChat server? Check the port (and --tls).`);
		expect(await a.events.waitFor('disconnected')).toMatchObject({willReconnect: false});
		expect(a.client.debugStats().timers).toBe(0);
	});
});

describe('ChatClient backoff against a server that accepts and drops', () => {
	const attemptsOf = (events: ReturnType<typeof testClient>['events']) => events.of('reconnecting').map(event => event.attempt);

	it('backs off further on each drop that follows a successful connect', async () => {
		const server = track(await startScriptedServer(connection => {
			connection.onCommand(frame => {
				if (frame.cmd === 'connect') {
					connection.send(ok('welcome'));
					connection.socket.end();
				}
			});
		}));
		const a = testClient({port: server.port, user: 'alice', backoff: {baseMs: 5, capMs: 1000}});
		await a.events.waitFor('reconnecting', () => a.events.of('reconnecting').length >= 4);
		expect(a.events.of('connected').length).toBeGreaterThanOrEqual(3);
		expect(attemptsOf(a.events).slice(0, 4)).toEqual([1, 2, 3, 4]);
	});

	it('backs off further when every connection ends in an oversized frame', async () => {
		const server = track(await startScriptedServer(connection => {
			connection.onCommand(frame => {
				if (frame.cmd === 'connect') {
					connection.send(ok('welcome'));
					connection.send({cmd: 'message', user: 'x', msg: 'a'.repeat(5000)});
				}
			});
		}));
		const a = testClient({port: server.port, user: 'alice', maxFrameBytes: 1024, backoff: {baseMs: 5, capMs: 1000}});
		await a.events.waitFor('reconnecting', () => a.events.of('reconnecting').length >= 3);
		expect(attemptsOf(a.events).slice(0, 3)).toEqual([1, 2, 3]);
	});
});

describe('ChatClient and a server that lies about who is who', () => {
	it('refuses a rename of someone else to our name, with a warning', async () => {
		const server = track(await startScriptedServer(connection => {
			connection.onCommand(frame => {
				if (frame.cmd === 'connect') connection.send(ok('welcome'));
				if (frame.cmd === 'get-clients' && connection.index === 0) {
					connection.send(ok('alice, bob'));
					connection.send({cmd: 'client-rename', user: 'ALICE', oldname: 'bob', newname: 'ALICE'});
					connection.send({cmd: 'message', user: 'ALICE', msg: 'i am you now'});
				}
			});
		}));
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('message');
		expect(a.events.of('warning').map(warning => warning.message)).toEqual([
			'the server announced that bob is now ALICE, which is your name; ignored',
			'a message from ALICE, which is your name: shown as someone else',
		]);
		expect(a.events.of('rename')).toEqual([]);
		expect(a.events.of('message')[0]).toMatchObject({user: 'ALICE', namesake: true});
		expect(a.client.user).toBe('alice');
	});

	it('a status that answers no command does not become the roster', async () => {
		const server = track(await startScriptedServer(connection => {
			connection.onCommand(frame => {
				if (frame.cmd === 'connect') {
					connection.send(ok('welcome'));
					connection.send(ok('stray 0'));
				}

				if (frame.cmd === 'get-clients') connection.send(ok('alice, bob'));
			});
		}));
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('warning', warning => warning.message.includes('answers no command'));
		a.client.who();
		expect(await a.events.waitFor('roster', roster => roster.source === 'who')).toMatchObject({users: ['alice', 'bob'], complete: true});
		expect(a.events.of('roster').map(roster => roster.users)).not.toContainEqual(['stray 0']);
		expect(a.events.of('warning').map(warning => warning.message)).toEqual([
			'the answer to get-clients does not list you ("stray 0"); ignored',
			'the server sent a status that answers no command; ignored',
		]);
	});
});
