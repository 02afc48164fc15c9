import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/index.js';
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

function jsonLines(text: string): Array<Record<string, unknown>> {
	return text.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as Record<string, unknown>);
}

describe('pipe mode against a real server', () => {
	it('sends each line, prints NDJSON events, and exits 0 after the acknowledgements', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');

		const input = new PassThrough();
		const output = new PassThrough();
		const read = collect(output);
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'bot'});
		const done = runPipe({client, input, output, json: true});
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
		const input = new PassThrough();
		const output = new PassThrough();
		const read = collect(output);
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'reader'});
		const done = runPipe({client, input, output, json: false});
		await new Promise<void>(resolve => client.once('roster', () => resolve()));
		peer.sendFrame({cmd: 'msg', msg: 'hi \u001b]0;pwned\u0007 there'});
		await peer.expectStatus(true);
		await new Promise<void>(resolve => client.once('message', () => resolve()));
		input.end();
		expect(await done).toBe(0);
		expect(read()).toMatch(/<peer> hi \^\[\]0;pwned\^G there/);
		expect(read()).not.toContain('\u001b');
	});

	it('exits 1 when a message is refused', async () => {
		const server = await startTestServer();
		const input = new PassThrough();
		const output = new PassThrough();
		const read = collect(output);
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'bot'});
		const done = runPipe({client, input, output, json: true});
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
		const input = new PassThrough();
		const output = new PassThrough();
		const read = collect(output);
		const client = new ChatClient({host: '127.0.0.1', port, user: 'bot'});
		const done = runPipe({client, input, output, json: false});
		input.write('hello\n');
		expect(await done).toBe(1);
		expect(read()).toContain(`cannot reach 127.0.0.1:${port} (connection refused)`);
	});
});

describe('pipe mode ordering', () => {
	it('keeps lines in order: a message before /rename goes out under the old name', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const input = new PassThrough();
		const output = new PassThrough();
		const read = collect(output);
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'bot'});
		const done = runPipe({client, input, output, json: true});
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
		const input = new PassThrough();
		const output = new PassThrough();
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'quiet'});
		const done = runPipe({client, input, output, json: true});
		input.end();
		expect(await done).toBe(0);
		expect(await watcher.nextEvent('client-enter')).toMatchObject({user: 'quiet'});
		expect(await watcher.nextEvent('client-exit')).toMatchObject({user: 'quiet'});
	});
});
