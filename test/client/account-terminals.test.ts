// Several terminals of one account against a real server with accounts on
// port 0 (§11): a line typed in one shows in the others as yours (in its
// room, or its direct conversation), never as "someone else under your
// name"; a sixth terminal is refused with a clear line and does not retry.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/client.js';
import type {ChatClientEvents} from '../../source/client/events.js';
import type {Accounts} from '../../source/server/accounts/accounts.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import {openDatabase, type Database} from '../../source/server/store/sqlite-open.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {ok, startScriptedServer} from './scripted-server.js';

const password = 'velvet-lantern-orchid';
let dir: string;
let db: Database;
let accounts: Accounts;
const clients: ChatClient[] = [];

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'account-terminals-'));
	db = await openDatabase(dir);
	accounts = await openAccounts({kind: 'sqlite', db}, {hasher: new PasswordHasher({ln: 4, r: 8, p: 1})});
	await accounts.addAccount('alice', password);
	await accounts.addAccount('bob', password);
});
afterEach(async () => {
	for (const client of clients.splice(0)) client.close();
	await closeTestServers();
	await accounts.close();
	db.close();
	rmSync(dir, {recursive: true, force: true});
});

function terminal(port: number, user = 'alice'): ChatClient {
	const made = new ChatClient({host: '127.0.0.1', port, user, login: {transport: 'plain', canPrompt: false, scriptedPassword: password}, refreshIntervalMs: 0, backoff: {baseMs: 10, capMs: 20}});
	clients.push(made);
	return made;
}

async function next<K extends keyof ChatClientEvents>(chat: ChatClient, name: K, where: (payload: ChatClientEvents[K]) => boolean = () => true): Promise<ChatClientEvents[K]> {
	return new Promise(resolve => {
		const listener = (payload: ChatClientEvents[K]) => {
			if (!where(payload)) return;
			chat.off(name, listener as never);
			resolve(payload);
		};

		chat.on(name, listener as never);
	});
}

async function connected(chat: ChatClient): Promise<void> {
	const up = next(chat, 'roster', ({source}) => source === 'connect');
	chat.start();
	await up;
	expect(chat.loggedIn).toBe(true);
}

describe('several terminals of one account', () => {
	it('a line typed in one terminal is your own line in the other, in #lobby and in a direct conversation', async () => {
		const server = await startTestServer({rate: 0, accounts});
		const first = terminal(server.port);
		const second = terminal(server.port);
		const bob = terminal(server.port, 'bob');
		await connected(first);
		await connected(second);
		await connected(bob);
		const warnings: string[] = [];
		second.on('warning', ({message}) => warnings.push(message));

		const inLobby = next(second, 'message');
		first.send('hello from my laptop');
		const lobbyLine = await inLobby;
		expect(lobbyLine).toMatchObject({user: 'alice', text: 'hello from my laptop', own: true, conversation: '#lobby'});
		expect(lobbyLine.namesake).toBeUndefined();

		const direct = next(second, 'message');
		first.send('see you at six', {to: 'bob'});
		expect(await direct).toMatchObject({user: 'alice', to: 'bob', text: 'see you at six', own: true, conversation: 'bob'});
		expect(warnings).toEqual([]);

	});

	it('a sixth terminal is told the account is connected from as many terminals as it may, and does not retry', async () => {
		const server = await startTestServer({rate: 0, accounts});
		for (let index = 0; index < 5; index++) await connected(terminal(server.port));
		const sixth = terminal(server.port);
		const errors: string[] = [];
		sixth.on('error', ({message}) => errors.push(message));
		const reconnecting: number[] = [];
		sixth.on('reconnecting', ({attempt}) => reconnecting.push(attempt));
		const gone = next(sixth, 'disconnected');
		sixth.start();
		const {reason, willReconnect} = await gone;
		expect(willReconnect).toBe(false);
		expect(reason).toMatch(/^alice is connected to .* from as many terminals as it may \(.*\) — close one of them and start again$/);
		expect(errors).toEqual([reason]);
		expect(reconnecting).toEqual([]);
	});
});

describe('replaced by a newer login', () => {
	// The reference server replaces only a connection silent for 30 s: a scripted server says it at once.
	async function loggedInThenClosed(closing: Record<string, unknown>) {
		const connections: number[] = [];
		const scripted = await startScriptedServer(connection => {
			connections.push(connection.index);
			connection.onCommand(frame => {
				if (frame.cmd !== 'connect') return;
				connection.send({...ok('welcome', ['alice']), features: ['codes', 'accounts'], token: 'T'.repeat(43)});
				if (connection.index > 0) return;
				connection.send({cmd: 'server-closing', ...closing});
				connection.socket.end();
			});
		});
		const saved = new Map([['alice', 'S'.repeat(43)]]);
		const chat = new ChatClient({
			host: '127.0.0.1',
			port: scripted.port,
			user: 'alice',
			login: {transport: 'plain', canPrompt: false, tokens: {read: name => saved.get(name), save: (name, token) => saved.set(name, token), forget: name => saved.delete(name)}},
			refreshIntervalMs: 0,
			backoff: {baseMs: 10, capMs: 20},
		});
		clients.push(chat);
		const reconnecting: number[] = [];
		chat.on('reconnecting', ({attempt}) => reconnecting.push(attempt));
		const gone = next(chat, 'disconnected');
		chat.start();
		return {scripted, connections, reconnecting, gone: await gone};
	}

	it('says another login took its place and stops, on the replaced code', async () => {
		const {scripted, connections, reconnecting, gone} = await loggedInThenClosed({msg: 'replaced by a newer login of alice', reconnect: false, code: 'replaced'});
		try {
			expect(gone).toEqual({
				reason: "another login of alice took this connection's place (replaced by a newer login of alice) — not reconnecting; /reconnect to take it back",
				willReconnect: false,
			});
			expect(reconnecting).toEqual([]);
			expect(connections).toEqual([0]);
		} finally {
			await scripted.close();
		}
	});

	it('takes a shutdown for good without the code as the host closing, and keeps retrying', async () => {
		const {scripted, reconnecting, gone} = await loggedInThenClosed({msg: 'replaced by a newer login of alice', reconnect: false});
		try {
			expect(gone.willReconnect).toBe(true);
			expect(gone.reason).toMatch(/^the host closed the room: replaced by a newer login of alice — it does not expect to be back/);
			await waitUntil(() => reconnecting.length > 0, 10_000, 'a reconnect attempt');
		} finally {
			await scripted.close();
		}
	});
});
