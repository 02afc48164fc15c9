// The built CLI as a user runs it: flags, help, version, bad input, pipe mode.
import {spawn, spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {runCli} from '../helpers/cli-process.js';
import {cliPath} from '../helpers/pty.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

function run(args: string[], input?: string, env: Record<string, string> = {}) {
	return spawnSync(process.execPath, [cliPath, ...args], {input, encoding: 'utf8', timeout: 20_000, env: {...process.env, ...env}});
}

describe('codechat-tui flags', () => {
	it('prints help with Usage, Options and Examples', () => {
		const result = run(['--help']);
		expect(result.status).toBe(0);
		for (const heading of ['Usage', 'Options', 'Examples']) expect(result.stdout).toContain(heading);
		expect(result.stdout).toContain('npx codechat-tui --host chat.example.com --user alice');
		expect(result.stdout).toContain('serve --listen 0.0.0.0');
	});

	it('prints the version of package.json', () => {
		const {version} = JSON.parse(readFileSync(path.join(path.dirname(cliPath), '../package.json'), 'utf8')) as {version: string};
		const result = run(['--version']);
		expect(result.status).toBe(0);
		expect(result.stdout.trim()).toBe(version);
	});

	it.each([
		[['--port', '0'], '--port must be a port number'],
		[['--port', '70000'], '--port must be a port number'],
		[['--port', 'abc'], '--port must be a port number'],
		[['--user', 'not valid'], '--user "not valid" is not a valid name'],
		[['--frobnicate'], 'unknown option --frobnicate'],
		[['serve', '--rate', 'fast'], '--rate must be a whole number'],
		[['serve', '--port', '99999'], '--port must be a port number'],
		[['lunch'], 'unknown command "lunch"'],
	])('refuses %j with one line on stderr and exit code 2', (args, message) => {
		const result = run(args, '');
		expect(result.status).toBe(2);
		expect(result.stderr).toContain(message);
		expect(result.stderr.trim().split('\n')).toHaveLength(1);
		expect(result.stdout).toBe('');
	});
});

describe('pipe mode through the built CLI', () => {
	it('sends stdin lines as messages and exits 0', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const result = await runCli(['--host', `127.0.0.1:${server.port}`, '--user', 'ci'], 'deploy done\n');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(await watcher.nextEvent('message')).toMatchObject({user: 'ci', msg: 'deploy done'});
		expect(result.stdout).toContain('* connected to 127.0.0.1:');
	});

	it('writes NDJSON with --json, takes the environment, and keeps a transcript with --log', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const logFile = path.join(mkdtempSync(path.join(tmpdir(), 'codechat-')), 'chat.log');
		const result = await runCli(['--json', '--log', logFile], 'hello\n/who\n', {CODECHAT_HOST: '127.0.0.1', CODECHAT_PORT: String(server.port), CODECHAT_USER: 'envbot'});
		expect(result.status).toBe(0);
		const events = result.stdout.trim().split('\n').map(line => JSON.parse(line) as {type: string});
		expect(events[0]).toMatchObject({type: 'connected', user: 'envbot'});
		expect(events).toContainEqual({type: 'sent', text: 'hello', room: '#lobby', seq: 1, time: expect.any(String)});
		expect(events.find(event => event.type === 'roster')).toMatchObject({users: expect.arrayContaining(['envbot', 'watcher'])});
		const transcript = readFileSync(logFile, 'utf8');
		expect(transcript).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \* connected to 127\.0\.0\.1:\d+ as envbot$/m);
		expect(transcript).toMatch(/Z <envbot> hello$/m);
		expect(await watcher.nextEvent('message')).toMatchObject({msg: 'hello'});
	});

	it('exits 1 with a clear error when no server is there', async () => {
		const server = await startTestServer();
		const {port} = server;
		await server.close();
		const result = await runCli(['--port', String(port), '--host', '127.0.0.1', '--user', 'ci'], 'hello\n');
		expect(result.status).toBe(1);
		expect(result.stdout).toContain(`cannot reach 127.0.0.1:${port} (connection refused)`);
		expect(result.stdout).toContain('codechat-tui --serve');
	});

	it('hosts a room with --serve that others can join', async () => {
		const probe = await startTestServer();
		const {port} = probe;
		await probe.close();
		const child = spawn(process.execPath, [cliPath, '--serve', '--port', String(port), '--user', 'host'], {stdio: ['pipe', 'pipe', 'pipe']});
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		const deadline = Date.now() + 10_000;
		while (!stdout.includes('connected') && Date.now() < deadline) {
			await new Promise(resolve => setTimeout(resolve, 25));
		}

		const guest = await connectUser(port, 'guest');
		child.stdin.write('welcome, guest\n');
		expect(await guest.nextEvent('message')).toMatchObject({user: 'host', msg: 'welcome, guest'});
		child.stdin.end();
		expect(await new Promise(resolve => child.on('close', resolve))).toBe(0);
	});
});
