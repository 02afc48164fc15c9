import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {RedisFileStore} from '../../../source/server/files/redis-files.js';
import {StoreError} from '../../../source/server/store/message-log.js';
import {startRedis, stopRedisServers, type RedisServer} from '../../helpers/redis.js';
import {fileStoreContract} from './contract.js';

let redis: RedisServer;
let prefixes = 0;
const freshPrefix = () => `files${++prefixes}:`;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);

fileStoreContract('redis', async ({now}) => RedisFileStore.connect(redis.url, {prefix: freshPrefix(), now}));

describe('RedisFileStore across nodes', () => {
	it('gives two nodes racing from the same base one winner, and both read it', async () => {
		const prefix = freshPrefix();
		const [a, b] = await Promise.all([RedisFileStore.connect(redis.url, {prefix}), RedisFileStore.connect(redis.url, {prefix})]);
		const outcomes = await Promise.all(Array.from({length: 40}, async (_, index) => (index % 2 ? a : b).update({room: '#lobby', name: 'x.go', msg: `${index}`, base: 0, user: 'ann'})));
		expect(outcomes.filter(outcome => outcome.outcome === 'updated')).toHaveLength(1);
		expect(await a.get('#lobby')).toEqual(await b.get('#lobby'));
		await Promise.all([a.close(), b.close()]);
	});

	it('fails with unavailable and a retry while Redis is down', async () => {
		const own = await startRedis();
		const files = await RedisFileStore.connect(own.url, {prefix: freshPrefix(), commandTimeoutMs: 300});
		await own.kill();
		const failure = await files.update({room: '#lobby', name: 'x.go', msg: 'x', base: 0, user: 'ann'}).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(StoreError);
		expect(failure).toMatchObject({code: 'unavailable', retry: 2});
		await files.close();
	});
});
