// PROTOCOL.md §10 across two nodes on one real redis-server, over raw TCP
// (the first tests on a real Redis Cluster too):
// rooms, their members in join order, events only to members, client-exit
// once per shared room, client-rename once per connection, direct messages,
// one seq order per room, a crashed node's members leaving its rooms, the
// cluster-wide room limit and deletion of empty rooms, and that a node
// listens only to the channels of rooms it has members in.
import {randomUUID} from 'node:crypto';
import {Redis} from 'ioredis';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {StatusFrame} from '../../source/protocol/types.js';
import {roomKeys} from '../../source/server/redis/room-scripts.js';
import {closeRawClients, connectRaw, type Frame, type RawClient} from '../helpers/raw-client.js';
import {REDIS_BACKENDS, useRedisBackend} from '../helpers/redis-backends.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {closeTestServers} from '../helpers/server.js';
import {killChildNodes, startChildNode} from './child-node.js';
import {closeNodes, FAST_HUB, startNode, type TestNode} from './nodes.js';

let redis: RedisServer;
let admin: Redis;
let prefixes = 0;

beforeAll(async () => {
	redis = await startRedis();
	admin = new Redis(redis.url);
});
afterAll(async () => {
	admin.disconnect();
	await stopRedisServers();
});
afterEach(async () => {
	await closeRawClients();
	await killChildNodes();
	await closeNodes();
	await closeTestServers();
});

type Pair = {a: TestNode; b: TestNode; prefix: string};

async function twoNodes(options: Parameters<typeof startNode>[1] = {}, url = redis.url): Promise<Pair> {
	const prefix = `rooms${++prefixes}:`;
	const [a, b] = await Promise.all([startNode(url, {prefix, ...options}), startNode(url, {prefix, ...options})]);
	return {a, b, prefix};
}

/** Connects listing the room features (a seed client would list none). */
async function user(port: number, username: string, features: string[] = ['codes', 'history', 'rooms', 'direct']): Promise<RawClient> {
	const client = await connectRaw(port);
	client.sendFrame(features.length === 0 ? {cmd: 'connect', username} : {cmd: 'connect', username, features});
	await client.expectStatus(true);
	return client;
}

async function ask(client: RawClient, frame: Frame, success = true): Promise<StatusFrame & Frame> {
	client.sendFrame(frame);
	return (await client.expectStatus(success)) as StatusFrame & Frame;
}

/**
 * Sends a message to be stored, with an id, and resends it while the answer is
 * `unavailable`, as a client's outbox does: on a loaded machine a Redis
 * Cluster's replica may not confirm within the 500 ms an append waits.
 */
async function sayStored(client: RawClient, frame: Frame): Promise<StatusFrame & Frame> {
	const sent = {...frame, id: randomUUID().replaceAll('-', '')};
	for (let attempt = 1; ; attempt++) {
		client.sendFrame(sent);
		const status = (await client.nextStatus()) as StatusFrame & Frame;
		if (status.success) return status;
		if (status.code !== 'unavailable' || attempt === 5) throw new Error(`the message was refused: ${JSON.stringify(status)}`);
		await new Promise(resolve => setTimeout(resolve, Number(status.retry ?? 1) * 1000));
	}
}

/** The events that reached `client` so far (a round trip to its node first), taken out of its inbox. */
async function eventsOf(client: RawClient): Promise<Frame[]> {
	await client.sync();
	const events = client.pendingEvents();
	client.inbox.length = 0;
	return events;
}

function eventsIn(client: RawClient, match: (frame: Frame) => boolean): Frame[] {
	return client.received.flatMap(item => (item.type === 'frame' && match(item.frame) ? [item.frame] : []));
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

/** How many connections Redis has subscribed to a room's sharded channel (each node has one subscriber). */
async function listeners(prefix: string, key: string, client = admin): Promise<number> {
	const [, count] = (await client.call('PUBSUB', 'SHARDNUMSUB', roomKeys(prefix, key).channel)) as [string, number];
	return Number(count);
}

async function shardChannels(prefix: string): Promise<string[]> {
	return ((await admin.call('PUBSUB', 'SHARDCHANNELS', `${prefix}*`)) as string[]).sort();
}

describe.each(REDIS_BACKENDS)('rooms across two nodes, on %s', backend => {
	const backendRedis = useRedisBackend(backend);
	it('join, get-clients, rooms and msg {room} span the nodes; events reach the room\'s members only', async () => {
		const {a, b} = await twoNodes({}, backendRedis.url);
		const alice = await user(a.port, 'alice');
		const carol = await user(a.port, 'carol');
		const bob = await user(b.port, 'bob');
		const dave = await user(b.port, 'dave');
		// Each hears #lobby's enters of those who came after it (across Redis, so later), before its inbox is cleared.
		const clients = [alice, carol, bob, dave];
		for (const [index, client] of clients.entries()) {
			await waitFor(() => eventsIn(client, frame => frame.cmd === 'client-enter' && frame.room === undefined).length === clients.length - 1 - index, 'the lobby\'s enters');
			await eventsOf(client);
		}

		expect(await ask(alice, {cmd: 'join', room: '#Rust'})).toMatchObject({room: '#Rust', clients: ['alice']});
		// Any spelling on the other node finds the room as it was created (ѕ is Cyrillic).
		expect(await ask(bob, {cmd: 'join', room: '#RUѕT'})).toMatchObject({room: '#Rust', clients: ['alice', 'bob']});
		await waitFor(() => eventsIn(alice, frame => frame.cmd === 'client-enter' && frame.user === 'bob' && frame.room === '#Rust').length === 1, 'alice hears bob enter #Rust');
		expect(await eventsOf(alice)).toEqual([{cmd: 'client-enter', user: 'bob', room: '#Rust'}]);
		expect(await eventsOf(carol)).toEqual([]);
		expect(await eventsOf(dave)).toEqual([]);

		expect((await ask(dave, {cmd: 'rooms'})).rooms).toEqual([{room: '#lobby', users: 4}, {room: '#Rust', users: 2}]);
		expect(await ask(bob, {cmd: 'get-clients', room: '#rust'})).toMatchObject({clients: ['alice', 'bob'], room: '#Rust'});
		expect((await ask(bob, {cmd: 'get-clients'})).clients).toEqual(['alice', 'carol', 'bob', 'dave']);
		expect(await ask(dave, {cmd: 'get-clients', room: '#rust'}, false)).toMatchObject({code: 'not-in-room'});

		const sent = await sayStored(bob, {cmd: 'msg', room: '#rust', msg: 'hello from b'});
		expect(sent).toMatchObject({seq: 1});
		const heard = await alice.nextEvent('message');
		expect(heard).toMatchObject({cmd: 'message', user: 'bob', msg: 'hello from b', room: '#Rust', seq: 1, epoch: sent.epoch});
		// carol shares alice's node and dave bob's: neither hears the room.
		expect(await eventsOf(carol)).toEqual([]);
		expect(await eventsOf(dave)).toEqual([]);
		expect(eventsIn(bob, frame => frame.cmd === 'message')).toEqual([]);

		await ask(alice, {cmd: 'part', room: '#rust', msg: 'off to lunch'});
		expect(await bob.nextEvent('client-exit')).toEqual({cmd: 'client-exit', user: 'alice', room: '#Rust', part: true, msg: 'off to lunch'});
		expect(await ask(bob, {cmd: 'get-clients', room: '#rust'})).toMatchObject({clients: ['bob']});
		expect(await eventsOf(carol)).toEqual([]);
		expect(await eventsOf(dave)).toEqual([]);
		// history {room} from the other node reads the same log.
		expect(await ask(bob, {cmd: 'history', room: '#rust'})).toMatchObject({messages: [heard], last: 1});
	});

	it('sends client-exit once per shared room when someone leaves, and client-rename once per connection', async () => {
		const {a, b} = await twoNodes({}, backendRedis.url);
		const alice = await user(a.port, 'alice');
		const carol = await user(a.port, 'carol');
		const bob = await user(b.port, 'bob');
		for (const room of ['#x', '#y']) {
			await ask(alice, {cmd: 'join', room});
			await ask(bob, {cmd: 'join', room});
		}

		await ask(bob, {cmd: 'join', room: '#bob-only'});
		await waitFor(() => eventsIn(alice, frame => frame.cmd === 'client-enter' && frame.user === 'bob' && frame.room === '#y').length === 1, 'bob in #y');
		await eventsOf(alice);
		await eventsOf(carol);

		await ask(bob, {cmd: 'rename', oldname: 'bob', newname: 'Robert'});
		await waitFor(() => eventsIn(alice, frame => frame.cmd === 'client-rename').length > 0, 'the rename');
		expect(await ask(alice, {cmd: 'get-clients', room: '#y'})).toMatchObject({clients: ['alice', 'Robert']});

		bob.sendFrame({cmd: 'exit', msg: 'bye'});
		await bob.expectStatus(true);
		await waitFor(() => eventsIn(alice, frame => frame.cmd === 'client-exit').length >= 3, 'three exits for alice');
		await waitFor(() => eventsIn(carol, frame => frame.cmd === 'client-exit').length >= 1, 'one exit for carol');
		const rename = {cmd: 'client-rename', user: 'Robert', oldname: 'bob', newname: 'Robert'};
		expect(await eventsOf(alice)).toEqual([
			rename,
			{cmd: 'client-exit', user: 'Robert', msg: 'bye'},
			{cmd: 'client-exit', user: 'Robert', room: '#x', msg: 'bye'},
			{cmd: 'client-exit', user: 'Robert', room: '#y', msg: 'bye'},
		]);
		expect(await eventsOf(carol)).toEqual([rename, {cmd: 'client-exit', user: 'Robert', msg: 'bye'}]);
		expect(await ask(alice, {cmd: 'get-clients', room: '#x'})).toMatchObject({clients: ['alice']});
		expect((await ask(alice, {cmd: 'rooms'})).rooms).toEqual([{room: '#lobby', users: 2}, {room: '#x', users: 1}, {room: '#y', users: 1}]);
	});

	it('delivers direct messages across nodes, to the clients that listed direct only', async () => {
		const {a, b} = await twoNodes({}, backendRedis.url);
		const alice = await user(a.port, 'alice');
		const bob = await user(b.port, 'Bob');
		const seed = await user(b.port, 'seed', []);
		const status = await ask(alice, {cmd: 'msg', to: 'BOB', msg: 'psst'});
		expect(status).not.toHaveProperty('seq');
		expect(await bob.nextEvent('message')).toEqual({cmd: 'message', user: 'alice', to: 'Bob', msg: 'psst'});
		await ask(bob, {cmd: 'msg', to: 'alice', msg: 'hi back'});
		expect(await alice.nextEvent('message')).toEqual({cmd: 'message', user: 'Bob', to: 'alice', msg: 'hi back'});

		expect(await ask(alice, {cmd: 'msg', to: 'nobody', msg: 'hello'}, false)).toMatchObject({code: 'no-such-user'});
		// A seed client on the other node would show it as public: no-such-user.
		expect(await ask(alice, {cmd: 'msg', to: 'seed', msg: 'would look public'}, false)).toMatchObject({code: 'no-such-user'});
		expect(await eventsOf(seed)).toEqual([]);
		// A renamed user is found under the new name only.
		await ask(bob, {cmd: 'rename', oldname: 'Bob', newname: 'bobby'});
		expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: 'old name'}, false)).toMatchObject({code: 'no-such-user'});
		await ask(alice, {cmd: 'msg', to: 'Bobby', msg: 'new name'});
		expect(await bob.nextEvent('message')).toEqual({cmd: 'message', user: 'alice', to: 'bobby', msg: 'new name'});
		// Gone users are nobody.
		bob.sendFrame({cmd: 'exit'});
		await bob.expectStatus(true);
		await bob.closed;
		await waitFor(async () => ((await ask(alice, {cmd: 'get-clients'})).clients as string[]).length === 2, 'bobby gone');
		expect(await ask(alice, {cmd: 'msg', to: 'bobby', msg: 'hello?'}, false)).toMatchObject({code: 'no-such-user'});
	});
});

describe('rooms across two nodes', () => {
	it('gives a room one seq order across the nodes, delivered in that order on both', async () => {
		const {a, b} = await twoNodes();
		const watchA = await user(a.port, 'watch-a');
		const watchB = await user(b.port, 'watch-b');
		const senders = [await user(a.port, 'ann'), await user(b.port, 'ben')];
		const lobbyOnly = await user(a.port, 'lobby-only');
		for (const client of [watchA, watchB, ...senders]) await ask(client, {cmd: 'join', room: '#busy'});
		const perSender = 30;
		for (const [index, sender] of senders.entries()) {
			sender.send(Array.from({length: perSender}, (_, n) => JSON.stringify({cmd: 'msg', room: '#busy', msg: `${index}:${n}`}) + '\n').join(''));
		}

		const statuses = await Promise.all(senders.map(async sender => Promise.all(Array.from({length: perSender}, async () => sender.nextStatus()))));
		const total = senders.length * perSender;
		const take = async (client: RawClient) => {
			const events: Frame[] = [];
			while (events.length < total) {
				const event = await client.nextEvent();
				if (event.cmd === 'message') events.push(event);
			}

			return events;
		};

		const [onA, onB] = await Promise.all([take(watchA), take(watchB)]);
		expect(onA.map(event => event.seq)).toEqual(Array.from({length: total}, (_, index) => index + 1));
		expect(onB).toEqual(onA);
		expect(new Set(statuses.flat().map(status => (status as unknown as {seq: number}).seq)).size).toBe(total);
		// The lobby has its own order, untouched.
		expect(eventsIn(lobbyOnly, frame => frame.cmd === 'message')).toEqual([]);
		expect(await ask(lobbyOnly, {cmd: 'history'})).toMatchObject({last: 0});
	});

	it('listens on a node only to the channels of rooms it has members in', async () => {
		const {a, b, prefix} = await twoNodes();
		const alice = await user(a.port, 'alice');
		const bob = await user(b.port, 'bob');
		await ask(alice, {cmd: 'join', room: '#only-a'});
		await ask(alice, {cmd: 'join', room: '#both'});
		await ask(bob, {cmd: 'join', room: '#both'});
		expect(await listeners(prefix, '#only-a')).toBe(1);
		expect(await listeners(prefix, '#both')).toBe(2);
		expect(await listeners(prefix, '#lobby')).toBe(2);

		// Traffic in #only-a is not sent to node b's subscriber at all: Redis counts one receiver.
		const before = await admin.call('PUBSUB', 'SHARDNUMSUB', roomKeys(prefix, '#only-a').channel);
		expect(before).toEqual([roomKeys(prefix, '#only-a').channel, 1]);

		await ask(bob, {cmd: 'part', room: '#both'});
		await waitFor(async () => (await listeners(prefix, '#both')) === 1, 'node b to stop listening to #both');
		await ask(alice, {cmd: 'part', room: '#only-a'});
		await waitFor(async () => (await listeners(prefix, '#only-a')) === 0, 'node a to stop listening to #only-a');
		expect(await shardChannels(prefix)).toEqual([roomKeys(prefix, '#both').channel, roomKeys(prefix, '#lobby').channel, `${prefix}{node:${a.hub.nodeId}}:direct`, `${prefix}{node:${b.hub.nodeId}}:direct`].sort());

		// Joining again listens again, before the join is answered.
		await ask(bob, {cmd: 'join', room: '#both'});
		expect(await listeners(prefix, '#both')).toBe(2);
		await ask(alice, {cmd: 'msg', room: '#both', msg: 'still here?'});
		expect(await bob.nextEvent('message')).toMatchObject({msg: 'still here?', room: '#both'});
	});

	it('counts the room limit across the cluster, and deletes an empty room with its log after the TTL', async () => {
		const {a, b, prefix} = await twoNodes({maxRooms: 3, emptyRoomTtlMs: 300});
		const alice = await user(a.port, 'alice');
		const bob = await user(b.port, 'bob');
		await ask(alice, {cmd: 'join', room: '#one'});
		await ask(bob, {cmd: 'join', room: '#two'});
		// #lobby, #one and #two: a third room is one too many, whichever node asks.
		expect(await ask(alice, {cmd: 'join', room: '#three'}, false)).toMatchObject({code: 'too-many-rooms'});
		expect(await ask(bob, {cmd: 'join', room: '#three'}, false)).toMatchObject({code: 'too-many-rooms'});
		expect(await ask(bob, {cmd: 'join', room: '#one'})).toMatchObject({clients: ['alice', 'bob']});

		const first = await ask(bob, {cmd: 'msg', room: '#two', msg: 'soon gone'});
		await ask(bob, {cmd: 'part', room: '#two'});
		// Once its time is up a heartbeat deletes it, log and all, on one node.
		const keys = roomKeys(prefix, '#two');
		await waitFor(async () => (await admin.exists(keys.room, keys.log, keys.stream)) === 0, 'the empty room deleted');
		expect(await ask(alice, {cmd: 'join', room: '#Two'})).toMatchObject({room: '#Two', clients: ['alice']});
		const history = await ask(alice, {cmd: 'history', room: '#two'});
		expect(history).toMatchObject({messages: [], last: 0});
		expect(history.epoch).not.toBe(first.epoch);
	});

	it('takes a crashed node\'s members out of every room, once, within the TTL', async () => {
		const {a, prefix} = await twoNodes();
		const c = await startChildNode(redis.url, {...FAST_HUB, prefix});
		const alice = await user(a.port, 'alice');
		const cleo = await user(c.port, 'cleo');
		for (const room of ['#x', '#y']) {
			await ask(alice, {cmd: 'join', room});
			await ask(cleo, {cmd: 'join', room});
		}

		await ask(cleo, {cmd: 'join', room: '#cleo-only'});
		await waitFor(() => eventsIn(alice, frame => frame.cmd === 'client-enter' && frame.room === '#y').length === 1, 'cleo in #y');
		await eventsOf(alice);

		const killedAt = Date.now();
		await c.signal('SIGKILL');
		await waitFor(() => eventsIn(alice, frame => frame.cmd === 'client-exit').length >= 3, 'cleo to leave every room', 15_000);
		// TTL 1.5 s + heartbeat 0.3 s, with room for a loaded machine; the default (10 s + 3 s) is well inside 30 s.
		expect(Date.now() - killedAt).toBeLessThan(8000);
		await new Promise(resolve => setTimeout(resolve, 4 * FAST_HUB.heartbeatMs!));
		// One exit per shared room; the rooms come in no particular order.
		const exits = await eventsOf(alice);
		expect(exits.sort((x, y) => String(x.room ?? '').localeCompare(String(y.room ?? '')))).toEqual([
			{cmd: 'client-exit', user: 'cleo'},
			{cmd: 'client-exit', user: 'cleo', room: '#x'},
			{cmd: 'client-exit', user: 'cleo', room: '#y'},
		]);
		expect(await ask(alice, {cmd: 'get-clients', room: '#x'})).toMatchObject({clients: ['alice']});
		expect((await ask(alice, {cmd: 'rooms'})).rooms).toEqual([{room: '#lobby', users: 1}, {room: '#x', users: 1}, {room: '#y', users: 1}]);
		expect(await admin.exists(`${prefix}rooms:${c.nodeId}`)).toBe(0);
	});

	it('rebuilds the rooms from the nodes\' members when Redis comes back empty', async () => {
		const own = await startRedis();
		const prefix = `rooms${++prefixes}:`;
		const [a, b] = await Promise.all([startNode(own.url, {prefix}), startNode(own.url, {prefix})]);
		const alice = await user(a.port, 'alice');
		const bob = await user(b.port, 'bob');
		await ask(alice, {cmd: 'join', room: '#x'});
		await ask(bob, {cmd: 'join', room: '#x'});

		await own.stop();
		await waitFor(() => a.hub.degraded && b.hub.degraded, 'both nodes degraded');
		// Rooms keep working on each node meanwhile; messages wait for the log (unavailable).
		await ask(alice, {cmd: 'part', room: '#x'});
		expect(await ask(bob, {cmd: 'join', room: '#y'})).toMatchObject({clients: ['bob']});
		expect(await ask(bob, {cmd: 'msg', room: '#y', msg: 'no log'}, false)).toMatchObject({code: 'unavailable'});

		await own.restart();
		await waitFor(() => !a.hub.degraded && !b.hub.degraded, 'both nodes reconciled');
		expect(await ask(bob, {cmd: 'get-clients', room: '#x'})).toMatchObject({clients: ['bob']});
		expect(await ask(alice, {cmd: 'join', room: '#y'})).toMatchObject({clients: ['bob', 'alice']});
		expect((await ask(alice, {cmd: 'rooms'})).rooms).toEqual([{room: '#lobby', users: 2}, {room: '#x', users: 1}, {room: '#y', users: 2}]);
		await ask(alice, {cmd: 'msg', room: '#y', msg: 'after the outage'});
		expect(await bob.nextEvent('message')).toMatchObject({msg: 'after the outage', room: '#y', seq: 1});
		const ownAdmin = new Redis(own.url);
		expect(await listeners(prefix, '#y', ownAdmin)).toBe(2);
		ownAdmin.disconnect();
	});

	it('announces a paused node\'s members in its rooms again when it wakes', async () => {
		const {a, prefix} = await twoNodes();
		const c = await startChildNode(redis.url, {...FAST_HUB, prefix});
		const alice = await user(a.port, 'alice');
		const cleo = await user(c.port, 'cleo');
		await ask(alice, {cmd: 'join', room: '#x'});
		await ask(cleo, {cmd: 'join', room: '#x'});
		await c.signal('SIGSTOP');
		await waitFor(() => eventsIn(alice, frame => frame.cmd === 'client-exit' && frame.room === '#x').length === 1, 'cleo declared gone from #x', 15_000);
		expect(await ask(alice, {cmd: 'get-clients', room: '#x'})).toMatchObject({clients: ['alice']});
		await c.signal('SIGCONT');
		await waitFor(() => eventsIn(alice, frame => frame.cmd === 'client-enter' && frame.user === 'cleo' && frame.room === '#x').length === 2, 'cleo back in #x', 15_000);
		expect(await ask(alice, {cmd: 'get-clients', room: '#x'})).toMatchObject({clients: ['alice', 'cleo']});
		await ask(cleo, {cmd: 'msg', room: '#x', msg: 'back'});
		expect(await alice.nextEvent('message')).toMatchObject({user: 'cleo', msg: 'back', room: '#x'});
	});
});
