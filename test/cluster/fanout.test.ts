// Three server nodes on one redis-server act as one server: fan-out with
// per-sender order and no duplicates, cluster-wide unique names, and a
// cluster-wide roster in join order.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser, type Frame, type RawClient} from '../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {closeTestServers} from '../helpers/server.js';
import {closeNode, closeNodes, startNode, type TestNode} from './nodes.js';

let redis: RedisServer;
let prefixCount = 0;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);
afterEach(async () => {
	await closeRawClients();
	await closeNodes();
	await closeTestServers();
});

/** Three nodes on their own key prefix, so tests do not see each other's state. */
async function threeNodes(): Promise<[TestNode, TestNode, TestNode]> {
	const prefix = `t${++prefixCount}:`;
	return Promise.all([startNode(redis.url, {prefix}), startNode(redis.url, {prefix}), startNode(redis.url, {prefix})]);
}

function messagesFrom(client: RawClient, user: string): string[] {
	return client.received.flatMap(item =>
		item.type === 'frame' && item.frame.cmd === 'message' && item.frame.user === user ? [String(item.frame.msg)] : [],
	);
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('fan-out across nodes', () => {
	it('delivers a sender\'s messages to every node in order, once, and not back to the sender', async () => {
		const [a, b, c] = await threeNodes();
		const alice = await connectUser(a.port, 'alice');
		const dave = await connectUser(a.port, 'dave');
		const bob = await connectUser(b.port, 'bob');
		const carol = await connectUser(c.port, 'carol');

		const sent = Array.from({length: 200}, (_, index) => `m${index}`);
		for (const text of sent) alice.sendFrame({cmd: 'msg', msg: text});
		for (let index = 0; index < sent.length; index++) await alice.expectStatus(true, 'sent');

		await waitFor(() => [bob, carol, dave].every(client => messagesFrom(client, 'alice').length >= sent.length), 'all messages');
		// A round trip through each node after the last message: nothing more is on its way.
		await Promise.all([bob.sync(), carol.sync(), dave.sync(), alice.sync()]);
		expect(messagesFrom(bob, 'alice')).toEqual(sent);
		expect(messagesFrom(carol, 'alice')).toEqual(sent);
		expect(messagesFrom(dave, 'alice')).toEqual(sent); // same node as alice: exactly once, not again via Redis
		expect(messagesFrom(alice, 'alice')).toEqual([]);
	});

	it('keeps each sender\'s order when several nodes send at once', async () => {
		const [a, b, c] = await threeNodes();
		const alice = await connectUser(a.port, 'alice');
		const bob = await connectUser(b.port, 'bob');
		const carol = await connectUser(c.port, 'carol');
		const count = 100;
		for (let index = 0; index < count; index++) {
			alice.sendFrame({cmd: 'msg', msg: `a${index}`});
			bob.sendFrame({cmd: 'msg', msg: `b${index}`});
		}

		await waitFor(() => messagesFrom(carol, 'alice').length >= count && messagesFrom(carol, 'bob').length >= count, 'both senders');
		await waitFor(() => messagesFrom(bob, 'alice').length >= count && messagesFrom(alice, 'bob').length >= count, 'cross delivery');
		const expected = (prefix: string) => Array.from({length: count}, (_, index) => `${prefix}${index}`);
		expect(messagesFrom(carol, 'alice')).toEqual(expected('a'));
		expect(messagesFrom(carol, 'bob')).toEqual(expected('b'));
		expect(messagesFrom(bob, 'alice')).toEqual(expected('a'));
		expect(messagesFrom(alice, 'bob')).toEqual(expected('b'));
	});

	it('carries enter, rename and exit (with its reason) to the other nodes, in the order they happened', async () => {
		const [a, b] = await threeNodes();
		const bob = await connectUser(b.port, 'bob');
		const alice = await connectUser(a.port, 'alice');
		alice.sendFrame({cmd: 'rename', oldname: 'alice', newname: 'alicia'});
		await alice.expectStatus(true, 'renamed');
		alice.sendFrame({cmd: 'msg', msg: 'hi'});
		await alice.expectStatus(true);
		alice.sendFrame({cmd: 'exit', msg: 'see you\nall'});
		await alice.expectStatus(true);

		const events: Frame[] = [];
		for (let index = 0; index < 4; index++) events.push(await bob.nextEvent());
		expect(events).toMatchObject([
			{cmd: 'client-enter', user: 'alice'},
			{cmd: 'client-rename', user: 'alicia', oldname: 'alice', newname: 'alicia'},
			{cmd: 'message', user: 'alicia', msg: 'hi'},
			{cmd: 'client-exit', user: 'alicia', msg: 'see you all'},
		]);
		// The name is free again, on any node.
		const again = await connectUser(b.port, 'Alicia');
		expect((await again.sync()).clients).toEqual(['bob', 'Alicia']);
	});

	it('tells the other nodes when a node shuts down politely', async () => {
		const [a, b] = await threeNodes();
		const bob = await connectUser(b.port, 'bob');
		await connectUser(a.port, 'alice');
		expect(await bob.nextEvent('client-enter')).toEqual({cmd: 'client-enter', user: 'alice'});
		await closeNode(a);
		expect(await bob.nextEvent('client-exit')).toEqual({cmd: 'client-exit', user: 'alice'});
		expect((await bob.sync()).clients).toEqual(['bob']);
	});
});

describe('names across nodes', () => {
	it('refuses a name held on another node, case-insensitively', async () => {
		const [a, b] = await threeNodes();
		await connectUser(a.port, 'Alice');
		const other = await connectRaw(b.port);
		other.sendFrame({cmd: 'connect', username: 'alice'});
		await other.expectStatus(false, 'taken');
		other.sendFrame({cmd: 'connect', username: 'bob'});
		await other.expectStatus(true);
		other.sendFrame({cmd: 'rename', oldname: 'bob', newname: 'ALICE'});
		await other.expectStatus(false, 'taken');
	});

	it('lets exactly one of two racing connects on two nodes win, again and again', async () => {
		const [a, b] = await threeNodes();
		for (let round = 0; round < 20; round++) {
			const [one, two] = await Promise.all([connectRaw(a.port), connectRaw(b.port)]);
			const name = `racer${round}`;
			one.sendFrame({cmd: 'connect', username: name});
			two.sendFrame({cmd: 'connect', username: round % 2 ? name.toUpperCase() : name});
			const results = await Promise.all([one.nextStatus(), two.nextStatus()]);
			expect(results.filter(status => status.success)).toHaveLength(1);
		}

		const check = await connectUser(a.port, 'checker');
		const {clients} = await check.sync();
		expect(clients).toHaveLength(21);
	});

	it('answers get-clients with the whole cluster in join order, on every node', async () => {
		const [a, b, c] = await threeNodes();
		const order = [
			[a, 'ann'],
			[b, 'ben'],
			[c, 'cat'],
			[a, 'amy'],
			[c, 'cody'],
			[b, 'bea'],
		] as const;
		const clients: RawClient[] = [];
		for (const [node, name] of order) clients.push(await connectUser(node.port, name));
		// A rename keeps its place.
		clients[1]!.sendFrame({cmd: 'rename', oldname: 'ben', newname: 'benny'});
		await clients[1]!.expectStatus(true);
		const expected = ['ann', 'benny', 'cat', 'amy', 'cody', 'bea'];
		for (const client of [clients[0]!, clients[1]!, clients[2]!]) {
			const status = await client.sync();
			expect(status.clients).toEqual(expected);
			expect(status['success-msg']).toBe(expected.join(', '));
		}

		clients[2]!.sendFrame({cmd: 'exit'});
		await clients[2]!.expectStatus(true);
		await clients[2]!.waitClosed();
		expect((await clients[0]!.sync()).clients).toEqual(['ann', 'benny', 'amy', 'cody', 'bea']);
	});
});
