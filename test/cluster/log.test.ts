// The room log of a cluster (`--redis`), over a real redis-server and over a
// real Redis Cluster: one seq order per room whichever node a message came
// through, every node's clients get the messages in that order, and any node
// answers `history`.
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectUser, type Frame, type RawClient} from '../helpers/raw-client.js';
import {REDIS_BACKENDS, useRedisBackend} from '../helpers/redis-backends.js';
import {stopRedisServers} from '../helpers/redis.js';
import {readWholeLog} from '../server/log/log-reader.js';
import {seqAheadOfEvents} from '../server/log/stream-check.js';
import {closeNodes, startNode} from './nodes.js';

afterAll(stopRedisServers);
afterEach(async () => {
	await closeRawClients();
	await closeNodes();
});

let prefixes = 0;
async function twoNodes(url: string) {
	const prefix = `log${++prefixes}:`;
	return Promise.all([startNode(url, {prefix}), startNode(url, {prefix})]);
}

async function takeMessages(client: RawClient, count: number): Promise<Frame[]> {
	const events: Frame[] = [];
	for (let index = 0; index < count; index++) events.push(await client.nextEvent('message'));
	return events;
}

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => from + index);

describe.each(REDIS_BACKENDS)('the log in Redis, on %s', backend => {
	const redis = useRedisBackend(backend);
	it('gives the room one seq order across two nodes, delivered in that order on both, never to the sender', async () => {
		const [a, b] = await twoNodes(redis.url);
		expect(a.log[0]).toContain(backend === 'a Redis Cluster' ? 'on a Redis Cluster' : 'on one redis-server');
		const watchA = await connectUser(a.port, 'watch-a');
		const watchB = await connectUser(b.port, 'watch-b');
		const senders = [await connectUser(a.port, 'ann'), await connectUser(b.port, 'bob'), await connectUser(a.port, 'amy'), await connectUser(b.port, 'ben')];
		const perSender = 40;
		for (const [index, sender] of senders.entries()) {
			sender.send(Array.from({length: perSender}, (_, n) => JSON.stringify({cmd: 'msg', msg: `${index}:${n}`}) + '\n').join(''));
		}

		const statuses = await Promise.all(senders.map(async sender => Promise.all(Array.from({length: perSender}, async () => sender.nextStatus()))));
		const total = senders.length * perSender;
		const [onA, onB] = await Promise.all([takeMessages(watchA, total), takeMessages(watchB, total)]);
		expect(onA.map(event => event.seq)).toEqual(range(1, total));
		expect(onB).toEqual(onA);
		const bySeq = new Map(onA.map(event => [event.seq, event]));
		for (const [index, list] of statuses.entries()) {
			for (const [n, status] of list.entries()) {
				expect(status.success).toBe(true);
				const {seq, epoch, time} = status as unknown as {seq: number; epoch: string; time: number};
				expect(bySeq.get(seq)).toMatchObject({msg: `${index}:${n}`, epoch, time});
			}
		}

		// No sender's status ran ahead of the events below it (the channel lags the append's reply).
		for (const sender of senders) expect(seqAheadOfEvents(sender.received)).toBeUndefined();
		// Nobody got their own messages back, on either node.
		for (const [index, sender] of senders.entries()) {
			await sender.sync();
			const own = sender.received.filter(item => item.type === 'frame' && item.frame.cmd === 'message' && String(item.frame.msg).startsWith(`${index}:`));
			expect(own).toEqual([]);
		}

		// Either node answers history, with the same log.
		const [fromA, fromB] = [await readWholeLog(watchA), await readWholeLog(watchB)];
		expect(fromA.messages).toEqual(onA);
		expect(fromB).toEqual(fromA);
	});

	it('does not echo a message to a sender that renames at once', async () => {
		const [a, b] = await twoNodes(redis.url);
		const watch = await connectUser(b.port, 'watch');
		const alice = await connectUser(a.port, 'alice');
		const neighbour = await connectUser(a.port, 'neighbour');
		const rounds = 30;
		const frames: string[] = [];
		for (let n = 0; n < rounds; n++) {
			const [from, to] = n % 2 === 0 ? ['alice', 'alicia'] : ['alicia', 'alice'];
			frames.push(JSON.stringify({cmd: 'msg', msg: `m${n}`}), JSON.stringify({cmd: 'rename', oldname: from, newname: to}));
		}

		alice.send(frames.join('\n') + '\n');
		for (let n = 0; n < 2 * rounds; n++) await alice.expectStatus(true);
		expect((await takeMessages(watch, rounds)).map(event => event.msg)).toEqual(range(0, rounds - 1).map(n => `m${n}`));
		expect((await takeMessages(neighbour, rounds)).map(event => event.seq)).toEqual(range(1, rounds));
		await alice.sync();
		expect(alice.received.filter(item => item.type === 'frame' && item.frame.cmd === 'message')).toEqual([]);
	});

	it('knows a resent id on any node: the original seq, duplicate: true, no second event', async () => {
		const [a, b] = await twoNodes(redis.url);
		const watch = await connectUser(b.port, 'watch');
		const alice = await connectUser(a.port, 'alice');
		const id = 'resend-across-nodes-0001';
		alice.sendFrame({cmd: 'msg', msg: 'once', id});
		const first = await alice.expectStatus(true);
		alice.destroy();
		await alice.closed;
		const again = await connectUser(b.port, 'alice');
		again.sendFrame({cmd: 'msg', msg: 'once', id});
		expect(await again.expectStatus(true)).toMatchObject({seq: (first as {seq?: number}).seq, epoch: (first as {epoch?: string}).epoch, duplicate: true});
		again.sendFrame({cmd: 'msg', msg: 'other text', id});
		expect(await again.expectStatus(false)).toMatchObject({code: 'conflict'});
		await watch.sync();
		expect(watch.received.filter(item => item.type === 'frame' && item.frame.cmd === 'message').map(item => item.type === 'frame' && item.frame.msg)).toEqual(['once']);
	});
});
