import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient, type ChatClientOptions} from '../../source/client/index.js';
import {runPipe} from '../../source/cli/pipe-mode.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

function collect(stream: PassThrough): () => string {
	let text = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		text += chunk;
	});
	return () => text;
}

/** A pipe-mode run over in-memory streams, with a client to 127.0.0.1. */
function startPipe(client: Omit<ChatClientOptions, 'host'>, pipe: {json?: boolean; drainTimeoutMs?: number} = {}) {
	const input = new PassThrough();
	const output = new PassThrough();
	const read = collect(output);
	const chatClient = new ChatClient({host: '127.0.0.1', ...client});
	const done = runPipe({client: chatClient, input, output, json: pipe.json ?? true, drainTimeoutMs: pipe.drainTimeoutMs});
	return {input, read, client: chatClient, done};
}

function jsonLines(text: string): Array<Record<string, unknown>> {
	return text.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as Record<string, unknown>);
}

describe('pipe mode against a real server', () => {
	it('sends each line, prints NDJSON events, and exits 0 after the acknowledgements', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');

		const {input, read, client, done} = startPipe({port: server.port, user: 'bot'});
		input.write('deploy done\nsecond line\n/who\n');
		input.end();
		expect(await done).toBe(0);

		const events = jsonLines(read());
		expect(events[0]).toMatchObject({type: 'connected', user: 'bot'});
		expect(events.filter(event => event.type === 'sent').map(event => event.text)).toEqual(['deploy done', 'second line']);
		expect(events.some(event => event.type === 'roster' && (event.users as string[]).includes('watcher'))).toBe(true);
		const first = await watcher.nextEvent('message');
		const second = await watcher.nextEvent('message');
		expect([first.msg, second.msg]).toEqual(['deploy done', 'second line']);
		expect(await watcher.nextEvent('client-exit')).toMatchObject({user: 'bot'});
	});

	it('prints plain lines with control characters made visible', async () => {
		const server = await startTestServer();
		const peer = await connectUser(server.port, 'peer');
		const {input, read, client, done} = startPipe({port: server.port, user: 'reader'}, {json: false});
		await new Promise<void>(resolve => client.once('roster', () => resolve()));
		// Listened for before it is sent: the reader may get it before the peer gets its status.
		const received = new Promise<void>(resolve => client.once('message', () => resolve()));
		peer.sendFrame({cmd: 'msg', msg: 'hi \u001b]0;pwned\u0007 there'});
		await peer.expectStatus(true);
		await received;
		input.end();
		expect(await done).toBe(0);
		expect(read()).toMatch(/<peer> hi \^\[\]0;pwned\^G there/);
		expect(read()).not.toContain('\u001b');
	});

	it('exits 1 when a message is refused', async () => {
		const server = await startTestServer();
		const {input, read, client, done} = startPipe({port: server.port, user: 'bot'});
		input.end(`ok\n${'x'.repeat(5000)}\n`);
		expect(await done).toBe(1);
		const events = jsonLines(read());
		expect(events.some(event => event.type === 'error' && String(event.message).includes('4096'))).toBe(true);
		expect(events.filter(event => event.type === 'sent')).toHaveLength(1);
	});

	it('exits 1 with a clear error when no server is there', async () => {
		const server = await startTestServer();
		const {port} = server;
		await server.close();
		const {input, read, client, done} = startPipe({port, user: 'bot'}, {json: false});
		input.write('hello\n');
		expect(await done).toBe(1);
		expect(read()).toContain(`cannot reach 127.0.0.1:${port} (connection refused)`);
	});
});

describe('pipe mode ordering', () => {
	it('keeps lines in order: a message before /rename goes out under the old name', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const {input, read, client, done} = startPipe({port: server.port, user: 'bot'});
		// All lines arrive before the connection is up, and input ends at once.
		input.end('hi\n/rename bob\nafter\n/who\n');
		expect(await done).toBe(0);
		expect(await watcher.nextEvent('message')).toMatchObject({user: 'bot', msg: 'hi'});
		expect(await watcher.nextEvent('client-rename')).toMatchObject({oldname: 'bot', newname: 'bob'});
		expect(await watcher.nextEvent('message')).toMatchObject({user: 'bob', msg: 'after'});
		const events = jsonLines(read());
		expect(events.find(event => event.type === 'roster' && (event.users as string[]).includes('bob'))).toBeDefined();
	});

	it('connects and exits 0 on empty input', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const {input, client, done} = startPipe({port: server.port, user: 'quiet'});
		input.end();
		expect(await done).toBe(0);
		expect(await watcher.nextEvent('client-enter')).toMatchObject({user: 'quiet'});
		expect(await watcher.nextEvent('client-exit')).toMatchObject({user: 'quiet'});
	});
});

describe('pipe mode under pressure', () => {
	it('sends a long input whole, waiting for acknowledgements instead of overflowing the outbox', async () => {
		const server = await startTestServer({rate: 0});
		const watcher = await connectUser(server.port, 'watcher');
		const {input, read, client, done} = startPipe({port: server.port, user: 'bulk', sendRate: false});
		input.end(Array.from({length: 3000}, (_, index) => `line ${index}`).join('\n') + '\n');
		expect(await done).toBe(0);
		const events = jsonLines(read());
		expect(events.filter(event => event.type === 'sent')).toHaveLength(3000);
		expect(events.filter(event => event.type === 'failed')).toEqual([]);
		for (let index = 0; index < 3000; index += 999) {
			// Spot checks that the far end got them in order.
			let frame = await watcher.nextEvent('message');
			while (frame.msg !== `line ${index}`) frame = await watcher.nextEvent('message');
		}
	});

	it('a second /rename names the right old name when the first is refused', async () => {
		const server = await startTestServer();
		await connectUser(server.port, 'taken');
		const {input, read, client, done} = startPipe({port: server.port, user: 'r1'});
		input.end('/rename taken\n/rename fresh\n');
		// A refused rename is a failed line: exit 1, and the next line still runs.
		expect(await done).toBe(1);
		const events = jsonLines(read());
		expect(events.filter(event => event.type === 'error').map(event => event.message)).toEqual([expect.stringContaining('cannot rename to taken')]);
		expect(events).toContainEqual({type: 'rename', oldname: 'r1', newname: 'fresh'});
	});

	it('does not hang on a queued /who when the server dies, and exits 1 with the lost message reported', async () => {
		const server = await startTestServer();
		const {input, read, client, done} = startPipe({port: server.port, user: 'w', backoff: {baseMs: 50, capMs: 200}}, {json: true, drainTimeoutMs: 500});
		input.write('m1\n');
		await new Promise<void>(resolve => client.once('sent', () => resolve()));
		await server.close();
		input.end('/who\nm2\n');
		expect(await done).toBe(1);
		const events = jsonLines(read());
		expect(events).toContainEqual(expect.objectContaining({type: 'failed', text: 'm2'}));
	});

	it('stops with 1 when the server refuses it for good after a reconnect, and reports what was waiting', async () => {
		const first = await startTestServer();
		const {port} = first;
		// late retries about every 2 s, so early is surely in the full server before late comes back.
		const {input, read, client, done} = startPipe({port, user: 'late', backoff: {baseMs: 2000, capMs: 2000}, random: () => 0.999});
		await new Promise<void>(resolve => client.once('connected', () => resolve()));
		await first.close();
		const full = await startTestServer({port, maxClients: 1});
		await connectUser(full.port, 'early');
		input.write('waiting\n');
		expect(await done).toBe(1);
		const events = jsonLines(read());
		expect(events).toContainEqual(expect.objectContaining({type: 'error', message: expect.stringContaining('is full')}));
		expect(events).toContainEqual(expect.objectContaining({type: 'failed', text: 'waiting'}));
	});
});
