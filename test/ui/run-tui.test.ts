// runTui end to end with in-memory terminal streams and a real server: the
// terminal is restored (alternate screen left, bracketed paste off, cursor
// shown) on each way out, and the exit code says which way it was.
import {EventEmitter} from 'node:events';
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/client.js';
import {runTui} from '../../source/ui/run-tui.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

class FakeStdin extends EventEmitter {
	isTTY = true;
	#chunks: string[] = [];
	setRawMode() {}
	setEncoding() {}
	ref() {}
	unref() {}
	resume() {}
	pause() {}
	read = () => this.#chunks.shift() ?? null;
	type(data: string) {
		this.#chunks.push(data);
		this.emit('readable');
	}
}

class FakeTty extends EventEmitter {
	isTTY = true;
	columns = 80;
	rows = 20;
	output = '';
	write = (chunk: string) => {
		this.output += chunk;
		return true;
	};
}

async function start(options: {reconnect?: boolean} = {}) {
	const server = await startTestServer({rate: 0});
	const bob = await connectUser(server.port, 'bob');
	const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'alice', refreshIntervalMs: 0, reconnect: options.reconnect ?? true});
	const stdin = new FakeStdin();
	const stdout = new FakeTty();
	const stderr = new FakeTty();
	const code = runTui({
		client,
		serverLabel: `127.0.0.1:${server.port}`,
		stdin: stdin as unknown as NodeJS.ReadStream,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: stderr as unknown as NodeJS.WriteStream,
		// Vitest replaces console with one Ink cannot patch.
		patchConsole: false,
	});
	await waitUntil(() => stdout.output.includes('Users (2)'), 15_000, 'the roster');
	return {server, bob, client, stdin, stdout, stderr, code};
}

function expectRestored(output: string) {
	expect(output.startsWith('\x1b[?1049h')).toBe(true);
	expect(output).toContain('\x1b[?2004h');
	const tail = output.slice(output.lastIndexOf('\x1b[?2026l'));
	expect(tail).toContain('\x1b[?2004l');
	expect(tail).toContain('\x1b[?25h');
	expect(tail.endsWith('\x1b[?1049l')).toBe(true);
}

describe('runTui', () => {
	it('/quit sends exit, restores the terminal and resolves 0', async () => {
		const {bob, stdin, stdout, code} = await start();
		stdin.type('/quit see you\r');
		expect(await code).toBe(0);
		expect(await bob.nextEvent('client-exit')).toMatchObject({user: 'alice'});
		expectRestored(stdout.output);
	});

	it('Ctrl-C leaves the same way', async () => {
		const {stdin, stdout, code} = await start();
		stdin.type('\x03');
		expect(await code).toBe(0);
		expectRestored(stdout.output);
	});

	it('the server gone for good restores the terminal, says why and resolves 1', async () => {
		const {server, stdout, stderr, code} = await start({reconnect: false});
		await server.close();
		expect(await code).toBe(1);
		expectRestored(stdout.output);
		expect(stderr.output).toMatch(/disconnected/);
	});

	it('an error while starting restores the terminal, says why and resolves 1', async () => {
		const stdout = new FakeTty();
		const stderr = new FakeTty();
		const client = new ChatClient({host: '127.0.0.1', port: 1, user: 'alice', reconnect: false});
		// A stdin that cannot do raw mode makes Ink throw while mounting.
		const stdin = Object.assign(new EventEmitter(), {isTTY: true});
		const code = await runTui({
			client,
			serverLabel: 'nowhere',
			stdin: stdin as unknown as NodeJS.ReadStream,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stderr: stderr as unknown as NodeJS.WriteStream,
			patchConsole: false,
		});
		expect(code).toBe(1);
		expect(stdout.output.endsWith('\x1b[?1049l')).toBe(true);
		expect(stderr.output).toContain('unexpected error');
	});

	it('writes no raw control sequence from a hostile peer', async () => {
		const {bob, stdin, stdout, code} = await start();
		bob.sendFrame({cmd: 'msg', msg: 'x\x1b]0;pwned\x07\x1b[2J\x9b31m\u202Eevil'});
		await waitUntil(() => stdout.output.includes('<U+202E>evil'), 15_000, 'the message');
		expect(stdout.output).not.toContain('\x1b]0;pwned');
		expect(stdout.output).not.toContain('\u202E');
		expect(stdout.output).not.toContain('\x9b');
		stdin.type('/quit\r');
		expect(await code).toBe(0);
	});
});
