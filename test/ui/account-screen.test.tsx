// The account commands in the wired screen, against a real server on port 0.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, it} from 'vitest';
import {ChatClient} from '../../source/client/client.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import {openDatabase} from '../../source/server/store/sqlite-open.js';
import {ChatScreen} from '../../source/ui/ChatScreen.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {plain} from './helpers.js';

afterEach(async () => {
	cleanup();
	await closeTestServers();
});

describe('account commands in the TUI', () => {
	it('on a server without accounts, /register says so in one line and opens no prompt', async () => {
		const server = await startTestServer({rate: 0});
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'alice', refreshIntervalMs: 0});
		const app = render(<ChatScreen client={client} serverLabel={`127.0.0.1:${server.port}`} size={{columns: 100, rows: 16}} onExit={() => {}} />);
		const screen = () => plain(app.stdout.frames.findLast(frame => frame !== '\x07'));
		await waitUntil(() => screen().includes('Users (1)'), 15_000, 'connected');
		app.stdin.write('/register');
		await waitUntil(() => screen().includes('> /register'), 15_000, 'typed');
		app.stdin.write('\r');
		await waitUntil(() => screen().includes('/register: this server does not support accounts'), 15_000, `the refusal on screen:\n${screen()}`);
		await waitUntil(() => !screen().includes('Password'), 15_000, 'no prompt');
		client.close();
	});
});

describe('the login prompt in the TUI', () => {
	it('keeps what was typed when the server drops the waiting connection, and logs in on the next one', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'prompt-'));
		const db = await openDatabase(dir);
		const accounts = await openAccounts({kind: 'sqlite', db}, {hasher: new PasswordHasher({ln: 4, r: 8, p: 1})});
		try {
			await accounts.addAccount('alice', 'patient typist');
			// The second connection must also log in within the handshake timeout, after the test
			// sees it asked and types the rest: 2 s leaves a loaded machine room (300 ms did not).
			const server = await startTestServer({rate: 0, accounts, handshakeTimeoutMs: 2000});
			const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'alice', refreshIntervalMs: 0, backoff: {baseMs: 10, capMs: 20}, login: {transport: 'plain', canPrompt: true}});
			let asked = 0;
			client.on('passwordNeeded', () => asked++);
			const app = render(<ChatScreen client={client} serverLabel={`127.0.0.1:${server.port}`} size={{columns: 100, rows: 16}} onExit={() => {}} />);
			const screen = () => plain(app.stdout.frames.findLast(frame => frame !== '\x07'));
			await waitUntil(() => screen().includes('Password for alice:'), 15_000, 'the prompt');
			app.stdin.write('patient ');
			// The server gives up on the first connection; the client connects again and is asked again.
			await waitUntil(() => asked >= 2, 15_000, 'a second auth-required');
			app.stdin.write('typist');
			app.stdin.write('\r');
			await waitUntil(() => screen().includes('Users (1)') && client.loggedIn, 15_000, `logged in:\n${screen()}`);
			client.close();
		} finally {
			await closeTestServers();
			await accounts.close();
			db.close();
			rmSync(dir, {recursive: true, force: true});
		}
	});
});
