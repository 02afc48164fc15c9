// Logging in through the built CLI against a real server with accounts: a
// script with $CODECHAT_PASSWORD or --password-file, the token it saves and
// reuses, and a person at the TUI's masked prompt in a pty. The password and
// the token never show in what the programs print, nor in the transcript.
import {spawn} from 'node:child_process';
import {chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {Accounts} from '../../source/server/accounts/accounts.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import {openDatabase, type Database} from '../../source/server/store/sqlite-open.js';
import {cliPath, closePtys, spawnCli} from '../helpers/pty.js';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const password = 'lantern-orchid-velvet';
let dir: string;
let state: string;
let db: Database;
let accounts: Accounts;

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'accounts-e2e-'));
	state = path.join(dir, 'state');
	db = await openDatabase(path.join(dir));
	accounts = await openAccounts({kind: 'sqlite', db}, {hasher: new PasswordHasher({ln: 4, r: 8, p: 1})});
	await accounts.addAccount('alice', password);
});
afterEach(async () => {
	// Every client has exited before its folder goes: one still shutting down writes its state files there.
	await closePtys();
	await closeRawClients();
	await closeTestServers();
	await accounts.close();
	db.close();
	rmSync(dir, {recursive: true, force: true});
});

type Run = {status: number | null; stdout: string; stderr: string};

/** `afterConnected`: write the input only once the connected line is out (pipe mode reads commands against the server's features). */
async function runPipe(port: number, input: string, options: {args?: string[]; env?: Record<string, string>; afterConnected?: boolean} = {}): Promise<Run> {
	const child = spawn(process.execPath, [cliPath, '--host', `127.0.0.1:${port}`, '--user', 'alice', ...(options.args ?? [])], {
		env: {...process.env, XDG_STATE_HOME: state, ...options.env},
	});
	let stdout = '';
	let stderr = '';
	let written = false;
	const writeInput = () => {
		if (written) return;
		written = true;
		child.stdin.end(input);
	};

	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		if (stdout.includes('"type":"connected"')) writeInput();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	if (!options.afterConnected) writeInput();
	const status = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	return {status, stdout, stderr};
}

async function ask(port: number, frame: Record<string, unknown>) {
	const client = await connectRaw(port);
	client.sendFrame(frame);
	return client.nextStatus();
}

function tokenFiles(): string[] {
	const folder = path.join(state, 'codechat-tui', 'tokens');
	try {
		return readdirSync(folder).map(name => path.join(folder, name));
	} catch {
		return [];
	}
}

describe('logging in from the command line', () => {
	it('a script logs in with $CODECHAT_PASSWORD, saves a 0600 token, and the next run logs in with the token alone', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const bob = await connectUser(server.port, 'bob');
		const first = await runPipe(server.port, 'hello from a script\n', {env: {CODECHAT_PASSWORD: password}});
		expect(first.stderr).toBe('');
		expect(first.status).toBe(0);
		expect(await bob.nextEvent('message')).toMatchObject({user: 'alice', msg: 'hello from a script'});
		const files = tokenFiles();
		expect(files).toHaveLength(1);
		expect(statSync(files[0]!).mode & 0o777).toBe(0o600);
		expect(statSync(path.dirname(files[0]!)).mode & 0o777).toBe(0o700);
		const {token} = JSON.parse(readFileSync(files[0]!, 'utf8')) as {token: string};

		const second = await runPipe(server.port, 'and again\n', {args: ['--json']});
		expect(second.status).toBe(0);
		expect(await bob.nextEvent('message')).toMatchObject({user: 'alice', msg: 'and again'});
		for (const output of [first.stdout, first.stderr, second.stdout, second.stderr]) {
			expect(output).not.toContain(password);
			expect(output).not.toContain(token);
		}
	});

	it('a script logs out: the saved token is revoked and forgotten, and it may rename as a guest', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const bob = await connectUser(server.port, 'bob');
		expect((await runPipe(server.port, '', {env: {CODECHAT_PASSWORD: password}})).status).toBe(0);
		const {token} = JSON.parse(readFileSync(tokenFiles()[0]!, 'utf8')) as {token: string};
		const run = await runPipe(server.port, '/logout\n/rename alice2\nas a guest\n', {args: ['--json'], afterConnected: true});
		expect(run.status).toBe(0);
		expect(run.stdout).toContain('logged out');
		expect(tokenFiles()).toHaveLength(0);
		expect(await bob.nextEvent('message')).toMatchObject({user: 'alice2', msg: 'as a guest'});
		const reuse = await ask(server.port, {cmd: 'connect', username: 'alice', token});
		expect(reuse).toMatchObject({success: false, code: 'auth-failed'});
	});

	it('a script logs out on an accounts-only server: told the connection closes there, it stops rather than coming back, and exits 0', async () => {
		const server = await startTestServer({rate: 0, accounts, accountsOnly: true});
		const run = await runPipe(server.port, '/logout\n', {args: ['--json'], env: {CODECHAT_PASSWORD: password}, afterConnected: true});
		// Logging out was asked for: the session ending with it is no failure.
		expect(run.status).toBe(0);
		expect(run.stdout + run.stderr).toContain('logged out: this server admits accounts only, so it closes the connection');
		expect(run.stdout + run.stderr).not.toContain('as a guest');
		// Came back neither as a guest nor by logging in again with the scripted password.
		expect(run.stdout.match(/"type":"connected"/g)).toHaveLength(1);
		expect(tokenFiles()).toHaveLength(0);
	});

	it('a script whose account was deleted on the server: the token is forgotten, it says so, and goes on as a guest', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const bob = await connectUser(server.port, 'bob');
		expect((await runPipe(server.port, '', {env: {CODECHAT_PASSWORD: password}})).status).toBe(0);
		expect(await accounts.deleteAccount('alice')).toMatchObject({ok: true});
		const run = await runPipe(server.port, 'as a guest now\n', {args: ['--json']});
		expect(run.status).toBe(0);
		expect(run.stdout + run.stderr).toContain('the account alice no longer exists on this server');
		expect(await bob.nextEvent('message')).toMatchObject({user: 'alice', msg: 'as a guest now'});
		expect(tokenFiles()).toHaveLength(0);
	});

	it('a script without a password for a registered name says how to give one and exits 1', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const run = await runPipe(server.port, 'hello\n');
		expect(run.status).toBe(1);
		expect(run.stdout + run.stderr).toContain('--password-file FILE or $CODECHAT_PASSWORD');
	});

	it('a wrong password from --password-file ends the run, and the file must be ours alone', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const file = path.join(dir, 'password');
		writeFileSync(file, 'not the password\n');
		chmodSync(file, 0o644);
		const open = await runPipe(server.port, '', {args: ['--password-file', file]});
		expect(open.status).toBe(2);
		expect(open.stderr.trim().split('\n')).toHaveLength(1);
		expect(open.stderr).toContain('chmod 600');
		chmodSync(file, 0o600);
		const wrong = await runPipe(server.port, 'hello\n', {args: ['--password-file', file]});
		expect(wrong.status).toBe(1);
		expect(wrong.stdout + wrong.stderr).toContain('wrong password');
		expect(wrong.stdout + wrong.stderr).not.toContain('not the password');
	});

	it('$CODECHAT_PASSWORD is gone from the environment of $EDITOR', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const dump = path.join(dir, 'editor-env');
		const editor = path.join(dir, 'editor.sh');
		writeFileSync(editor, `#!/bin/sh\nenv > ${dump}\n`);
		chmodSync(editor, 0o755);
		const screen = spawnCli(['--host', `127.0.0.1:${server.port}`, '--user', 'alice', '--log', path.join(dir, 'transcript')], {env: {XDG_STATE_HOME: state, CODECHAT_PASSWORD: password, EDITOR: editor, VISUAL: editor}});
		await screen.waitForText('Users (1)');
		screen.type('\x18\x05');
		await screen.waitFor(() => {
			try {
				return readFileSync(dump, 'utf8').includes('PATH=');
			} catch {
				return false;
			}
		}, 10_000, 'the editor to run');
		expect(readFileSync(dump, 'utf8')).not.toContain('CODECHAT_PASSWORD');
		expect(readFileSync(dump, 'utf8')).not.toContain(password);
		screen.kill();
	});
});

describe('the TUI password prompt', () => {
	it('asks masked on auth-required, says when it was wrong, logs in, and never shows or logs the password', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const bob = await connectUser(server.port, 'bob');
		const transcript = path.join(dir, 'transcript');
		const screen = spawnCli(['--host', `127.0.0.1:${server.port}`, '--user', 'alice', '--log', transcript], {env: {XDG_STATE_HOME: state}});
		await screen.waitForText('Password for alice:');
		expect(screen.text()).toContain('alice is a registered name on this server');
		screen.type('wrong-guess-123\r');
		await screen.waitForText('wrong password for alice; try again');
		for (const char of password) screen.type(char);
		screen.type('\r');
		await screen.waitForText('Users (2)');
		screen.type('hi bob\r');
		expect(await bob.nextEvent('message')).toMatchObject({user: 'alice', msg: 'hi bob'});
		screen.kill();
		await screen.exited;
		const {token} = JSON.parse(readFileSync(tokenFiles()[0]!, 'utf8')) as {token: string};
		const logged = readFileSync(transcript, 'utf8');
		for (const text of [screen.output, logged]) {
			expect(text).not.toContain(password);
			expect(text).not.toContain('wrong-guess-123');
			expect(text).not.toContain(token);
		}

		// The next start logs in with the saved token: no prompt.
		const again = spawnCli(['--host', `127.0.0.1:${server.port}`, '--user', 'alice'], {env: {XDG_STATE_HOME: state}});
		await again.waitForText('Users (2)');
		expect(again.output).not.toContain('Password for');
		again.kill();
	});

	it('on an accounts-only server, a name that is no account is told how to get one, not asked for a password', async () => {
		const server = await startTestServer({rate: 0, accounts, accountsOnly: true});
		const screen = spawnCli(['--host', `127.0.0.1:${server.port}`, '--user', 'eve'], {env: {XDG_STATE_HOME: state}});
		await screen.waitForText('account add eve');
		expect(screen.text()).toContain('eve is not registered on this server, and it admits accounts only');
		expect(screen.output).not.toContain('Password for');
		expect(screen.output).not.toContain('registered name');
		screen.kill();
		await screen.exited;

		// A script with a password says the same and ends, without sending it.
		const run = spawn(process.execPath, [cliPath, '--host', `127.0.0.1:${server.port}`, '--user', 'eve'], {env: {...process.env, XDG_STATE_HOME: state, CODECHAT_PASSWORD: password}});
		let said = '';
		run.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()));
		run.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()));
		run.stdin.end();
		expect(await new Promise(resolve => run.on('close', resolve))).toBe(1);
		expect(said).toContain('eve is not registered on this server');
		expect(said).not.toContain('wrong password');
	});

	it('an account deleted on the server while a token is saved: the token is forgotten and the name carries on as a guest, not asked for a password', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const bob = await connectUser(server.port, 'bob');
		expect((await runPipe(server.port, '', {env: {CODECHAT_PASSWORD: password}})).status).toBe(0);
		expect(tokenFiles()).toHaveLength(1);
		expect(await accounts.deleteAccount('alice')).toMatchObject({ok: true});
		const screen = spawnCli(['--host', `127.0.0.1:${server.port}`, '--user', 'alice'], {cols: 180, env: {XDG_STATE_HOME: state, XDG_CONFIG_HOME: path.join(dir, 'config')}});
		await screen.waitForText('the account alice no longer exists on this server, so its saved login is forgotten: you are alice as a guest now');
		await screen.waitForText('Users (2)');
		screen.type('still here\r');
		expect(await bob.nextEvent('message')).toMatchObject({user: 'alice', msg: 'still here'});
		// Confirmed (no longer dim): a /quit while it waits would only ask whether to leave it unsent.
		await screen.waitFor(() => screen.cellsMatching(/still here/)?.every(cell => !cell.dim) === true, 10_000, 'the message shown as sent');
		expect(screen.output).not.toContain('Password for');
		expect(tokenFiles()).toHaveLength(0);
		screen.type('/quit\r');
		expect(await screen.waitExit()).toBe(0);
	});

	it('an account deleted on an accounts-only server while a token is saved: told it is gone and how to get one, never asked for a password', async () => {
		const server = await startTestServer({rate: 0, accounts, accountsOnly: true});
		expect((await runPipe(server.port, '', {env: {CODECHAT_PASSWORD: password}})).status).toBe(0);
		expect(await accounts.deleteAccount('alice')).toMatchObject({ok: true});
		const screen = spawnCli(['--host', `127.0.0.1:${server.port}`, '--user', 'alice'], {cols: 180, env: {XDG_STATE_HOME: state}});
		await screen.waitForText('account add alice');
		expect(screen.text()).toContain('the account alice no longer exists on this server, so its saved login is forgotten; the server admits accounts only');
		expect(screen.output).not.toContain('Password for');
		expect(tokenFiles()).toHaveLength(0);
		screen.kill();
		await screen.exited;
	});

	it('/logout on an accounts-only server says the connection closed, and ends there with 0 instead of coming back', async () => {
		const server = await startTestServer({rate: 0, accounts, accountsOnly: true});
		const screen = spawnCli(['--host', `127.0.0.1:${server.port}`, '--user', 'alice'], {cols: 180, env: {XDG_STATE_HOME: state, CODECHAT_PASSWORD: password}});
		await screen.waitForText('Users (1)');
		screen.type('/logout\r');
		// The client stops (the app ends with the reason, as a way of leaving): no reconnect, neither as a guest nor by password.
		expect(await screen.waitExit()).toBe(0);
		expect(screen.text()).toContain('logged out of alice: this server admits accounts only, so it closed the connection (connect again to log in)');
		expect(screen.text()).not.toContain('disconnected: logged out');
		expect(screen.output).not.toContain('as a guest');
		expect(screen.output).not.toContain('Password for');
		expect(tokenFiles()).toHaveLength(0);
	});
});
