// `serve --redis URL` through runServe: two serve commands become one room,
// the hub goes away with the server on SIGTERM, and a Redis that cannot be
// reached is an option error naming --redis (without the password).
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {ServerOptionsError} from '../../source/server/options.js';
import {runServe} from '../../source/server/serve-command.js';
import {serveRedis} from './nodes.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {freePort, startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';

let redis: RedisServer;
beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);
afterEach(closeRawClients);

const serve = async (url: string, lines: string[]) => serveRedis(url, line => lines.push(line));

describe('serve --redis', () => {
	it('makes two serve commands one room, and leaves cleanly on SIGTERM', async () => {
		const linesA: string[] = [];
		const linesB: string[] = [];
		const a = await serve(redis.url, linesA);
		const b = await serve(redis.url, linesB);
		const bob = await connectUser(b.server.port, 'bob');
		const alice = await connectUser(a.server.port, 'alice');
		alice.sendFrame({cmd: 'msg', msg: 'hi'});
		expect(await bob.nextEvent('message')).toMatchObject({cmd: 'message', user: 'alice', msg: 'hi'});
		expect(linesA.some(line => line.includes('joined the cluster'))).toBe(true);

		await a.stop();
		expect(await bob.nextEvent('client-exit')).toEqual({cmd: 'client-exit', user: 'alice'});
		expect((await bob.sync()).clients).toEqual(['bob']);
		await b.stop();
	});

	it('fails with an option error when Redis cannot be reached', async () => {
		const port = await freePort();
		const failure = runServe({port: 0, redis: `redis://:secret@127.0.0.1:${port}`}, {log() {}, options: {quiet: true}});
		await expect(failure).rejects.toBeInstanceOf(ServerOptionsError);
		await expect(failure).rejects.toThrow(/--redis redis:\/\/:\*\*\*@127\.0\.0\.1/);
		await expect(failure).rejects.not.toThrow(/secret/);
	}, 15_000);

	it('refuses a URL that is not redis://', async () => {
		await expect(runServe({port: 0, redis: 'http://localhost'}, {log() {}})).rejects.toThrow(/--redis must be a redis:\/\//);
	});
});
