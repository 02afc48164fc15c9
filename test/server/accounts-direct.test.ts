// Stored direct messages between accounts (PROTOCOL.md §10) on the wire: a
// real server on port 0, raw TCP clients. With --data on a real SQLite file
// that outlives a restart of the server, and with the log and the accounts
// in a real redis-server.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {StatusFrame} from '../../source/protocol/types.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import type {ChatServer, ServerOptions} from '../../source/server/index.js';
import {RedisLog} from '../../source/server/store/redis-log.js';
import {closeRawClients, connectRaw, type RawClient} from '../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const password = 'kept between accounts';
const dirs: string[] = [];
let redis: RedisServer;

beforeAll(async () => {
	redis = await startRedis();
});
afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});
afterAll(async () => {
	await stopRedisServers();
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

function freshDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'accounts-direct-'));
	dirs.push(dir);
	return dir;
}

async function ask(client: RawClient, frame: Record<string, unknown>): Promise<StatusFrame & Record<string, unknown>> {
	client.sendFrame(frame);
	return client.nextStatus();
}

/** Connects `name` as a client that takes direct messages; with a credential it logs in. */
async function user(server: ChatServer, name: string, credential: {password: string} | {token: string} | undefined = undefined) {
	const client = await connectRaw(server.port);
	const status = await ask(client, {cmd: 'connect', username: name, features: ['direct'], ...credential});
	expect(status).toMatchObject({success: true});
	return {client, token: status.token};
}

/** A guest who registers its name; returns the logged-in connection and its token. */
async function registered(server: ChatServer, name: string) {
	const {client} = await user(server, name);
	const status = await ask(client, {cmd: 'register', password});
	expect(status).toMatchObject({success: true});
	return {client, token: status.token!};
}

async function leave(client: RawClient) {
	client.sendFrame({cmd: 'exit'});
	await client.waitClosed();
}

describe('stored direct messages on the wire, --data', () => {
	it('stores a message to an offline account, which finds it after a restart in conversations and history {with}', async () => {
		const dir = freshDir();
		const options: Partial<ServerOptions> = {rate: 0, dataDir: dir};
		let server = await startTestServer(options);
		const alice = await registered(server, 'alice');
		const bob = await registered(server, 'bob');
		await leave(bob.client);
		const aliceElsewhere = await user(server, 'alice', {token: alice.token});

		const id = 'offline-id-0123456789ab';
		const sent = await ask(alice.client, {cmd: 'msg', to: 'bob', msg: 'while you were out', id});
		expect(sent).toMatchObject({success: true, seq: 1, epoch: expect.any(String), time: expect.any(Number)});
		// The sender's other terminal sees it, as stored: with its seq and whom it went to.
		expect(await aliceElsewhere.client.nextEvent('message')).toMatchObject({user: 'alice', to: 'bob', msg: 'while you were out', seq: 1, epoch: sent.epoch, id});
		expect(await ask(alice.client, {cmd: 'conversations'})).toMatchObject({success: true, conversations: [{with: 'bob', last: 1}]});

		await server.close();
		server = await startTestServer(options);
		const bobBack = await user(server, 'BOB', {token: bob.token});
		expect(await ask(bobBack.client, {cmd: 'conversations'})).toMatchObject({success: true, conversations: [{with: 'alice', last: 1}]});
		expect(await ask(bobBack.client, {cmd: 'history', with: 'alice'})).toMatchObject({
			success: true,
			epoch: sent.epoch,
			first: 1,
			last: 1,
			messages: [{cmd: 'message', user: 'alice', to: 'bob', msg: 'while you were out', seq: 1, epoch: sent.epoch, id}],
		});

		// Bob is online now: the next one reaches him live, next in the same order.
		const aliceBack = await user(server, 'alice', {token: alice.token});
		expect(await ask(aliceBack.client, {cmd: 'msg', to: 'bob', msg: 'welcome back'})).toMatchObject({success: true, seq: 2, epoch: sent.epoch});
		expect(await bobBack.client.nextEvent('message')).toMatchObject({user: 'alice', to: 'bob', msg: 'welcome back', seq: 2});
		// A repeat of the first id in this conversation is known after the restart too.
		expect(await ask(aliceBack.client, {cmd: 'msg', to: 'bob', msg: 'while you were out', id})).toMatchObject({success: true, seq: 1, duplicate: true});
	});

	it('keeps direct messages with a guest live, and refuses history involving a guest with forbidden', async () => {
		const server = await startTestServer({rate: 0, dataDir: freshDir()});
		const alice = await registered(server, 'alice');
		const carol = await user(server, 'carol');

		const toGuest = await ask(alice.client, {cmd: 'msg', to: 'carol', msg: 'live only'});
		expect(toGuest).toMatchObject({success: true});
		expect(toGuest.seq).toBeUndefined();
		const event = await carol.client.nextEvent('message');
		expect(event).toMatchObject({user: 'alice', to: 'carol', msg: 'live only'});
		expect(event.seq).toBeUndefined();
		const fromGuest = await ask(carol.client, {cmd: 'msg', to: 'alice', msg: 'from a guest'});
		expect(fromGuest.seq).toBeUndefined();

		expect(await ask(alice.client, {cmd: 'history', with: 'carol'})).toMatchObject({success: false, code: 'forbidden'});
		expect(await ask(carol.client, {cmd: 'history', with: 'alice'})).toMatchObject({success: false, code: 'forbidden'});
		expect(await ask(carol.client, {cmd: 'conversations'})).toMatchObject({success: true, conversations: []});
		expect(await ask(alice.client, {cmd: 'conversations'})).toMatchObject({success: true, conversations: []});
		// An offline guest name is nobody to store for.
		expect(await ask(alice.client, {cmd: 'msg', to: 'dave', msg: 'anyone?'})).toMatchObject({success: false, code: 'no-such-user'});
	});
});

describe('stored direct messages on the wire, Redis', () => {
	it('stores them in Redis: an offline account reads them from a second server on the same Redis', async () => {
		const prefix = 'direct-wire:';
		const clients = [new Redis(redis.url), new Redis(redis.url)];
		const hasher = new PasswordHasher({ln: 4, r: 8, p: 1});
		const stores = await Promise.all(clients.map(async client => ({
			accounts: await openAccounts({kind: 'redis', redis: client, prefix}, {hasher}),
			messageLog: RedisLog.using(client, {prefix}),
		})));
		try {
			const [first, second] = await Promise.all(stores.map(async store => startTestServer({rate: 0, ...store})));
			const alice = await registered(first!, 'alice');
			const bob = await registered(first!, 'bob');
			await leave(bob.client);
			expect(await ask(alice.client, {cmd: 'msg', to: 'bob', msg: 'in redis'})).toMatchObject({success: true, seq: 1});

			const bobThere = await user(second!, 'bob', {token: bob.token});
			expect(await ask(bobThere.client, {cmd: 'conversations'})).toMatchObject({conversations: [{with: 'alice', last: 1}]});
			expect(await ask(bobThere.client, {cmd: 'history', with: 'alice', after: 0})).toMatchObject({messages: [{user: 'alice', to: 'bob', msg: 'in redis', seq: 1}]});
		} finally {
			await closeTestServers();
			for (const store of stores) await store.accounts.close();
			for (const client of clients) client.disconnect();
		}
	});
});
