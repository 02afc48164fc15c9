// The per-connection limits: the send queue that drops a reader who stops
// reading (and never slows the others), and the rate limit.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

describe('send queue', () => {
	it('drops a client that never reads once its queue passes the limit, while a normal client gets everything', async () => {
		const limit = 256 * 1024;
		const server = await startTestServer({rate: 0, maxSendQueueBytes: limit});
		const normal = await connectUser(server.port, 'normal');
		const sender = await connectUser(server.port, 'sender');
		const slow = await connectUser(server.port, 'slow');
		// The slow reader stops reading: what the server sends piles up in the
		// kernel buffers and then in the server's send queue.
		slow.socket.pause();
		await normal.nextEvent('client-enter');
		await normal.nextEvent('client-enter');

		const text = 'z'.repeat(4000);
		let sent = 0;
		let slowGone = false;
		// Send in rounds until the server gives up on the slow reader; kernel
		// buffers on loopback can hold several MiB before the queue grows.
		while (!slowGone && sent < 20_000) {
			const round = 100;
			for (let i = 0; i < round; i++) sender.sendFrame({cmd: 'msg', msg: `${sent + i} ${text}`});
			for (let i = 0; i < round; i++) await sender.expectStatus(true, 'sent');
			sent += round;
			// Everything the server sent normal before this round trip is now in its inbox.
			await normal.sync();
			slowGone = normal.pendingEvents().some(event => event.cmd === 'client-exit');
		}

		expect(slowGone).toBe(true);
		expect(normal.pendingEvents().filter(event => event.cmd === 'client-exit')).toEqual([{cmd: 'client-exit', user: 'slow'}]);
		expect(server.users).toBe(2);
		// The normal reader got every message, in order, and exactly one client-exit.
		const messages = normal.received.flatMap(item => (item.type === 'frame' && item.frame.cmd === 'message' ? [item.frame.msg as string] : []));
		expect(messages).toHaveLength(sent);
		messages.forEach((message, i) => expect(message.startsWith(`${i} `)).toBe(true));
		const exits = normal.received.filter(item => item.type === 'frame' && item.frame.cmd === 'client-exit');
		expect(exits).toHaveLength(1);
		// The slow socket was closed by the server: reading it now reaches the end.
		slow.socket.resume();
		await slow.waitClosed(10_000);
	});

	it('does not drop a client that pipelines many commands and reads slowly', async () => {
		const server = await startTestServer({rate: 0, maxSendQueueBytes: 64 * 1024});
		const client = await connectUser(server.port, 'piper');
		client.socket.pause();
		// 20,000 get-clients: about 1 MiB of statuses, far over the queue limit if
		// the server kept reading while the client does not.
		client.send(`${JSON.stringify({cmd: 'get-clients'})}\n`.repeat(20_000));
		await new Promise(resolve => setTimeout(resolve, 300));
		client.socket.resume();
		for (let i = 0; i < 20_000; i++) await client.expectStatus(true, 'piper');
		expect(client.isClosed).toBe(false);
	});
});

describe('rate limit', () => {
	it('answers commands past the burst with "rate limited", in order, with no other effect', async () => {
		const server = await startTestServer({rate: 1, burst: 5});
		const watcher = await connectUser(server.port, 'watcher');
		const client = await connectRaw(server.port);
		client.send(`${JSON.stringify({cmd: 'connect', username: 'talker'})}\n`);
		for (let i = 0; i < 9; i++) client.sendFrame({cmd: 'msg', msg: `m${i}`});
		await client.expectStatus(true, 'welcome');
		for (let i = 0; i < 4; i++) await client.expectStatus(true, 'sent');
		for (let i = 4; i < 9; i++) await client.expectStatus(false, /^rate limited$/);
		// Only the four accepted messages reached the others.
		await watcher.nextEvent('client-enter');
		for (let i = 0; i < 4; i++) expect((await watcher.nextEvent('message')).msg).toBe(`m${i}`);
		await watcher.sync();
		expect(watcher.pendingEvents()).toEqual([]);
	});

	it('refills over time', async () => {
		const server = await startTestServer({rate: 20, burst: 2});
		const client = await connectUser(server.port, 'talker'); // Takes one token.
		client.sendFrame({cmd: 'get-clients'}); // The last one.
		client.sendFrame({cmd: 'get-clients'});
		client.sendFrame({cmd: 'get-clients'});
		await client.expectStatus(true);
		await client.expectStatus(false, 'rate limited');
		await client.expectStatus(false, 'rate limited');
		await new Promise(resolve => setTimeout(resolve, 250));
		client.sendFrame({cmd: 'get-clients'});
		await client.expectStatus(true);
	});

	it('a rate-limited connect or exit does nothing', async () => {
		const server = await startTestServer({rate: 0.001, burst: 1});
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'get-clients'});
		client.sendFrame({cmd: 'connect', username: 'late'});
		client.sendFrame({cmd: 'exit'});
		await client.expectStatus(false, 'not connected');
		await client.expectStatus(false, 'rate limited');
		await client.expectStatus(false, 'rate limited');
		expect(server.users).toBe(0);
		expect(client.isClosed).toBe(false);
	});

	it('is off with rate 0', async () => {
		const server = await startTestServer({rate: 0, burst: 1});
		const client = await connectUser(server.port, 'fast');
		for (let i = 0; i < 500; i++) client.sendFrame({cmd: 'get-clients'});
		for (let i = 0; i < 500; i++) await client.expectStatus(true);
	});
});
