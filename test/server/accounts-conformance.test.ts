// PROTOCOL.md §11 on the wire: a real server on port 0 with accounts in a
// --data database, spoken to by raw TCP clients (some from other loopback
// addresses, so that the lock-out counts them apart).
import {readdirSync, readFileSync, mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {Accounts} from '../../source/server/accounts/accounts.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import type {ServerOptions} from '../../source/server/index.js';
import {openDatabase, type Database} from '../../source/server/store/sqlite-open.js';
import {closeRawClients, connectUser, RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const password = 'correct horse battery staple';
let dir: string;
let db: Database;
let accounts: Accounts;
let logLines: string[];

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'accounts-wire-'));
	db = await openDatabase(dir);
	accounts = await openAccounts({kind: 'sqlite', db}, {hasher: new PasswordHasher({ln: 4, r: 8, p: 1})});
	logLines = [];
});
afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
	await accounts.close();
	db.close();
	rmSync(dir, {recursive: true, force: true});
});

async function server(options: Partial<ServerOptions> = {}) {
	return startTestServer({rate: 0, accounts, quiet: false, log: line => logLines.push(line), ...options});
}

/** A raw client from a chosen loopback address (127.0.0.0/8 is all this machine's). */
async function rawFrom(port: number, localAddress = '127.0.0.1'): Promise<RawClient> {
	const socket = net.connect({port, host: '127.0.0.1', localAddress});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('error', reject);
	});
	return new RawClient(socket);
}

async function ask(client: RawClient, frame: Record<string, unknown>) {
	client.sendFrame(frame);
	return client.nextStatus();
}

describe('accounts on the wire (§11)', () => {
	it('lists accounts only when the server has them', async () => {
		const withAccounts = await server();
		const plain = await startTestServer({rate: 0});
		const a = await rawFrom(withAccounts.port);
		const b = await rawFrom(plain.port);
		expect((await ask(a, {cmd: 'connect', username: 'x1'})).features).toContain('accounts');
		expect((await ask(b, {cmd: 'connect', username: 'x1'})).features).not.toContain('accounts');
		expect(await ask(b, {cmd: 'register', password})).toMatchObject({success: false, code: 'unsupported'});
	});

	it('register, then auth-required for a guest, a password login with a token, a token login, and no rename', async () => {
		const {port} = await server();
		const alice = await connectUser(port, 'alice');
		expect(await ask(alice, {cmd: 'register', password: 'short'})).toMatchObject({success: false, code: 'bad-field'});
		const registered = await ask(alice, {cmd: 'register', password});
		expect(registered).toMatchObject({success: true});
		expect(typeof registered.token).toBe('string');
		expect(await ask(alice, {cmd: 'rename', oldname: 'alice', newname: 'alicia'})).toMatchObject({success: false, code: 'forbidden'});
		alice.sendFrame({cmd: 'exit'});
		await alice.waitClosed();

		const guest = await rawFrom(port);
		const refused = await ask(guest, {cmd: 'connect', username: 'ALICE'});
		expect(refused).toMatchObject({success: false, code: 'auth-required'});
		expect(refused.features).toContain('accounts');
		expect(await ask(guest, {cmd: 'connect', username: 'alice', password: 'wrong password'})).toMatchObject({success: false, code: 'auth-failed'});
		const login = await ask(guest, {cmd: 'connect', username: 'alice', password});
		expect(login).toMatchObject({success: true, 'success-msg': 'welcome alice'});
		expect(login.token).not.toBe(registered.token);
		guest.sendFrame({cmd: 'exit'});
		await guest.waitClosed();

		const again = await rawFrom(port);
		expect(await ask(again, {cmd: 'connect', username: 'alice', token: registered.token})).toMatchObject({success: true, token: registered.token});
		expect(await ask(again, {cmd: 'connect', username: 'alice', password})).toMatchObject({success: false, code: 'already-connected'});
	});

	it('refuses a password and a token together, and names them in no error', async () => {
		const {port} = await server();
		const client = await rawFrom(port);
		const both = await ask(client, {cmd: 'connect', username: 'alice', password, token: 'tok-secret'});
		expect(both).toMatchObject({success: false, code: 'bad-field'});
		expect(JSON.stringify(both)).not.toContain(password);
		expect(JSON.stringify(both)).not.toContain('tok-secret');
	});

	it('logout revokes the token and makes a guest who may rename; password revokes every token', async () => {
		const {port} = await server();
		const alice = await connectUser(port, 'alice');
		const first = (await ask(alice, {cmd: 'register', password})).token;
		// The account just registered admits a second terminal beside the first.
		const second = (await ask(await rawFrom(port), {cmd: 'connect', username: 'alice', password})).token;
		expect(second).toEqual(expect.any(String));
		const changed = await ask(alice, {cmd: 'password', old: password, new: 'another fine password'});
		expect(changed).toMatchObject({success: true});
		const other = await rawFrom(port);
		expect(await ask(other, {cmd: 'connect', username: 'alice', token: first})).toMatchObject({success: false});
		const loggedOut = await ask(alice, {cmd: 'logout'});
		expect(loggedOut).toMatchObject({success: true});
		expect(loggedOut).not.toHaveProperty('closing');
		expect(await ask(alice, {cmd: 'rename', oldname: 'alice', newname: 'alicia'})).toMatchObject({success: true});
		expect(await ask(other, {cmd: 'connect', username: 'alicia', token: changed.token})).toMatchObject({success: false, code: 'auth-failed'});
	});

	it('refuses a password or a token over plain TCP from a remote address with tls-required, unless allowed', async () => {
		const remote = await server({isLocalAddress: () => false});
		const client = await rawFrom(remote.port);
		for (const credential of [{password}, {token: 'A'.repeat(43)}]) {
			expect(await ask(client, {cmd: 'connect', username: 'alice', ...credential})).toMatchObject({success: false, code: 'tls-required'});
		}

		expect(await ask(client, {cmd: 'connect', username: 'carol'})).toMatchObject({success: true});
		expect(await ask(client, {cmd: 'register', password})).toMatchObject({success: false, code: 'tls-required'});
		const allowed = await server({isLocalAddress: () => false, allowPlaintextPasswords: true});
		expect(await ask(await rawFrom(allowed.port), {cmd: 'connect', username: 'dave'})).toMatchObject({success: true});
	});

	it('--accounts-only refuses guests', async () => {
		await accounts.addAccount('bob', password);
		const {port} = await server({accountsOnly: true});
		const client = await rawFrom(port);
		// `registered` tells a name no password can help (our addition to §11) from one that needs its password.
		expect(await ask(client, {cmd: 'connect', username: 'eve'})).toMatchObject({success: false, code: 'auth-required', registered: false});
		expect(await ask(client, {cmd: 'connect', username: 'bob'})).toMatchObject({success: false, code: 'auth-required', registered: true});
		expect(await ask(client, {cmd: 'connect', username: 'bob', password})).toMatchObject({success: true});
		const open = await server();
		expect(await ask(await rawFrom(open.port), {cmd: 'connect', username: 'bob'})).toMatchObject({success: false, code: 'auth-required', registered: true});
	});

	it('--accounts-only keeps no guest after a logout: the token is revoked and the connection closed', async () => {
		await accounts.addAccount('bob', password);
		const {port} = await server({accountsOnly: true});
		const bob = await rawFrom(port);
		const {token} = await ask(bob, {cmd: 'connect', username: 'bob', password});
		// `closing` says so to the client by a field (our addition to §11), so it does not come back as a guest.
		expect(await ask(bob, {cmd: 'logout'})).toMatchObject({success: true, 'success-msg': expect.stringContaining('accounts only'), closing: true});
		await bob.waitClosed();
		// Closed before it could act as a guest, and the token is gone.
		expect(bob.received.filter(item => item.type === 'frame' && 'success' in item.frame)).toHaveLength(2);
		expect(await ask(await rawFrom(port), {cmd: 'connect', username: 'bob', token})).toMatchObject({success: false, code: 'auth-failed'});
	});

	it('marks account holders in get-clients', async () => {
		await accounts.addAccount('bob', password);
		const {port} = await server();
		const guest = await connectUser(port, 'carol');
		const bob = await rawFrom(port);
		expect(await ask(bob, {cmd: 'connect', username: 'bob', password})).toMatchObject({success: true});
		expect(await ask(guest, {cmd: 'get-clients'})).toMatchObject({clients: ['carol', 'bob'], accounts: ['bob']});
	});

	it('1,000 wrong guesses from one address end locked out, while the owner logs in by token and others chat', async () => {
		await accounts.addAccount('alice', password);
		const {port} = await server();
		const owner = await rawFrom(port, '127.0.0.2');
		const {token} = await ask(owner, {cmd: 'connect', username: 'alice', password});
		owner.sendFrame({cmd: 'exit'});
		await owner.waitClosed();

		const attacker = await rawFrom(port, '127.0.0.9');
		for (let guess = 0; guess < 1000; guess++) attacker.sendFrame({cmd: 'connect', username: 'alice', password: `guess number ${guess}`});
		const answers = [];
		for (let guess = 0; guess < 1000; guess++) answers.push(await attacker.nextStatus());
		expect(answers.slice(0, 5).every(answer => answer.code === 'auth-failed')).toBe(true);
		expect(answers.at(-1)).toMatchObject({success: false, code: 'locked-out'});
		expect(answers.at(-1)!.retry).toBeGreaterThanOrEqual(1);
		expect(answers.filter(answer => answer.success)).toHaveLength(0);
		// The right password from the attacker's address is locked out too: the wait is on the address, not the guess.
		expect(await ask(attacker, {cmd: 'connect', username: 'alice', password})).toMatchObject({code: 'locked-out'});

		const bob = await connectUser(port, 'bob');
		const carol = await connectUser(port, 'carol');
		const back = await rawFrom(port, '127.0.0.9');
		expect(await ask(back, {cmd: 'connect', username: 'alice', token})).toMatchObject({success: true});
		bob.sendFrame({cmd: 'msg', msg: 'still here'});
		expect(await carol.nextEvent('message')).toMatchObject({user: 'bob', msg: 'still here'});
	});

	it('never writes a password to its log lines or its database files', async () => {
		const {port} = await server();
		const alice = await connectUser(port, 'alice');
		await ask(alice, {cmd: 'register', password});
		await ask(alice, {cmd: 'password', old: password, new: `${password} two`});
		const other = await rawFrom(port);
		await ask(other, {cmd: 'connect', username: 'alice', password: `${password} wrong`});
		db.pragma('wal_checkpoint(FULL)');
		const needle = Buffer.from('correct horse');
		for (const file of readdirSync(dir)) expect(readFileSync(path.join(dir, file)).includes(needle), file).toBe(false);
		expect(logLines.length).toBeGreaterThan(0);
		expect(logLines.join('\n')).not.toContain('correct horse');
	});
});
