// The Accounts facade over a real SQLite file, with cheap scrypt parameters
// and the clock passed in.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {Accounts, type LoginSuccess, type Refusal} from '../../../source/server/accounts/accounts.js';
import {CheckGate} from '../../../source/server/accounts/check-gate.js';
import {Lockout} from '../../../source/server/accounts/lockout.js';
import {MemoryLockoutStore} from '../../../source/server/accounts/memory-lockout.js';
import {PasswordHasher, parseHash} from '../../../source/server/accounts/password-hash.js';
import {SqliteAccountStore} from '../../../source/server/accounts/sqlite-account-store.js';
import {TOKEN_IDLE_MS, tokenDigest} from '../../../source/server/accounts/tokens.js';

const cheap = {ln: 4, r: 8, p: 1};
const dirs: string[] = [];
const open: Accounts[] = [];
afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});
afterEach(async () => {
	await Promise.all(open.splice(0).map(async accounts => accounts.close()));
});

type Made = {accounts: Accounts; store: SqliteAccountStore; clock: {now: number}; hasher: PasswordHasher; log: string[]};

async function make(options: {hasher?: PasswordHasher; gate?: CheckGate} = {}): Promise<Made> {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-accounts-'));
	dirs.push(dir);
	const store = await SqliteAccountStore.open(dir);
	const clock = {now: 1_700_000_000_000};
	const hasher = options.hasher ?? new PasswordHasher(cheap);
	const log: string[] = [];
	const accounts = new Accounts({store, lockout: new Lockout(new MemoryLockoutStore()), hasher, gate: options.gate, now: () => clock.now, log: line => log.push(line)});
	open.push(accounts);
	return {accounts, store, clock, hasher, log};
}

function success(outcome: LoginSuccess | Refusal | {ok: true}): LoginSuccess {
	if (!outcome.ok || !('token' in outcome)) throw new Error(`expected a login, got ${JSON.stringify(outcome)}`);
	return outcome;
}

const here = '192.0.2.10';
const elsewhere = '198.51.100.20';
const password = 'correct horse battery';

describe('register and log in', () => {
	it('registers a name with a password and gives a token', async () => {
		const {accounts, store} = await make();
		const registered = success(await accounts.register('Alice', password, here));
		expect(registered).toMatchObject({ok: true, name: 'Alice', nameKey: 'alice'});
		expect(registered.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(await accounts.isRegistered('ALICE')).toBe(true);
		expect(await accounts.registeredName('аlice')).toBe('Alice');
		// Only the digest is kept.
		expect(await store.findToken(tokenDigest(registered.token))).toMatchObject({nameKey: 'alice'});
		expect(await store.findToken(registered.token)).toBeUndefined();
		expect((await store.get('alice'))?.passwordHash).not.toContain(password);
	});

	it.each([
		['a short password', 'Alice', 'seven77', 'bad-field'],
		['a long password', 'Alice', 'x'.repeat(1025), 'bad-field'],
		['a bad name', 'al ice', password, 'invalid-name'],
	])('refuses %s', async (_, name, given, code) => {
		const {accounts} = await make();
		expect(await accounts.register(name, given, here)).toMatchObject({ok: false, code});
	});

	it('accepts 8 and 1,024 characters, counting an emoji as one', async () => {
		const {accounts} = await make();
		expect((await accounts.register('a1', '😀'.repeat(8), here)).ok).toBe(true);
		expect((await accounts.register('a2', 'y'.repeat(1024), here)).ok).toBe(true);
	});

	it('refuses a name already registered, in any case or look-alike', async () => {
		const {accounts} = await make();
		await accounts.register('Alice', password, here);
		expect(await accounts.register('аlice', password, here)).toMatchObject({ok: false, code: 'name-taken'});
	});

	it('logs in with the password (a new token each time) and with a token (the same one back)', async () => {
		const {accounts} = await make();
		const registered = success(await accounts.register('Alice', password, here));
		const byPassword = success(await accounts.login('alice', {password}, elsewhere));
		expect(byPassword.name).toBe('Alice');
		expect(byPassword.token).not.toBe(registered.token);
		const byToken = success(await accounts.login('ALICE', {token: registered.token}, elsewhere));
		expect(byToken.token).toBe(registered.token);
	});

	it('refuses a wrong password, an unknown name, a token of another name and a made-up token', async () => {
		const {accounts} = await make();
		const alice = success(await accounts.register('alice', password, here));
		await accounts.register('bob', password, here);
		expect(await accounts.login('alice', {password: 'wrong password'}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect(await accounts.login('carol', {password}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect(await accounts.login('bob', {token: alice.token}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect(await accounts.login('alice', {token: 'A'.repeat(43)}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect(await accounts.login('alice', {token: 'short'}, here)).toMatchObject({ok: false, code: 'auth-failed'});
	});

	it('checks an unknown name against the dummy hash, with the same scrypt as a real one', async () => {
		const hasher = new PasswordHasher(cheap);
		const checked: string[] = [];
		const verify = hasher.verify.bind(hasher);
		hasher.verify = async (stored, given) => {
			checked.push(stored);
			return verify(stored, given);
		};

		const {accounts} = await make({hasher});
		await accounts.register('alice', password, here);
		await accounts.login('alice', {password: 'wrong password'}, here);
		await accounts.login('nobody', {password: 'wrong password'}, here);
		await accounts.login('someone', {password: 'wrong password'}, here);
		expect(checked).toHaveLength(3);
		const [real, dummy, again] = checked.map(stored => parseHash(stored!));
		expect(dummy!.parameters).toEqual(real!.parameters);
		expect(dummy!.key.length).toBe(real!.key.length);
		expect(again).toEqual(dummy);
		expect(dummy).not.toEqual(real);
	});
});

describe('tokens', () => {
	it('keeps 20 per account, dropping the least recently used', async () => {
		const {accounts, clock} = await make();
		const first = success(await accounts.register('alice', password, here)).token;
		const tokens = [first];
		for (let index = 1; index < 21; index++) {
			clock.now += 2 * 60 * 60 * 1000;
			tokens.push(success(await accounts.login('alice', {password}, here)).token);
		}

		expect(await accounts.login('alice', {token: tokens[0]!}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		for (const token of tokens.slice(1)) expect((await accounts.login('alice', {token}, here)).ok).toBe(true);
	});

	it('forgets a token unused for 30 days, and keeps one used within them', async () => {
		const {accounts, clock} = await make();
		const unused = success(await accounts.register('alice', password, here)).token;
		const used = success(await accounts.login('alice', {password}, here)).token;
		clock.now += TOKEN_IDLE_MS - 60_000;
		expect((await accounts.login('alice', {token: used}, here)).ok).toBe(true);
		clock.now += 120_000;
		expect(await accounts.login('alice', {token: unused}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect((await accounts.login('alice', {token: used}, here)).ok).toBe(true);
		clock.now += TOKEN_IDLE_MS;
		expect(await accounts.login('alice', {token: used}, here)).toMatchObject({ok: false, code: 'auth-failed'});
	});

	it('writes the last use at most once an hour', async () => {
		const {accounts, store, clock} = await make();
		const token = success(await accounts.register('alice', password, here)).token;
		const created = clock.now;
		clock.now += 10 * 60 * 1000;
		await accounts.login('alice', {token}, here);
		expect((await store.findToken(tokenDigest(token)))?.lastUsed).toBe(created);
		clock.now += 60 * 60 * 1000;
		await accounts.login('alice', {token}, here);
		expect((await store.findToken(tokenDigest(token)))?.lastUsed).toBe(clock.now);
	});

	it('logout revokes the token in use, and only it', async () => {
		const {accounts} = await make();
		const kept = success(await accounts.register('alice', password, here)).token;
		const revoked = success(await accounts.login('alice', {password}, here)).token;
		expect(await accounts.logout(revoked)).toEqual({ok: true});
		expect(await accounts.login('alice', {token: revoked}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect((await accounts.login('alice', {token: kept}, here)).ok).toBe(true);
	});

	it('a password change checks the old one, revokes every token and gives a new one', async () => {
		const {accounts} = await make();
		const old = success(await accounts.register('alice', password, here)).token;
		expect(await accounts.changePassword('alice', 'not the password', 'brand new password', here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect(await accounts.changePassword('alice', password, 'short', here)).toMatchObject({ok: false, code: 'bad-field'});
		const changed = success(await accounts.changePassword('alice', password, 'brand new password', here));
		expect(await accounts.login('alice', {token: old}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect((await accounts.login('alice', {token: changed.token}, here)).ok).toBe(true);
		expect(await accounts.login('alice', {password}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect((await accounts.login('alice', {password: 'brand new password'}, here)).ok).toBe(true);
	});

	it('the operator\'s reset revokes every token; delete frees the name', async () => {
		const {accounts} = await make();
		const token = success(await accounts.register('alice', password, here)).token;
		expect(await accounts.resetPassword('alice', 'operator chose this')).toEqual({ok: true});
		expect(await accounts.login('alice', {token}, here)).toMatchObject({ok: false, code: 'auth-failed'});
		expect((await accounts.login('alice', {password: 'operator chose this'}, here)).ok).toBe(true);
		expect(await accounts.resetPassword('nobody', 'operator chose this')).toMatchObject({ok: false, code: 'no-such-user'});
		expect(await accounts.deleteAccount('ALICE')).toEqual({ok: true});
		expect(await accounts.isRegistered('alice')).toBe(false);
		expect(await accounts.deleteAccount('alice')).toMatchObject({ok: false, code: 'no-such-user'});
	});
});

describe('lock-out through the facade', () => {
	it('locks a guessing address out, while the owner logs in with a token and from an address used before', async () => {
		const {accounts, clock} = await make();
		const token = success(await accounts.register('alice', password, here)).token;
		for (let guess = 0; guess < 5; guess++) expect(await accounts.login('alice', {password: `guess number ${guess}`}, elsewhere)).toMatchObject({code: 'auth-failed'});
		const locked = await accounts.login('alice', {password}, elsewhere);
		expect(locked).toMatchObject({ok: false, code: 'locked-out', retry: 1});
		expect((locked as Refusal).message).not.toContain(password);
		expect((await accounts.login('alice', {token}, elsewhere)).ok).toBe(true);
		expect((await accounts.login('alice', {password}, here)).ok).toBe(true);
		clock.now += 1000;
		expect((await accounts.login('alice', {password}, elsewhere)).ok).toBe(true);
	});

	it('counts unknown names too, and locks the address after 20 across names', async () => {
		const {accounts} = await make();
		await accounts.register('alice', password, here);
		for (let guess = 0; guess < 20; guess++) await accounts.login(`user${guess}`, {password: 'guessing away'}, elsewhere);
		expect(await accounts.login('alice', {password}, elsewhere)).toMatchObject({ok: false, code: 'locked-out'});
		expect((await accounts.login('alice', {password}, here)).ok).toBe(true);
	});

	it('an IPv4-mapped address is the same address', async () => {
		const {accounts} = await make();
		await accounts.register('alice', password, here);
		for (let guess = 0; guess < 5; guess++) await accounts.login('alice', {password: 'guessing away'}, elsewhere);
		expect(await accounts.login('alice', {password}, `::ffff:${elsewhere}`)).toMatchObject({ok: false, code: 'locked-out'});
	});
});

describe('what goes wrong', () => {
	it('a damaged stored hash is unavailable and a line for the operator, not a wrong password, and not counted', async () => {
		const {accounts, store, log} = await make();
		await accounts.register('alice', password, here);
		await store.setPasswordHash('alice', 'garbage');
		for (let attempt = 0; attempt < 6; attempt++) {
			expect(await accounts.login('alice', {password}, elsewhere)).toMatchObject({ok: false, code: 'unavailable', retry: 60});
		}

		expect(log).toHaveLength(6);
		expect(log[0]).toMatch(/^account alice: .*account reset NAME$/);
		expect(log.join('\n')).not.toContain(password);
	});

	it('a full queue of checks is rate-limited, not a wrong password', async () => {
		const hasher = new PasswordHasher(cheap);
		const gate = new CheckGate(1, 0);
		const {accounts} = await make({hasher, gate});
		await accounts.register('alice', password, here);
		const [first, second] = await Promise.all([accounts.login('alice', {password}, here), accounts.login('alice', {password}, here)]);
		expect(first.ok).toBe(true);
		expect(second).toMatchObject({ok: false, code: 'rate-limited', retry: 1});
	});

	it('rehashes a password stored with older parameters on its next login', async () => {
		const {accounts, store} = await make();
		const old = await new PasswordHasher({ln: 3, r: 8, p: 1}).hash(password);
		await store.create({nameKey: 'alice', name: 'alice', passwordHash: old, created: 1});
		expect(success(await accounts.login('alice', {password}, here)).rehashed).toBe(true);
		expect(parseHash((await store.get('alice'))!.passwordHash).parameters).toEqual(cheap);
		expect(success(await accounts.login('alice', {password}, here)).rehashed).toBe(false);
	});

	it('storage that fails is unavailable with a retry', async () => {
		const {accounts, store} = await make();
		await store.close();
		expect(await accounts.login('alice', {password}, here)).toMatchObject({ok: false, code: 'unavailable', retry: 2});
	});
});
