// PROTOCOL.md §11 "up to 5 connections at once" on the wire: a real server on
// port 0 with accounts in a --data database, raw TCP clients. The 30 s of
// silence are played by moving the fake performance clock only: sockets and
// timers stay real.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {MAX_CONNECTIONS_PER_ACCOUNT, SILENT_CONNECTION_MS} from '../../source/server/accounts/account-connections.js';
import type {Accounts} from '../../source/server/accounts/accounts.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import type {ServerOptions} from '../../source/server/index.js';
import {openDatabase, type Database} from '../../source/server/store/sqlite-open.js';
import {closeRawClients, connectRaw, connectUser, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const password = 'five terminals at once';
let dir: string;
let db: Database;
let accounts: Accounts;

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'accounts-multi-'));
	db = await openDatabase(dir);
	accounts = await openAccounts({kind: 'sqlite', db}, {hasher: new PasswordHasher({ln: 4, r: 8, p: 1})});
	await accounts.addAccount('alice', password);
});
afterEach(async () => {
	vi.useRealTimers();
	await closeRawClients();
	await closeTestServers();
	await accounts.close();
	db.close();
	rmSync(dir, {recursive: true, force: true});
});

async function server(options: Partial<ServerOptions> = {}) {
	return startTestServer({rate: 0, accounts, ...options});
}

async function ask(client: RawClient, frame: Record<string, unknown>) {
	client.sendFrame(frame);
	return client.nextStatus();
}

/** A raw client logged in to alice; the status is returned beside it. */
async function login(port: number, credential: {password: string} | {token: string}) {
	const client = await connectRaw(port);
	const status = await ask(client, {cmd: 'connect', username: 'alice', ...credential});
	return {client, status};
}

const events = (client: RawClient, cmd: string) => client.pendingEvents().filter(event => event.cmd === cmd);

describe('several connections of one account (§11)', () => {
	it('shows two terminals of one account as one user: one enter, one roster entry, one exit after the last', async () => {
		const {port} = await server();
		const bob = await connectUser(port, 'bob');
		const first = await login(port, {password});
		expect(first.status).toMatchObject({success: true});
		expect(await bob.nextEvent('client-enter')).toMatchObject({user: 'alice'});
		const second = await login(port, {token: first.status.token!});
		expect(second.status).toMatchObject({success: true});

		expect((await bob.sync()).clients).toEqual(['bob', 'alice']);
		expect(events(bob, 'client-enter')).toEqual([]);
		// What one terminal says, the other sees too: it is the same user's chat.
		first.client.sendFrame({cmd: 'msg', msg: 'from the first terminal'});
		await first.client.expectStatus(true);
		expect(await second.client.nextEvent('message')).toMatchObject({user: 'alice', msg: 'from the first terminal'});

		first.client.sendFrame({cmd: 'exit'});
		await first.client.waitClosed();
		expect((await bob.sync()).clients).toEqual(['bob', 'alice']);
		expect(events(bob, 'client-exit')).toEqual([]);
		second.client.sendFrame({cmd: 'exit', msg: 'last one out'});
		await second.client.waitClosed();
		expect(await bob.nextEvent('client-exit')).toMatchObject({user: 'alice', msg: 'last one out'});
		expect((await bob.sync()).clients).toEqual(['bob']);
	});

	it('lets both terminals be in a room as one member: no second enter, and the exit when the last one parts', async () => {
		const {port} = await server();
		const bob = await connectUser(port, 'bob');
		const first = await login(port, {password});
		const second = await login(port, {token: first.status.token!});
		expect(await bob.nextEvent('client-enter')).toMatchObject({user: 'alice'});
		expect(await ask(bob, {cmd: 'join', room: '#both'})).toMatchObject({success: true});
		expect(await ask(first.client, {cmd: 'join', room: '#both'})).toMatchObject({success: true, clients: ['bob', 'alice']});
		expect(await bob.nextEvent('client-enter')).toMatchObject({user: 'alice', room: '#both'});
		expect(await ask(second.client, {cmd: 'join', room: '#both'})).toMatchObject({success: true, 'success-msg': 'joined #both', clients: ['bob', 'alice']});
		expect(await ask(first.client, {cmd: 'part', room: '#both'})).toMatchObject({success: true});
		expect((await ask(bob, {cmd: 'get-clients', room: '#both'})).clients).toEqual(['bob', 'alice']);
		expect([...events(bob, 'client-enter'), ...events(bob, 'client-exit')]).toEqual([]);
		expect(await ask(second.client, {cmd: 'part', room: '#both', msg: 'done here'})).toMatchObject({success: true});
		expect(await bob.nextEvent('client-exit')).toMatchObject({user: 'alice', room: '#both', part: true, msg: 'done here'});
	});

	it('refuses a sixth connection with forbidden, and the token it came with stays good', async () => {
		const {port} = await server();
		const first = await login(port, {password});
		const terminals = [first.client];
		for (let index = 1; index < MAX_CONNECTIONS_PER_ACCOUNT; index++) {
			const next = await login(port, {password});
			expect(next.status).toMatchObject({success: true});
			terminals.push(next.client);
		}

		const sixth = await login(port, {token: first.status.token!});
		expect(sixth.status).toMatchObject({success: false, code: 'forbidden', features: expect.arrayContaining(['accounts'])});
		expect(sixth.status['error-msg']).toContain(`${MAX_CONNECTIONS_PER_ACCOUNT} times already`);
		expect((await login(port, {password})).status).toMatchObject({success: false, code: 'forbidden'});

		// The refused login did not revoke the token it brought: once a place is free, it logs in.
		terminals[4]!.sendFrame({cmd: 'exit'});
		await terminals[4]!.waitClosed();
		expect(await ask(sixth.client, {cmd: 'connect', username: 'alice', token: first.status.token})).toMatchObject({success: true});
	});

	it('keeps guests to one connection per name', async () => {
		const {port} = await server();
		await connectUser(port, 'carol');
		const again = await connectRaw(port);
		expect(await ask(again, {cmd: 'connect', username: 'carol'})).toMatchObject({success: false, code: 'name-taken'});
	});

	it('lets a token login replace a connection silent for 30 s, which is told and closed; the others see nobody come or go', async () => {
		vi.useFakeTimers({toFake: ['performance']});
		const {port} = await server();
		const bob = await connectUser(port, 'bob');
		const first = await login(port, {password});
		const terminals = [first.client];
		for (let index = 1; index < MAX_CONNECTIONS_PER_ACCOUNT; index++) terminals.push((await login(port, {password})).client);
		await bob.nextEvent('client-enter');

		vi.advanceTimersByTime(SILENT_CONNECTION_MS + 1000);
		// All but the first speak up after the pause; the first stays silent.
		for (const terminal of terminals.slice(1)) await terminal.sync();
		const newcomer = await login(port, {token: first.status.token!});
		expect(newcomer.status).toMatchObject({success: true, token: first.status.token});

		expect(await first.client.nextEvent('server-closing')).toMatchObject({reconnect: false, code: 'replaced', msg: expect.stringContaining('replaced by a newer login of alice')});
		await first.client.waitClosed();
		for (const terminal of terminals.slice(1)) expect(terminal.isClosed).toBe(false);
		expect((await bob.sync()).clients).toEqual(['bob', 'alice']);
		expect([...events(bob, 'client-enter'), ...events(bob, 'client-exit')]).toEqual([]);
	});

	it('never replaces a connection for a password login, nor one that spoke within 30 s', async () => {
		vi.useFakeTimers({toFake: ['performance']});
		const {port} = await server();
		const first = await login(port, {password});
		const terminals = [first.client];
		for (let index = 1; index < MAX_CONNECTIONS_PER_ACCOUNT; index++) terminals.push((await login(port, {password})).client);
		vi.advanceTimersByTime(SILENT_CONNECTION_MS + 1000);
		expect((await login(port, {password})).status).toMatchObject({success: false, code: 'forbidden'});
		for (const terminal of terminals) await terminal.sync();
		vi.advanceTimersByTime(SILENT_CONNECTION_MS - 5000);
		const early = await login(port, {token: first.status.token!});
		expect(early.status).toMatchObject({success: false, code: 'forbidden', retry: 5});
		for (const terminal of terminals) expect(terminal.isClosed).toBe(false);
	});
});
