// `serve --redis URL`: the nodes of a cluster share each room's file, so an
// update on one node conflicts with a stale edit on another, and the others
// on every node hear of it; on one redis-server and on a Redis Cluster.
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {serveRedis} from '../../cluster/nodes.js';
import {closeRawClients, connectUser} from '../../helpers/raw-client.js';
import {REDIS_BACKENDS, useRedisBackend} from '../../helpers/redis-backends.js';
import {stopRedisServers} from '../../helpers/redis.js';

afterAll(stopRedisServers);
afterEach(closeRawClients);

const serve = async (url: string) => serveRedis(url, () => {}, {quiet: true});

describe.each(REDIS_BACKENDS)('serve --redis and the shared file, on %s', backend => {
	const redis = useRedisBackend(backend);
	it('keeps one file and one version order for the room across nodes', async () => {
		const a = await serve(redis.url);
		const b = await serve(redis.url);
		const alice = await connectUser(a.server.port, 'alice');
		const bob = await connectUser(b.server.port, 'bob');
		alice.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main\n', base: 0});
		expect(await alice.expectStatus(true)).toMatchObject({version: 1});
		expect(await bob.nextEvent('update-file')).toMatchObject({user: 'alice', name: 'main.go', version: 1});

		bob.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main // bob\n', base: 1});
		expect(await bob.expectStatus(true)).toMatchObject({version: 2});
		alice.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'stale', base: 1});
		expect(await alice.expectStatus(false)).toMatchObject({code: 'conflict', version: 2});
		alice.sendFrame({cmd: 'get-file'});
		expect((await alice.expectStatus(true)).file).toMatchObject({msg: 'package main // bob\n', version: 2, user: 'bob'});
		await a.stop();
		await b.stop();
	});
});
