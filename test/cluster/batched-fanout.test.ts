// A large room across two nodes over a real redis-server: each node's members
// are many enough that the room batches its broadcasts (outbox.ts), and a log
// append arrives as one envelope of several messages (the append script
// publishes once per call). Every member on both nodes gets every message
// once, in seq order; senders get theirs never, and their statuses never run
// ahead of the others' messages; joins announced across nodes arrive whole.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {BATCHED_ROOM_MEMBERS} from '../../source/server/outbox.js';
import {closeRawClients, connectUser, type Frame, type RawClient} from '../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {seqAheadOfEvents} from '../server/log/stream-check.js';
import {closeNodes, startNode} from './nodes.js';

let redis: RedisServer;
beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);
afterEach(async () => {
	await closeRawClients();
	await closeNodes();
});

async function takeMessages(client: RawClient, count: number): Promise<Frame[]> {
	const events: Frame[] = [];
	for (let index = 0; index < count; index++) events.push(await client.nextEvent('message'));
	return events;
}

describe('a large room across two nodes', () => {
	it('hands every batched envelope to every member once, in seq order, never to its sender', async () => {
		const prefix = 'batched:';
		const nodes = await Promise.all([startNode(redis.url, {prefix}), startNode(redis.url, {prefix})]);
		const watchers: RawClient[] = [];
		for (let index = 0; index < BATCHED_ROOM_MEMBERS; index++) {
			for (const [at, node] of nodes.entries()) watchers.push(await connectUser(node.port, `w${at}x${index}`));
		}

		const senders = [await connectUser(nodes[0]!.port, 'ann'), await connectUser(nodes[1]!.port, 'bob'), await connectUser(nodes[0]!.port, 'amy')];
		// Every watcher heard the senders come in, from either node, each once.
		for (const watcher of watchers) {
			const entered: unknown[] = [];
			while (entered.length < senders.length) {
				const {user} = await watcher.nextEvent('client-enter');
				if (!String(user).startsWith('w')) entered.push(user);
			}

			expect(entered.sort()).toEqual(['amy', 'ann', 'bob']);
		}

		const perSender = 60;
		for (const [index, sender] of senders.entries()) sender.send(Array.from({length: perSender}, (_, n) => JSON.stringify({cmd: 'msg', msg: `${index}:${n}`}) + '\n').join(''));
		for (const sender of senders) for (let n = 0; n < perSender; n++) expect(await sender.nextStatus()).toMatchObject({success: true});

		const total = senders.length * perSender;
		const first = await takeMessages(watchers[0]!, total);
		expect(first.map(event => event.seq)).toEqual(Array.from({length: total}, (_, index) => index + 1));
		for (const watcher of watchers.slice(1)) expect(await takeMessages(watcher, total)).toEqual(first);
		for (const watcher of watchers) {
			await watcher.sync();
			expect(watcher.pendingEvents().filter(event => event.cmd === 'message' || (event.cmd === 'client-enter' && !String(event.user).startsWith('w')))).toEqual([]);
		}

		for (const [index, sender] of senders.entries()) {
			await sender.sync();
			expect(seqAheadOfEvents(sender.received)).toBeUndefined();
			const got = sender.received.filter(item => item.type === 'frame' && item.frame.cmd === 'message').map(item => (item.type === 'frame' ? String(item.frame.msg) : ''));
			expect(got.filter(text => text.startsWith(`${index}:`))).toEqual([]);
			expect(got).toHaveLength(total - perSender);
		}
	});
});
