// However a connection ends, a connected user's client-exit goes out exactly
// once, to the others; a connection that never connected produces none.
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

/** Takes the client-exit for `user`, then checks that no second one (nor any other event) follows. */
async function expectOneExit(watcher: RawClient, user: string): Promise<void> {
	expect(await watcher.nextEvent('client-exit')).toEqual({cmd: 'client-exit', user});
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
		await expectOneExit(watcher, 'bob');
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
		const server = await startTestServer({idleTimeoutMs: 300});
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
		const server = await startTestServer({handshakeTimeoutMs: 200});
		const watcher = await connectRaw(server.port);
		// The watcher connects in time; the idler never does.
		watcher.sendFrame({cmd: 'connect', username: 'watcher'});
		await watcher.expectStatus(true);
		const idler = await connectRaw(server.port);
		idler.sendFrame({cmd: 'get-clients'});
		await idler.expectStatus(false, 'not connected');
		await idler.waitClosed();
		await waitUntil(() => server.connections === 1, 5000, 'the server to drop the idler');
		// The watcher outlived the timeout because it connected.
		await delay(300);
		expect(watcher.isClosed).toBe(false);
		await watcher.sync();
		expect(watcher.pendingEvents()).toEqual([]);
	});

	it('does not close a connection that failed to connect at first and then succeeded', async () => {
		const server = await startTestServer({handshakeTimeoutMs: 300});
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'connect', username: 'bad name'});
		await client.expectStatus(false);
		client.sendFrame({cmd: 'connect', username: 'good'});
		await client.expectStatus(true);
		await delay(500);
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
