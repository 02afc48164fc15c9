import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RedisAccountStore} from '../../../source/server/accounts/redis-account-store.js';
import {TOKEN_IDLE_MS} from '../../../source/server/accounts/tokens.js';
import {startRedis, stopRedisServers, type RedisServer} from '../../helpers/redis.js';
import {accountStoreContract} from './store-contract.js';

let redis: RedisServer;
const clients: Redis[] = [];
let prefixes = 0;
// Each store gets its own key prefix, so tests sharing one redis-server never see each other's accounts.
const freshPrefix = () => `test${++prefixes}:`;
const client = () => {
	const made = new Redis(redis.url);
	clients.push(made);
	return made;
};

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(async () => {
	for (const made of clients) made.disconnect();
	await stopRedisServers();
});

accountStoreContract('redis', async () => new RedisAccountStore(client(), {prefix: freshPrefix()}));

describe('accounts in Redis', () => {
	it('shows one account to every node, and keys it under acct:{namekey}', async () => {
		const prefix = freshPrefix();
		const [a, b] = [new RedisAccountStore(client(), {prefix}), new RedisAccountStore(client(), {prefix})];
		await a.create({nameKey: 'alice', name: 'Alice', passwordHash: 'h', created: 1});
		expect(await b.get('alice')).toEqual({nameKey: 'alice', name: 'Alice', passwordHash: 'h', created: 1});
		expect(await client().hgetall(`${prefix}acct:{alice}`)).toEqual({name: 'Alice', hash: 'h', created: '1'});
	});

	it('lets Redis forget a token 30 days after its last use', async () => {
		const prefix = freshPrefix();
		const store = new RedisAccountStore(client(), {prefix});
		await store.create({nameKey: 'alice', name: 'alice', passwordHash: 'h', created: 1});
		await store.addToken({digest: 'ab'.repeat(32), nameKey: 'alice', created: 1, lastUsed: 1}, {max: 20, expiredBefore: 0});
		const ttl = await client().pttl(`${prefix}token:${'ab'.repeat(32)}`);
		expect(ttl).toBeGreaterThan(TOKEN_IDLE_MS - 60_000);
		expect(ttl).toBeLessThanOrEqual(TOKEN_IDLE_MS);
	});

	it('answers unavailable, not a wrong password, while Redis is down', async () => {
		const down = await startRedis();
		const connection = new Redis(down.url, {lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => 50});
		connection.on('error', () => {});
		clients.push(connection);
		await connection.connect();
		const store = new RedisAccountStore(connection, {prefix: freshPrefix()});
		await down.kill();
		await expect(store.get('alice')).rejects.toMatchObject({name: 'StoreError', code: 'unavailable', retry: 2});
	});
});
