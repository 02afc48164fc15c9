// However a connection ends, a connected user's client-exit goes out exactly
// once, to the others; a connection that never connected produces none.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

/** Takes the client-exit for `user` (with the reason `msg` they gave), then checks that no second one (nor any other event) follows. */
async function expectOneExit(watcher: RawClient, user: string, msg?: string): Promise<void> {
	expect(await watcher.nextEvent('client-exit')).toEqual(msg === undefined ? {cmd: 'client-exit', user} : {cmd: 'client-exit', user, msg});
	await watcher.sync();
	expect(watcher.pendingEvents()).toEqual([]);
}

describe('client-exit exactly once', () => {
	it('on exit: success status, then close, then one client-exit', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const bob = await connectUser(server.port, 'bob');
		await watcher.nextEvent('client-enter');
		bob.sendFrame({cmd: 'exit', msg: 'off to lunch'});
		bob.sendFrame({cmd: 'msg', msg: 'after exit: ignored'});
		await bob.expectStatus(true, 'goodbye bob');
		await bob.waitClosed();
		await expectOneExit(watcher, 'bob', 'off to lunch');
		expect(server.users).toBe(1);
	});

	it('on end of stream (FIN without exit), after answering what came before it', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const bob = await connectRaw(server.port);
		bob.send('{"cmd":"connect","username":"bob"}\n{"cmd":"msg","msg":"last words"}\n');
		bob.end();
		await bob.expectStatus(true, 'welcome');
		await bob.expectStatus(true, 'sent');
		await bob.waitClosed();
		expect(await watcher.nextEvent('client-enter')).toMatchObject({user: 'bob'});
		expect(await watcher.nextEvent('message')).toMatchObject({msg: 'last words'});
		await expectOneExit(watcher, 'bob');
	});

	it('on reset (RST)', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const bob = await connectUser(server.port, 'bob');
		await watcher.nextEvent('client-enter');
		bob.reset();
		await expectOneExit(watcher, 'bob');
	});

	it('on destroy', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const bob = await connectUser(server.port, 'bob');
		await watcher.nextEvent('client-enter');
		bob.destroy();
		await expectOneExit(watcher, 'bob');
	});

	it('on idle timeout, when one is set', async () => {
		// A second of idleness, against the watcher's frame every 50 ms: a stall of the test process,
		// which runs the server too, does not time the watcher out.
		const server = await startTestServer({idleTimeoutMs: 1000});
		const watcher = await connectUser(server.port, 'watcher');
		// The watcher keeps talking so that only bob goes idle.
		const keepAlive = setInterval(() => watcher.sendFrame({cmd: 'get-clients'}), 50);
		try {
			const bob = await connectUser(server.port, 'bob');
			await bob.waitClosed();
			expect(await watcher.nextEvent('client-exit')).toEqual({cmd: 'client-exit', user: 'bob'});
		} finally {
			clearInterval(keepAlive);
		}
	});

	it('carries the exit reason as one line of at most 256 characters, so that a quit never fails over it', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const bob = await connectUser(server.port, 'bob');
		const carol = await connectUser(server.port, 'carol');
		await watcher.nextEvent('client-enter');
		await watcher.nextEvent('client-enter');
		bob.sendFrame({cmd: 'exit', msg: ` gone\r\nfishing\n${'🐟'.repeat(300)}`});
		await bob.expectStatus(true, 'goodbye bob');
		await expectOneExit(watcher, 'bob', `gone fishing ${'🐟'.repeat(256 - 'gone fishing '.length)}`);
		// A reason of only white space is no reason.
		carol.sendFrame({cmd: 'exit', msg: ' \n '});
		await carol.expectStatus(true, 'goodbye carol');
		await expectOneExit(watcher, 'carol');
	});

	it('never twice when exit is followed by a reset', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const bob = await connectUser(server.port, 'bob');
		await watcher.nextEvent('client-enter');
		bob.sendFrame({cmd: 'exit'});
		await bob.expectStatus(true);
		bob.reset();
		await expectOneExit(watcher, 'bob');
	});
});

describe('handshake timeout', () => {
	it('closes a connection that never connects, with no event to anyone', async () => {
		// Long enough that the watcher's connect is in, however loaded the machine.
		const server = await startTestServer({handshakeTimeoutMs: 1000});
		const watcher = await connectRaw(server.port);
		// The watcher connects in time; the idler never does.
		watcher.sendFrame({cmd: 'connect', username: 'watcher'});
		await watcher.expectStatus(true);
		const idler = await connectRaw(server.port);
		idler.sendFrame({cmd: 'get-clients'});
		await idler.expectStatus(false, 'not connected');
		await idler.waitClosed();
		await waitUntil(() => server.connections === 1, 15_000, 'the server to drop the idler');
		// The watcher's timer, had it still run, started before the idler's and would have fired first:
		// a round trip now shows that it outlived the timeout because it connected.
		await watcher.sync();
		expect(watcher.isClosed).toBe(false);
		expect(watcher.pendingEvents()).toEqual([]);
	});

	it('does not close a connection that failed to connect at first and then succeeded', async () => {
		// Long enough for both connects, however loaded the machine.
		const server = await startTestServer({handshakeTimeoutMs: 1000});
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'connect', username: 'bad name'});
		await client.expectStatus(false);
		client.sendFrame({cmd: 'connect', username: 'good'});
		await client.expectStatus(true);
		// A connection opened later that never connects: once the server has timed it out, the client's
		// own timeout (started earlier, the same length) is past too.
		const idler = await connectRaw(server.port);
		await idler.waitClosed();
		await client.sync();
		expect(client.isClosed).toBe(false);
	});
});

describe('server close', () => {
	it('closes the listener and every client', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const lurker = await connectRaw(server.port);
		await server.close();
		await alice.waitClosed();
		await lurker.waitClosed();
		expect(server.connections).toBe(0); // close() resolves only when every socket has closed
		await expect(connectRaw(server.port)).rejects.toThrow(/ECONNREFUSED/);
	});

	it('tells every connection, connected or not, that it is closing and whether to come back, then closes', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		const lurker = await connectRaw(server.port);
		await alice.nextEvent('client-enter');
		await server.close({reason: 'upgrading, back in a minute', reconnect: true});
		for (const client of [alice, bob, lurker]) {
			await client.waitClosed();
			// The last frame before the end, and no client-exit storm before it.
			expect(client.inbox).toEqual([{type: 'frame', frame: {cmd: 'server-closing', msg: 'upgrading, back in a minute', reconnect: true}}]);
		}
	});

	it('says it does not expect to be back unless told so', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		await server.close();
		await alice.waitClosed();
		expect(alice.inbox).toEqual([{type: 'frame', frame: {cmd: 'server-closing', msg: 'server shutting down', reconnect: false}}]);
	});

	it('refuses connections beyond maxClients with a "server full" status', async () => {
		const server = await startTestServer({maxClients: 2});
		await connectUser(server.port, 'a');
		await connectUser(server.port, 'b');
		const third = await connectRaw(server.port);
		third.sendFrame({cmd: 'connect', username: 'c'});
		await third.expectStatus(false, 'server full: at most 2 clients');
		await third.waitClosed();
		expect(server.users).toBe(2);
	});
});
