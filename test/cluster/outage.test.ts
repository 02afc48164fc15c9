// Redis goes away and comes back empty (restart, no persistence): each node
// keeps serving its own clients and says it is degraded; afterwards the nodes
// rebuild the cluster state from their local users, one of two users who
// took the same name during the outage is disconnected, and cross-node
// delivery resumes.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser, type RawClient} from '../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {closeTestServers} from '../helpers/server.js';
import {closeNodes, startNode} from './nodes.js';

let redis: RedisServer;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);
afterEach(async () => {
	await closeRawClients();
	await closeNodes();
	await closeTestServers();
	if (!redis.running) await redis.restart();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

function messages(client: RawClient): string[] {
	return client.received.flatMap(item => (item.type === 'frame' && item.frame.cmd === 'message' ? [String(item.frame.msg)] : []));
}

describe('a Redis outage', () => {
	it('keeps local chat going, reports degraded, then reconciles and resumes cross-node delivery', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out1:'}), startNode(redis.url, {prefix: 'out1:'})]);
		const alice = await connectUser(a.port, 'alice');
		const amy = await connectUser(a.port, 'amy');
		const bob = await connectUser(b.port, 'bob');
		expect(a.hub.degraded).toBe(false);

		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');
		expect(a.log.some(line => line.includes('degraded'))).toBe(true);

		// The log lives in Redis: a message that cannot be stored is refused, with a retry, and reaches nobody (§9).
		alice.sendFrame({cmd: 'msg', msg: 'during the outage'});
		expect(await alice.expectStatus(false, 'unavailable')).toMatchObject({code: 'unavailable', retry: 2});
		alice.sendFrame({cmd: 'history'});
		expect(await alice.expectStatus(false)).toMatchObject({code: 'unavailable', retry: 2});
		// Names are still unique on the node.
		const twin = await connectRaw(a.port);
		twin.sendFrame({cmd: 'connect', username: 'ALICE'});
		await twin.expectStatus(false, 'taken');
		// Joining, leaving and get-clients work locally.
		const dan = await connectUser(a.port, 'dan');
		amy.sendFrame({cmd: 'exit'});
		await amy.expectStatus(true);
		expect((await alice.sync()).clients).toEqual(['alice', 'dan']);
		expect((await bob.sync()).clients).toEqual(['bob']);

		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');
		expect(a.log.some(line => line.includes('back; reconciled'))).toBe(true);

		// The cluster roster is rebuilt from both nodes.
		expect(new Set((await bob.sync()).clients)).toEqual(new Set(['alice', 'dan', 'bob']));
		expect(new Set((await alice.sync()).clients)).toEqual(new Set(['alice', 'dan', 'bob']));
		// Names are unique across nodes again.
		const copy = await connectRaw(b.port);
		copy.sendFrame({cmd: 'connect', username: 'Dan'});
		await copy.expectStatus(false, 'taken');

		alice.sendFrame({cmd: 'msg', msg: 'after the outage'});
		await alice.expectStatus(true);
		await waitFor(() => messages(bob).includes('after the outage'), 'cross-node delivery again');
		expect(messages(bob)).not.toContain('during the outage');
		expect(messages(amy)).toEqual([]);
		bob.sendFrame({cmd: 'msg', msg: 'hello back'});
		await waitFor(() => messages(dan).includes('hello back'), 'delivery from b to a');
	});

	it('without a log (--history 0) keeps local chat going during the outage, and replays nothing', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out4:'}, {history: 0}), startNode(redis.url, {prefix: 'out4:'}, {history: 0})]);
		const alice = await connectUser(a.port, 'alice');
		const amy = await connectUser(a.port, 'amy');
		const bob = await connectUser(b.port, 'bob');
		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');
		alice.sendFrame({cmd: 'msg', msg: 'during the outage'});
		await alice.expectStatus(true, 'sent');
		expect(await amy.nextEvent('message')).toEqual({cmd: 'message', user: 'alice', msg: 'during the outage'});
		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');
		alice.sendFrame({cmd: 'msg', msg: 'after the outage'});
		await alice.expectStatus(true);
		await waitFor(() => messages(bob).includes('after the outage'), 'cross-node delivery again');
		expect(messages(bob)).toEqual(['after the outage']);
	});

	it('keeps one of two users who took the same name on two nodes during the outage', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out2:'}), startNode(redis.url, {prefix: 'out2:'})]);
		const ann = await connectUser(a.port, 'ann');
		const bob = await connectUser(b.port, 'bob');
		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');

		const zedA = await connectUser(a.port, 'zed');
		const zedB = await connectUser(b.port, 'Zed');
		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');

		await waitFor(() => zedA.isClosed || zedB.isClosed, 'the losing zed disconnected');
		await new Promise(resolve => setTimeout(resolve, 500));
		expect([zedA.isClosed, zedB.isClosed].filter(Boolean)).toHaveLength(1);
		const loser = zedA.isClosed ? a : b;
		expect(loser.log.some(line => line.includes('held on another node'))).toBe(true);
		const roster = (await ann.sync()).clients!;
		expect(roster.filter(name => name.toLowerCase() === 'zed')).toHaveLength(1);
		expect(new Set((await bob.sync()).clients)).toEqual(new Set(roster));
	});

	it('announces the exit of a user who left while the other node could not hear it', async () => {
		const [a, b] = await Promise.all([startNode(redis.url, {prefix: 'out3:'}), startNode(redis.url, {prefix: 'out3:'})]);
		const bob = await connectUser(b.port, 'bob');
		const ann = await connectUser(a.port, 'ann');
		expect(await bob.nextEvent('client-enter')).toEqual({cmd: 'client-enter', user: 'ann'});

		await redis.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');
		ann.sendFrame({cmd: 'exit', msg: 'offline'});
		await ann.expectStatus(true);
		await ann.waitClosed();
		await redis.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');
		// Node a may reconcile before b listens again (at-most-once), so look at the roster, then at the event if it came.
		expect((await bob.sync()).clients).toEqual(['bob']);
		const exits = bob.received.flatMap(item => (item.type === 'frame' && item.frame.cmd === 'client-exit' ? [item.frame] : []));
		expect(exits.length).toBeLessThanOrEqual(1);
		// The reason she gave was kept for the replay.
		for (const exit of exits) expect(exit).toEqual({cmd: 'client-exit', user: 'ann', msg: 'offline'});
	});
});
