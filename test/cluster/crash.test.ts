// A node that dies without a word (SIGKILL) or stops for longer than its
// heartbeat TTL (SIGSTOP): the survivors free its names and tell their clients
// that its users left, exactly once each, within the TTL plus a heartbeat.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser, type RawClient} from '../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {closeTestServers} from '../helpers/server.js';
import {killChildNodes, startChildNode} from './child-node.js';
import {closeNodes, FAST_HUB, startNode} from './nodes.js';

let redis: RedisServer;
let prefixCount = 0;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);
afterEach(async () => {
	await closeRawClients();
	await killChildNodes();
	await closeNodes();
	await closeTestServers();
});

function eventsOf(client: RawClient, cmd: string, user: string): number {
	return client.received.filter(item => item.type === 'frame' && item.frame.cmd === cmd && item.frame.user === user).length;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('a crashed node', () => {
	it('has its users leave everywhere, exactly once each, and frees their names', async () => {
		const prefix = `crash${++prefixCount}:`;
		const [a, b] = await Promise.all([startNode(redis.url, {prefix}), startNode(redis.url, {prefix})]);
		// A TTL of 3 s for the node that dies: the check that its names are still taken
		// right after the kill has that long, even on a loaded machine.
		const c = await startChildNode(redis.url, {...FAST_HUB, prefix, nodeTtlMs: 3000});
		const ann = await connectUser(a.port, 'ann');
		const bob = await connectUser(b.port, 'bob');
		await connectUser(c.port, 'cleo');
		await connectUser(c.port, 'Zoë');
		expect((await ann.sync()).clients).toEqual(['ann', 'bob', 'cleo', 'Zoë']);

		const killedAt = Date.now();
		await c.signal('SIGKILL');
		// Names stay taken while the dead node's heartbeat has not expired.
		const early = await connectRaw(a.port);
		early.sendFrame({cmd: 'connect', username: 'cleo'});
		await early.expectStatus(false, 'taken');

		const allGone = () => [ann, bob].every(client => eventsOf(client, 'client-exit', 'cleo') >= 1 && eventsOf(client, 'client-exit', 'Zoë') >= 1);
		await waitFor(allGone, 'client-exit for the crashed node\'s users', 15_000);
		const elapsed = Date.now() - killedAt;
		// TTL 3 s + heartbeat 0.3 s, with room for a loaded machine; the default (10 s + 3 s) is well inside 30 s.
		expect(elapsed).toBeLessThan(10_000);

		// Several more heartbeats: nobody announces them a second time.
		await new Promise(resolve => setTimeout(resolve, 4 * FAST_HUB.heartbeatMs!));
		for (const client of [ann, bob]) {
			await client.sync();
			expect(eventsOf(client, 'client-exit', 'cleo')).toBe(1);
			expect(eventsOf(client, 'client-exit', 'Zoë')).toBe(1);
		}

		expect((await bob.sync()).clients).toEqual(['ann', 'bob']);
		expect([...a.log, ...b.log].filter(line => line.includes(`node ${c.nodeId} stopped its heartbeat; released 2`))).toHaveLength(1);
		const cleo = await connectUser(b.port, 'cleo');
		expect((await cleo.sync()).clients).toEqual(['ann', 'bob', 'cleo']);
	});

	it('re-announces the users of a node that was only paused past its TTL', async () => {
		const prefix = `pause${++prefixCount}:`;
		const a = await startNode(redis.url, {prefix});
		const c = await startChildNode(redis.url, {...FAST_HUB, prefix});
		const ann = await connectUser(a.port, 'ann');
		const cleo = await connectUser(c.port, 'cleo');
		await ann.nextEvent('client-enter');
		// Paused while idle: the enter goes out before the login's last Redis call (clearing a
		// stale away reason) is answered, and a call caught by the pause times out on waking,
		// which is the outage path rather than the one this test is about.
		await cleo.sync();

		await c.signal('SIGSTOP');
		await waitFor(() => eventsOf(ann, 'client-exit', 'cleo') === 1, 'cleo declared gone', 15_000);
		await c.signal('SIGCONT');
		// Its next heartbeat finds the tombstone: it claims cleo again and says so.
		await waitFor(() => eventsOf(ann, 'client-enter', 'cleo') === 2, 'cleo announced again', 15_000);
		expect(c.stderr()).toContain('declared dead');
		expect((await ann.sync()).clients).toEqual(['ann', 'cleo']);
		// And the paused node's user is still there and can talk.
		cleo.sendFrame({cmd: 'msg', msg: 'back'});
		await cleo.expectStatus(true);
		expect(await ann.nextEvent('message')).toMatchObject({cmd: 'message', user: 'cleo', msg: 'back'});
	});
});
