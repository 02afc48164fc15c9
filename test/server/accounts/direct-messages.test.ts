// Stored direct messages (§10) over each real backend: the room log and the
// accounts in one SQLite file (as `--data` keeps them), the memory log beside
// SQLite accounts, and both in a redis-server.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AccountIdentity, Accounts} from '../../../source/server/accounts/accounts.js';
import {directConversationKey, DirectMessages, isDirectConversation, MAX_LISTED_CONVERSATIONS} from '../../../source/server/accounts/direct-messages.js';
import {openAccounts} from '../../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../../source/server/accounts/password-hash.js';
import {MemoryLog} from '../../../source/server/store/memory-log.js';
import type {MessageLog} from '../../../source/server/store/message-log.js';
import {RedisLog} from '../../../source/server/store/redis-log.js';
import {SqliteLog} from '../../../source/server/store/sqlite-log.js';
import {startRedis, stopRedisServers, type RedisServer} from '../../helpers/redis.js';

const password = 'direct and stored';
const hasher = new PasswordHasher({ln: 4, r: 8, p: 1});
const dirs: string[] = [];
const cleanups: Array<() => Promise<void> | void> = [];
let redis: RedisServer;
let prefixes = 0;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup();
	await stopRedisServers();
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

type Setup = {accounts: Accounts; log: MessageLog; direct: DirectMessages};

function freshDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-direct-'));
	dirs.push(dir);
	return dir;
}

function wrap(accounts: Accounts, log: MessageLog): Setup {
	return {accounts, log, direct: new DirectMessages({accounts, log, note() {}})};
}

const backends: Record<string, () => Promise<Setup>> = {
	async sqlite() {
		const log = await SqliteLog.open(freshDir());
		const accounts = await openAccounts({kind: 'sqlite', db: log.database}, {hasher});
		cleanups.push(async () => {
			await accounts.close();
			await log.close();
		});
		return wrap(accounts, log);
	},
	async memory() {
		const store = await SqliteLog.open(freshDir());
		const accounts = await openAccounts({kind: 'sqlite', db: store.database}, {hasher});
		const log = new MemoryLog();
		cleanups.push(async () => {
			await accounts.close();
			await store.close();
		});
		return wrap(accounts, log);
	},
	async redis() {
		const prefix = `direct${++prefixes}:`;
		const client = new Redis(redis.url);
		const accounts = await openAccounts({kind: 'redis', redis: client, prefix}, {hasher});
		const log = RedisLog.using(client, {prefix});
		cleanups.push(async () => {
			await accounts.close();
			await log.close();
			client.disconnect();
		});
		return wrap(accounts, log);
	},
};

async function account(accounts: Accounts, name: string): Promise<AccountIdentity> {
	const added = await accounts.addAccount(name, password);
	if (!added.ok) throw new Error(added.message);
	return (await accounts.identity(name))!;
}

async function stored(direct: DirectMessages, from: AccountIdentity | undefined, to: string) {
	const route = await direct.route(from, to);
	if (route.kind !== 'stored') throw new Error(`expected a stored route, got ${route.kind}`);
	return route;
}

for (const [kind, make] of Object.entries(backends)) {
	describe(`stored direct messages: ${kind}`, () => {
		it('keeps one conversation per pair of accounts, the same from either side, and leaves guests live', async () => {
			const {accounts, direct} = await make();
			const [alice, bob] = [await account(accounts, 'alice'), await account(accounts, 'Bob')];
			expect((await stored(direct, alice, 'BOB')).conversation).toBe((await stored(direct, bob, 'alice')).conversation);
			expect(isDirectConversation(directConversationKey(alice, bob))).toBe(true);
			expect(await direct.route(undefined, 'bob')).toEqual({kind: 'live'});
			expect(await direct.route(alice, 'carol')).toEqual({kind: 'live'});
		});

		it('numbers the messages of a conversation on their own and lets both sides read them with the other side named', async () => {
			const {accounts, direct} = await make();
			const [alice, bob, carol] = [await account(accounts, 'alice'), await account(accounts, 'bob'), await account(accounts, 'carol')];
			const first = await direct.send(await stored(direct, alice, 'bob'), 'hello bob', undefined);
			const reply = await direct.send(await stored(direct, bob, 'alice'), 'hi alice', 'reply-id-0123456789abcdef');
			// Another millisecond, so the most recent conversation is plain.
			await new Promise(resolve => setTimeout(resolve, 2));
			const elsewhere = await direct.send(await stored(direct, alice, 'carol'), 'hello carol', undefined);
			expect(first.status).toMatchObject({success: true, seq: 1});
			expect(reply.status).toMatchObject({success: true, seq: 2});
			expect(elsewhere.status).toMatchObject({success: true, seq: 1});
			expect(JSON.parse(first.event!.toString())).toMatchObject({cmd: 'message', user: 'alice', to: 'bob', msg: 'hello bob', seq: 1});

			const fromBob = await direct.history(bob, 'ALICE', {}, undefined);
			expect(fromBob).toMatchObject({success: true, first: 1, last: 2, more: false});
			expect((fromBob as unknown as {messages: unknown[]}).messages).toEqual([
				expect.objectContaining({user: 'alice', to: 'bob', msg: 'hello bob', seq: 1}),
				expect.objectContaining({user: 'bob', to: 'alice', msg: 'hi alice', seq: 2, id: 'reply-id-0123456789abcdef'}),
			]);
			const fromAlice = await direct.history(alice, 'bob', {after: 1}, undefined);
			expect((fromAlice as unknown as {messages: Array<{seq: number}>}).messages.map(message => message.seq)).toEqual([2]);

			// The most recently used first.
			expect((await direct.conversations(alice)).conversations).toEqual([{with: 'carol', last: 1}, {with: 'bob', last: 2}]);
			expect((await direct.conversations(bob)).conversations).toEqual([{with: 'alice', last: 2}]);
			expect((await direct.conversations(carol)).conversations).toEqual([{with: 'alice', last: 1}]);
		});

		it('answers a repeated id with the first seq and stores nothing twice', async () => {
			const {accounts, direct} = await make();
			const alice = await account(accounts, 'alice');
			await account(accounts, 'bob');
			const route = await stored(direct, alice, 'bob');
			const id = 'same-id-0123456789abcdef';
			const sent = await direct.send(route, 'once', id);
			const again = await direct.send(route, 'once', id);
			expect(again).toEqual({status: expect.objectContaining({success: true, seq: sent.status.seq, duplicate: true})});
			expect((await direct.send(route, 'another text', id)).status).toMatchObject({success: false, code: 'conflict'});
		});

		it('refuses history involving a guest with forbidden, and lists no conversation for a guest', async () => {
			const {accounts, direct} = await make();
			const alice = await account(accounts, 'alice');
			expect(await direct.history(undefined, 'alice', {}, undefined)).toMatchObject({success: false, code: 'forbidden'});
			expect(await direct.history(alice, 'guest', {}, undefined)).toMatchObject({success: false, code: 'forbidden'});
			expect(await direct.conversations(undefined)).toMatchObject({success: true, conversations: []});
		});

		it('gives a name deleted and registered again a conversation of its own', async () => {
			const {accounts, direct} = await make();
			const alice = await account(accounts, 'alice');
			const oldBob = await account(accounts, 'bob');
			await direct.send(await stored(direct, alice, 'bob'), 'for the first bob', undefined);
			expect(await accounts.deleteAccount('bob')).toEqual({ok: true});
			// A registration time another millisecond on: the new account is another identity.
			await new Promise(resolve => setTimeout(resolve, 2));
			const newBob = await account(accounts, 'bob');
			expect(newBob.created).not.toBe(oldBob.created);
			expect(await direct.history(newBob, 'alice', {}, undefined)).toMatchObject({success: true, last: 0});
			expect((await direct.conversations(newBob)).conversations).toEqual([]);
			expect((await direct.conversations(alice)).conversations).toEqual([]);
		});
	});
}

describe('the conversations list', () => {
	it(`lists at most ${MAX_LISTED_CONVERSATIONS}, the most recent first`, async () => {
		const {accounts, direct} = await backends.memory!();
		const alice = await account(accounts, 'alice');
		for (let index = 0; index <= MAX_LISTED_CONVERSATIONS; index++) {
			const other = await account(accounts, `u${index}`);
			await direct.send(await stored(direct, other, 'alice'), 'hello', undefined);
		}

		await new Promise(resolve => setTimeout(resolve, 2));
		await direct.send(await stored(direct, alice, 'u0'), 'the latest', undefined);
		const listed = (await direct.conversations(alice)).conversations!;
		expect(listed).toHaveLength(MAX_LISTED_CONVERSATIONS);
		expect(listed[0]).toEqual({with: 'u0', last: 2});
	});
});

describe('stored direct messages in the --data database', () => {
	it('are still there, listed and readable, after the server reopens the file', async () => {
		const dir = freshDir();
		let log = await SqliteLog.open(dir);
		let accounts = await openAccounts({kind: 'sqlite', db: log.database}, {hasher});
		let direct = new DirectMessages({accounts, log, note() {}});
		const alice = await account(accounts, 'alice');
		await account(accounts, 'bob');
		await direct.send(await stored(direct, alice, 'bob'), 'kept on disk', undefined);
		await accounts.close();
		await log.close();

		log = await SqliteLog.open(dir);
		accounts = await openAccounts({kind: 'sqlite', db: log.database}, {hasher});
		direct = new DirectMessages({accounts, log, note() {}});
		const bob = (await accounts.identity('bob'))!;
		expect((await direct.conversations(bob)).conversations).toEqual([{with: 'alice', last: 1}]);
		expect(await direct.history(bob, 'alice', {}, undefined)).toMatchObject({messages: [expect.objectContaining({msg: 'kept on disk', user: 'alice', to: 'bob'})]});
		await accounts.close();
		await log.close();
	});
});
