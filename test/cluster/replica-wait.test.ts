// On a Redis Cluster a message is acknowledged only once a replica has it
// (WAIT): with the room's replica down, the sender gets `unavailable` with
// `retry`, and the same id resent once the replica is back is stored once.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {conversationKeys} from '../../source/server/store/redis-log-scripts.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {startRedisCluster, type RedisClusterServers} from '../helpers/redis-cluster.js';
import {stopRedisServers} from '../helpers/redis.js';
import {closeNodes, startNode} from './nodes.js';

let cluster: RedisClusterServers;
beforeAll(async () => {
	cluster = await startRedisCluster();
});
afterAll(stopRedisServers);
afterEach(async () => {
	await closeRawClients();
	await closeNodes();
});

describe('acknowledging after a replica has the message', () => {
	it('answers unavailable with retry while no replica confirms, and stores the resent id once when one does', async () => {
		const prefix = 'wait:';
		const [a, b] = await Promise.all([startNode(cluster.url, {prefix}), startNode(cluster.url, {prefix})]);
		const alice = await connectUser(a.port, 'alice');
		const watch = await connectUser(b.port, 'watch');
		alice.sendFrame({cmd: 'msg', msg: 'replicated', id: 'replica-wait-id-00001'});
		expect(await alice.expectStatus(true)).toMatchObject({seq: 1});

		const replica = await cluster.replicaOf(conversationKeys(prefix, '#lobby').log);
		await replica.stop();
		alice.sendFrame({cmd: 'msg', msg: 'no replica', id: 'replica-wait-id-00002'});
		expect(await alice.expectStatus(false)).toMatchObject({code: 'unavailable', retry: expect.any(Number) as number});

		await replica.restart();
		await cluster.waitHealthy({replicated: true});
		let resent = {success: false} as {success: boolean; seq?: number; duplicate?: boolean};
		// Acknowledged once more (a replica may confirm before WAIT asks again): resend until it is.
		while (!resent.success) {
			alice.sendFrame({cmd: 'msg', msg: 'no replica', id: 'replica-wait-id-00002'});
			resent = (await alice.nextStatus()) as typeof resent;
		}

		expect(resent).toMatchObject({seq: 2, duplicate: true});
		watch.sendFrame({cmd: 'history', after: 0});
		expect(await watch.expectStatus(true)).toMatchObject({first: 1, last: 2});
	});
});
