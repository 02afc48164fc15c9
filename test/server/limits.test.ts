// The per-connection limits: the send queue that drops a reader who stops
// reading (and never slows the others), the rate limit, and how long a frame
// may stay unfinished.
import net from 'node:net';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';

afterEach(async () => {
	vi.useRealTimers();
	vi.restoreAllMocks();
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
		const original = net.Socket.prototype.write;
		// The server runs in this process: count the status lines its end of the connection writes.
		let answered = 0;
		let serverSide: net.Socket | undefined;
		const write = vi.spyOn(net.Socket.prototype, 'write');
		write.mockImplementation(function (this: net.Socket, chunk: unknown, ...rest: unknown[]) {
			if (this.localPort === server.port) {
				serverSide = this;
				const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
				for (const byte of bytes) if (byte === 0x0a) answered++;
			}
			return original.apply(this, [chunk, ...rest] as Parameters<typeof original>);
		});
		client.socket.pause();
		// 20,000 get-clients: about 1 MiB of statuses, far over the queue limit if
		// the server kept reading while the client does not.
		client.send(`${JSON.stringify({cmd: 'get-clients'})}\n`.repeat(20_000));
		// Resume once the server has answered everything, or holds more unsent statuses than it lets pile up.
		await waitUntil(() => answered === 20_000 || (serverSide?.writableLength ?? 0) > 32 * 1024, 10_000, 'the server to answer or to wait for the slow reader');
		write.mockRestore();
		client.socket.resume();
		for (let i = 0; i < 20_000; i++) await client.expectStatus(true, 'piper');
		expect(client.isClosed).toBe(false);
	});
});

describe('rate limit without a queue (maxQueuedCommands 0)', () => {
	it('answers commands past the burst with "rate limited", in order, with no other effect', async () => {
		// The limiter's clock stands still, so a loaded machine's second between two commands refills no token.
		vi.useFakeTimers({toFake: ['performance']});
		const server = await startTestServer({rate: 1, burst: 5, maxQueuedCommands: 0});
		const watcher = await connectUser(server.port, 'watcher');
		const client = await connectRaw(server.port);
		client.send(`${JSON.stringify({cmd: 'connect', username: 'talker'})}\n`);
		for (let i = 0; i < 9; i++) client.sendFrame({cmd: 'msg', msg: `m${i}`});
		await client.expectStatus(true, 'welcome');
		for (let i = 0; i < 4; i++) await client.expectStatus(true, 'sent');
		for (let i = 4; i < 9; i++) expect(await client.expectStatus(false, /^rate limited$/)).toMatchObject({code: 'rate-limited', retry: 1});
		// Only the four accepted messages reached the others.
		await watcher.nextEvent('client-enter');
		for (let i = 0; i < 4; i++) expect((await watcher.nextEvent('message')).msg).toBe(`m${i}`);
		await watcher.sync();
		expect(watcher.pendingEvents()).toEqual([]);
	});

	it('refills over time', async () => {
		// The limiter reads performance.now(): only that clock is the test's, sockets and timers stay real.
		vi.useFakeTimers({toFake: ['performance']});
		const server = await startTestServer({rate: 20, burst: 2, maxQueuedCommands: 0});
		const client = await connectUser(server.port, 'talker'); // Takes one token.
		client.sendFrame({cmd: 'get-clients'}); // The last one.
		client.sendFrame({cmd: 'get-clients'});
		client.sendFrame({cmd: 'get-clients'});
		await client.expectStatus(true);
		await client.expectStatus(false, 'rate limited');
		await client.expectStatus(false, 'rate limited');
		// No time has passed for the limiter: still none.
		client.sendFrame({cmd: 'get-clients'});
		await client.expectStatus(false, 'rate limited');
		// 50 ms at 20 a second is one token.
		vi.advanceTimersByTime(50);
		client.sendFrame({cmd: 'get-clients'});
		await client.expectStatus(true);
		client.sendFrame({cmd: 'get-clients'});
		await client.expectStatus(false, 'rate limited');
	});

	it('a rate-limited connect or exit does nothing', async () => {
		const server = await startTestServer({rate: 0.001, burst: 1, maxQueuedCommands: 0});
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

describe('rate limit with a queue (fakelag)', () => {
	it('handles a burst of burst+queue commands late and in order, and refuses only those past the queue', async () => {
		const rate = 100;
		const server = await startTestServer({rate, burst: 20, maxQueuedCommands: 50});
		const watcher = await connectUser(server.port, 'watcher');
		const client = await connectRaw(server.port);
		// 80 commands in one write: connect and 79 messages.
		const lines = [{cmd: 'connect', username: 'typist'}, ...Array.from({length: 79}, (_, i) => ({cmd: 'msg', msg: `m${i}`}))];
		const sentAt = performance.now();
		client.send(lines.map(line => JSON.stringify(line) + '\n').join(''));
		await client.expectStatus(true, 'welcome');
		// The burst (20, the connect included) at once, then 50 more, one token apart.
		for (let i = 0; i < 69; i++) await client.expectStatus(true, 'sent');
		const lastAcceptedAt = performance.now();
		for (let i = 69; i < 79; i++) expect(await client.expectStatus(false, /^rate limited$/)).toMatchObject({code: 'rate-limited', retry: 1});
		// Handled late: the 50th queued command waited for its token (a lower bound only).
		expect(lastAcceptedAt - sentAt).toBeGreaterThanOrEqual((49 / rate) * 1000);
		// Every accepted message reached the others, in order; the refused ones did nothing.
		await watcher.nextEvent('client-enter');
		for (let i = 0; i < 69; i++) expect((await watcher.nextEvent('message')).msg).toBe(`m${i}`);
		await watcher.sync();
		expect(watcher.pendingEvents()).toEqual([]);
	});

	it('answers a refused connect with the server\'s hello, like any connect status', async () => {
		const server = await startTestServer({rate: 0.001, burst: 1, maxQueuedCommands: 0});
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'get-clients'});
		client.sendFrame({cmd: 'connect', username: 'late'});
		await client.expectStatus(false, 'not connected');
		expect(await client.expectStatus(false, 'rate limited')).toMatchObject({code: 'rate-limited', retry: 1000, features: ['codes', 'history', 'rooms', 'direct', 'file', 'presence']});
	});

	it('drops the commands still waiting for their turn when the server closes', async () => {
		const server = await startTestServer({rate: 0.1, burst: 2, maxQueuedCommands: 50});
		const watcher = await connectUser(server.port, 'watcher');
		const client = await connectUser(server.port, 'typist');
		// m0 takes the last token; m1–m4 wait 10 s apart.
		for (let i = 0; i < 5; i++) client.sendFrame({cmd: 'msg', msg: `m${i}`});
		await client.expectStatus(true, 'sent');
		await watcher.nextEvent('client-enter');
		expect((await watcher.nextEvent('message')).msg).toBe('m0');
		await server.close();
		const closing = {type: 'frame', frame: {cmd: 'server-closing', msg: 'server shutting down', reconnect: false}};
		await client.waitClosed();
		expect(client.inbox).toEqual([closing]);
		await watcher.waitClosed();
		expect(watcher.inbox).toEqual([closing]);
	});
});

describe('unfinished frames (partialFrameTimeoutMs)', () => {
	it('closes a connection whose frame stays unfinished, with a status saying so, and the user leaves', async () => {
		const server = await startTestServer({partialFrameTimeoutMs: 200});
		const watcher = await connectUser(server.port, 'watcher');
		const holder = await connectUser(server.port, 'holder');
		await watcher.nextEvent('client-enter');
		holder.send(`{"cmd":"msg","msg":"${'x'.repeat(60_000)}`);
		const status = await holder.expectStatus(false, /^malformed frame: unfinished after 0.2 s/);
		expect(status.code).toBe('malformed-frame');
		await holder.waitClosed();
		expect(await watcher.nextEvent('client-exit')).toEqual({cmd: 'client-exit', user: 'holder'});
	});

	it('keeps a connection whose chunks always end inside a frame, as long as frames keep ending', async () => {
		const timeoutMs = 200;
		const server = await startTestServer({partialFrameTimeoutMs: timeoutMs, rate: 0});
		const client = await connectUser(server.port, 'streamer');
		const frame = (i: number) => JSON.stringify({cmd: 'msg', msg: `m${i}`}) + '\n';
		const cut = 8;
		client.send(frame(0).slice(0, cut));
		const start = performance.now();
		// Each write ends one frame and starts the next, for several timeouts in all.
		for (let i = 0; performance.now() - start < 5 * timeoutMs; i++) {
			client.send(frame(i).slice(cut) + frame(i + 1).slice(0, cut));
			await client.expectStatus(true, 'sent');
			await delay(timeoutMs / 4);
		}

		expect(client.isClosed).toBe(false);
	});
});
