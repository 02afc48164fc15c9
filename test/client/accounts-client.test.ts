// ChatClient's logins against a real server with accounts on port 0: the
// token saved and used on reconnect (no prompt), a revoked token falling back
// to the prompt, register/logout/password, and no password ever sent over
// --insecure or before auth-required (a recording server checks the wire).
import {mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/client.js';
import type {ChatClientEvents, LoginOptions, TokenKeeper} from '../../source/client/events.js';
import type {Accounts} from '../../source/server/accounts/accounts.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import {openDatabase, type Database} from '../../source/server/store/sqlite-open.js';
import {onJsonLines} from '../helpers/json-lines.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const password = 'velvet-lantern-orchid';
let dir: string;
let db: Database;
let accounts: Accounts;
const clients: ChatClient[] = [];
const servers: net.Server[] = [];

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'accounts-client-'));
	db = await openDatabase(dir);
	accounts = await openAccounts({kind: 'sqlite', db}, {hasher: new PasswordHasher({ln: 4, r: 8, p: 1})});
	await accounts.addAccount('alice', password);
});
afterEach(async () => {
	for (const client of clients.splice(0)) client.close();
	for (const server of servers.splice(0)) server.close();
	await closeTestServers();
	await accounts.close();
	db.close();
	rmSync(dir, {recursive: true, force: true});
});

function memoryTokens(): TokenKeeper & {saved: Map<string, string>} {
	const saved = new Map<string, string>();
	return {saved, read: name => saved.get(name), save: (name, token) => saved.set(name, token), forget: name => saved.delete(name)};
}

function client(port: number, login: LoginOptions, user = 'alice'): ChatClient {
	const made = new ChatClient({host: '127.0.0.1', port, user, login, refreshIntervalMs: 0, backoff: {baseMs: 10, capMs: 20}});
	clients.push(made);
	return made;
}

async function next<K extends keyof ChatClientEvents>(chat: ChatClient, name: K): Promise<ChatClientEvents[K]> {
	return new Promise(resolve => {
		chat.once(name, resolve as (payload: ChatClientEvents[K]) => void);
	});
}

describe('ChatClient logins', () => {
	it('prompts on auth-required, saves the token, reconnects with it without asking, and asks again once it is revoked', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const tokens = memoryTokens();
		const chat = client(server.port, {transport: 'plain', canPrompt: true, tokens});
		const prompts: string[] = [];
		chat.on('passwordNeeded', ({notice}) => prompts.push(notice));
		const asked = next(chat, 'passwordNeeded');
		chat.start();
		expect(await asked).toEqual({notice: 'alice is a registered name on this server'});
		const filled = new Promise<void>(resolve => {
			chat.on('roster', ({source}) => {
				if (source === 'connect') resolve();
			});
		});
		const guest = client(server.port, {transport: 'plain', canPrompt: true}, 'bob');
		const guestIn = next(guest, 'connected');
		guest.start();
		await guestIn;
		chat.logIn(password);
		await filled;
		expect(chat.loggedIn).toBe(true);
		// The roster marks the account holder apart from the guest.
		expect(chat.roster.users.map(({name, account}) => ({name, account}))).toEqual([{name: 'bob', account: undefined}, {name: 'alice', account: true}]);
		expect(tokens.saved.get('alice')).toMatch(/^[\w-]{22,}$/);

		const back = next(chat, 'connected');
		chat.reconnectNow();
		await back;
		expect(prompts).toHaveLength(1);
		expect(chat.loggedIn).toBe(true);

		await accounts.resetPassword('alice', 'the operator reset it');
		const again = next(chat, 'passwordNeeded');
		chat.reconnectNow();
		expect(await again).toEqual({notice: 'the saved login is no longer valid; log in with the password'});
		expect(tokens.saved.has('alice')).toBe(false);
		const wrong = next(chat, 'passwordNeeded');
		chat.logIn(password);
		expect(await wrong).toEqual({notice: 'wrong password for alice; try again'});
		const last = next(chat, 'connected');
		chat.logIn('the operator reset it');
		await last;
	});

	it('registers, changes the password (a new token), and logs out (the token forgotten)', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const tokens = memoryTokens();
		const chat = client(server.port, {transport: 'plain', canPrompt: true, tokens}, 'carol');
		const connected = next(chat, 'connected');
		chat.start();
		await connected;
		const registered = next(chat, 'account');
		chat.register('carol password one');
		// The token is kept, so this terminal is not asked for the password next time; it says so.
		expect(await registered).toMatchObject({action: 'register', ok: true, message: expect.stringContaining('this terminal stays logged in') as unknown});
		const first = tokens.saved.get('carol');
		expect(first).toBeDefined();
		const changed = next(chat, 'account');
		chat.changePassword('carol password one', 'carol password two');
		expect(await changed).toMatchObject({action: 'password', ok: true});
		expect(tokens.saved.get('carol')).not.toBe(first);
		const out = next(chat, 'account');
		chat.logout();
		expect(await out).toMatchObject({action: 'logout', ok: true});
		expect(tokens.saved.has('carol')).toBe(false);
		expect(chat.loggedIn).toBe(false);
		const again = next(chat, 'account');
		chat.logout();
		expect(await again).toMatchObject({ok: false, message: '/logout: you are not logged in to an account'});
	});

	it('a server without accounts refuses a saved token as unsupported: it is forgotten and we connect as a guest', async () => {
		const server = await startTestServer({rate: 0});
		const tokens = memoryTokens();
		tokens.save('alice', 'A'.repeat(43));
		const chat = client(server.port, {transport: 'plain', canPrompt: true, tokens});
		const connected = next(chat, 'connected');
		chat.start();
		await connected;
		expect(chat.loggedIn).toBe(false);
		expect(tokens.saved.has('alice')).toBe(false);
	});

	it('sends no password before auth-required, none to a server without accounts, and none over --insecure', async () => {
		const frames: Array<Record<string, unknown>> = [];
		const recorder = net.createServer(socket => {
			socket.on('error', () => {});
			onJsonLines(socket, frame => {
				frames.push(frame);
				socket.write(JSON.stringify({'success': false, 'error-msg': 'alice is registered', 'success-msg': '', 'code': 'auth-required', 'features': frames.length > 1 ? ['codes'] : ['codes', 'accounts']}) + '\n');
			});
		});
		servers.push(recorder);
		await new Promise<void>(resolve => {
			recorder.listen(0, '127.0.0.1', resolve);
		});
		const {port} = recorder.address() as net.AddressInfo;

		const insecure = client(port, {transport: 'insecure-tls', canPrompt: true, scriptedPassword: password, tokens: memoryTokens()});
		const stopped = next(insecure, 'error');
		insecure.start();
		expect((await stopped).message).toContain('never sent with --insecure');
		expect(frames).toEqual([{cmd: 'connect', username: 'alice', features: ['rooms', 'direct', 'presence']}]);

		// The second connect's answer lists no accounts: the scripted password stays here.
		const noAccounts = client(port, {transport: 'tls', canPrompt: false, scriptedPassword: password});
		const refused = next(noAccounts, 'error');
		noAccounts.start();
		expect((await refused).message).toContain('does not say it offers accounts');
		expect(JSON.stringify(frames)).not.toContain(password);
	});
});
