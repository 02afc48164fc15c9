// The facade over each real backend as the server opens it: the SQLite
// database the room log uses, and Redis shared by two nodes.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Accounts} from '../../../source/server/accounts/accounts.js';
import {accountsFeatures, openAccounts} from '../../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../../source/server/accounts/password-hash.js';
import {openDatabase} from '../../../source/server/store/sqlite-open.js';
import {startRedis, stopRedisServers, type RedisServer} from '../../helpers/redis.js';

const hasher = () => new PasswordHasher({ln: 4, r: 8, p: 1});
const password = 'correct horse battery';
let redis: RedisServer;
const clients: Redis[] = [];
const dirs: string[] = [];

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	for (const client of clients) client.disconnect();
	await stopRedisServers();
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

async function node(prefix: string): Promise<Accounts> {
	const client = new Redis(redis.url);
	clients.push(client);
	return openAccounts({kind: 'redis', redis: client, prefix}, {hasher: hasher()});
}

describe('openAccounts', () => {
	it('logs an account registered on one node in on the other, and shares the lock-out', async () => {
		const [a, b] = [await node('two-nodes:'), await node('two-nodes:')];
		const registered = await a.register('Alice', password, '192.0.2.1');
		expect(registered.ok).toBe(true);
		expect(await b.login('alice', {password}, '192.0.2.2')).toMatchObject({ok: true, name: 'Alice'});
		if (!registered.ok) return;
		expect((await b.login('alice', {token: registered.token}, '192.0.2.3')).ok).toBe(true);
		for (let guess = 0; guess < 5; guess++) await (guess % 2 ? a : b).login('alice', {password: 'guessing away'}, '198.51.100.9');
		expect(await a.login('alice', {password}, '198.51.100.9')).toMatchObject({ok: false, code: 'locked-out', retry: 1});
		expect(await b.login('alice', {password}, '198.51.100.9')).toMatchObject({ok: false, code: 'locked-out'});
		await Promise.all([a.close(), b.close()]);
		expect(await clients[0]!.ping()).toBe('PONG');
	});

	it('keeps accounts in the --data database and leaves the handle to its owner', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'codechat-accounts-'));
		dirs.push(dir);
		const db = await openDatabase(dir);
		const accounts = await openAccounts({kind: 'sqlite', db}, {hasher: hasher()});
		expect(accounts.kind).toBe('sqlite');
		expect((await accounts.register('bob', password, '127.0.0.1')).ok).toBe(true);
		await accounts.close();
		expect(db.prepare('SELECT name FROM accounts').all()).toEqual([{name: 'bob'}]);
		db.close();
	});

	it('lists the accounts feature only with accounts', async () => {
		expect(accountsFeatures(undefined)).toEqual([]);
		const accounts = await node('feature:');
		expect(accountsFeatures(accounts)).toEqual(['accounts']);
		await accounts.close();
	});
});
