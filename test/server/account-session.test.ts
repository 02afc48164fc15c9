// One connection's account rules over the real facade on a --data database.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {AccountSession, type AccountRules, type Peer} from '../../source/server/account-session.js';
import type {Accounts} from '../../source/server/accounts/accounts.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import {openDatabase, type Database} from '../../source/server/store/sqlite-open.js';

const password = 'correct horse battery';
let dir: string;
let db: Database;
let accounts: Accounts;
beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'account-session-'));
	db = await openDatabase(dir);
	accounts = await openAccounts({kind: 'sqlite', db}, {hasher: new PasswordHasher({ln: 4, r: 8, p: 1})});
	await accounts.addAccount('Alice', password);
});
afterEach(async () => {
	await accounts.close();
	db.close();
	rmSync(dir, {recursive: true, force: true});
});

const local: Peer = {encrypted: false, address: '127.0.0.1'};
const remote: Peer = {encrypted: false, address: '203.0.113.7', isLocal: () => false};
const rules = (extra: Partial<AccountRules> = {}): AccountRules => ({accounts, accountsOnly: false, allowPlaintextPasswords: false, ...extra});

describe('AccountSession', () => {
	it('lets a guest take a free name, and answers auth-required for a registered one', async () => {
		const session = new AccountSession(rules(), local);
		expect(await session.connect('bob', undefined)).toEqual({ok: true, name: 'bob'});
		expect(await session.connect('alice', undefined)).toMatchObject({ok: false, code: 'auth-required'});
		expect(await new AccountSession(rules({accountsOnly: true}), local).connect('bob', undefined)).toMatchObject({ok: false, code: 'auth-required'});
	});

	it('logs in by password with the registered spelling and a token, then by that token; a logged-in user cannot rename', async () => {
		const session = new AccountSession(rules(), local);
		const login = await session.connect('alice', {password});
		expect(login).toMatchObject({ok: true, name: 'Alice'});
		const token = login.ok ? login.token! : '';
		expect(token.length).toBeGreaterThanOrEqual(22);
		expect(session.renameRefusal()).toMatchObject({code: 'forbidden'});
		expect(await new AccountSession(rules(), local).connect('ALICE', {token})).toEqual({ok: true, name: 'Alice', token});
	});

	it('refuses a password or token over plain TCP from a remote address without asking the facade, unless allowed', async () => {
		for (const credential of [{password}, {token: 'x'.repeat(43)}]) {
			expect(await new AccountSession(rules(), remote).connect('alice', credential)).toMatchObject({ok: false, code: 'tls-required'});
		}

		expect(await new AccountSession(rules(), remote).register('carol', password)).toMatchObject({ok: false, code: 'tls-required'});
		expect(await new AccountSession(rules(), {...remote, encrypted: true}).connect('alice', {password})).toMatchObject({ok: true});
		expect(await new AccountSession(rules({allowPlaintextPasswords: true}), remote).connect('alice', {password})).toMatchObject({ok: true});
	});

	it('registers the current name, logs out (the token stops working), and a new password revokes the old tokens', async () => {
		const carol = new AccountSession(rules(), local);
		const registered = await carol.register('carol', password);
		expect(registered).toMatchObject({ok: true, name: 'carol'});
		expect(await carol.register('carol', password)).toMatchObject({ok: false, code: 'forbidden'});
		const first = registered.ok ? registered.token! : '';
		const changed = await carol.changePassword('carol', password, 'a brand new password');
		expect(changed.ok).toBe(true);
		expect(await new AccountSession(rules(), local).connect('carol', {token: first})).toMatchObject({ok: false, code: 'auth-failed'});
		const second = changed.ok ? changed.token! : '';
		expect(await carol.logout('carol')).toEqual({ok: true, name: 'carol'});
		expect(carol.loggedIn).toBe(false);
		expect(carol.renameRefusal()).toBeUndefined();
		expect(await new AccountSession(rules(), local).connect('carol', {token: second})).toMatchObject({ok: false, code: 'auth-failed'});
		expect(await carol.logout('carol')).toMatchObject({ok: false, code: 'forbidden'});
	});

	it('undoes a login whose name the hub would not give (the token it issued is revoked)', async () => {
		const session = new AccountSession(rules(), local);
		const login = await session.connect('alice', {password});
		await session.abandon();
		expect(session.loggedIn).toBe(false);
		expect(await new AccountSession(rules(), local).connect('alice', {token: login.ok ? login.token! : ''})).toMatchObject({ok: false, code: 'auth-failed'});
	});

	it('without storage, a credential or an account command is unsupported, and guests connect as before', async () => {
		const session = new AccountSession(rules({accounts: undefined}), local);
		expect(await session.connect('alice', undefined)).toEqual({ok: true, name: 'alice'});
		expect(await session.connect('alice', {password})).toMatchObject({ok: false, code: 'unsupported'});
		expect(await session.register('alice', password)).toMatchObject({ok: false, code: 'unsupported'});
	});
});
