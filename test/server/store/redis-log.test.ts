import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {MemoryLog} from '../../../source/server/store/memory-log.js';
import {encodeMessageArray, encodeMessageEvent} from '../../../source/server/store/message-event.js';
import {StoreError, type HistoryPage, type HistoryQuery} from '../../../source/server/store/message-log.js';
import {RedisLog} from '../../../source/server/store/redis-log.js';
import {startRedis, stopRedisServers, type RedisServer} from '../../helpers/redis.js';
import {messageLogContract} from './contract.js';

let redis: RedisServer;
let prefixes = 0;
// Each log gets its own key prefix, so tests sharing one redis-server never see each other's rooms.
const freshPrefix = () => `test${++prefixes}:`;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);

messageLogContract('redis', async options => RedisLog.connect(redis.url, {...options, prefix: freshPrefix()}));

describe('RedisLog across nodes', () => {
	it('gives two nodes one seq order per room, with no holes, and either answers history', async () => {
		const prefix = freshPrefix();
		const [a, b] = await Promise.all([RedisLog.connect(redis.url, {prefix}), RedisLog.connect(redis.url, {prefix})]);
		const sent = await Promise.all(
			Array.from({length: 200}, async (_, index) => (index % 2 === 0 ? a : b).append([{conversation: '#lobby', user: index % 2 ? 'bob' : 'ann', msg: `m${index}`}])),
		);
		const seqs = sent.map(([outcome]) => (outcome?.outcome === 'stored' ? outcome.seq : 0)).sort((x, y) => x - y);
		expect(seqs).toEqual(Array.from({length: 200}, (_, index) => index + 1));
		const fromA = await a.history('#lobby', {after: 0}, 1000);
		const fromB = await b.history('#lobby', {after: 0}, 1000);
		expect(fromB).toEqual(fromA);
		expect(fromA.messages).toHaveLength(200);
		await Promise.all([a.close(), b.close()]);
	});

	it('publishes each stored message from the script on its room\'s sharded channel, byte for byte the event a node would send', async () => {
		const prefix = freshPrefix();
		const channel = `${prefix}{#lobby}:events`;
		const subscriber = new Redis(redis.url);
		const frames: string[] = [];
		await subscriber.ssubscribe(channel);
		const received = new Promise<void>(resolve => {
			subscriber.on('smessage', (_channel: string, frame: string) => {
				frames.push(frame);
				if (frames.length === 2) resolve();
			});
		});
		const log = await RedisLog.connect(redis.url, {prefix, announce: {channel: conversation => `${prefix}{${conversation}}:events`, header: 'node-0123456789ab', room: conversation => conversation}});
		const [first] = await log.append([{conversation: '#lobby', user: 'ann', msg: 'he said "hi" ✓', id: 'published-id-0000001'}]);
		await log.append([{conversation: '#lobby', user: 'ann', msg: 'he said "hi" ✓', id: 'published-id-0000001'}]);
		await log.append([{conversation: '#lobby', user: 'bob', msg: 'second'}]);
		await received;
		const {messages} = await log.history('#lobby', {after: 0});
		expect(first).toMatchObject({outcome: 'stored', seq: 1});
		// The duplicate published nothing.
		expect(frames).toEqual(messages.map(message => 'node-0123456789ab' + encodeMessageEvent(message, '#lobby')));
		subscriber.disconnect();
		await log.close();
	});

	it('publishes the stored messages of one append call once, their frames in seq order after one header, leaving out duplicates', async () => {
		const prefix = freshPrefix();
		const subscriber = new Redis(redis.url);
		await subscriber.ssubscribe(`${prefix}{#rust}:events`);
		const payload = new Promise<string>(resolve => {
			subscriber.once('smessage', (_channel: string, frame: string) => resolve(frame));
		});
		const log = await RedisLog.connect(redis.url, {prefix, announce: {channel: conversation => `${prefix}{${conversation}}:events`, header: 'node-0123456789ab', room: conversation => conversation}});
		const burst = [
			{conversation: '#rust', user: 'ann', msg: 'one', id: 'burst-id-00000000001'},
			{conversation: '#rust', user: 'bob', msg: 'two'},
			{conversation: '#rust', user: 'ann', msg: 'one', id: 'burst-id-00000000001'},
			{conversation: '#rust', user: 'cy', msg: 'three'},
		];
		expect((await log.append(burst)).map(outcome => outcome.outcome)).toEqual(['stored', 'stored', 'duplicate', 'stored']);
		const {messages} = await log.history('#rust', {after: 0});
		expect(await payload).toBe('node-0123456789ab' + messages.map(message => encodeMessageEvent(message, '#rust')).join(''));
		subscriber.disconnect();
		await log.close();
	});

	it('builds each stream value and event frame from the text passed once: actions, ids, escapes, with and without a room field, byte for byte', async () => {
		const prefix = freshPrefix();
		const subscriber = new Redis(redis.url);
		const conversations = ['#lobby', '#rust'];
		await subscriber.ssubscribe(...conversations.map(conversation => `${prefix}{${conversation}}:events`));
		const payloads = new Map<string, string>();
		const received = new Promise<void>(resolve => {
			subscriber.on('smessage', (channel: string, frame: string) => {
				payloads.set(channel, frame);
				if (payloads.size === conversations.length) resolve();
			});
		});
		// #lobby's events carry no room field (PROTOCOL.md: part two).
		const log = await RedisLog.connect(redis.url, {prefix, announce: {channel: conversation => `${prefix}{${conversation}}:events`, header: 'node-0123456789ab', room: conversation => (conversation === '#lobby' ? undefined : conversation)}});
		const said = (conversation: string) => [
			{conversation, user: 'ann', msg: 'waves "hi" \\ ✓ 👋\n\u0000'},
			{conversation, user: 'bob', msg: 'bows', action: true as const},
			{conversation, user: 'cy\ud800', msg: 'nods \u2028', action: true as const, id: `frame-act-${conversation.slice(1)}-0000001`},
			{conversation, user: 'dee', msg: 'plain', id: `frame-id-${conversation.slice(1)}-00000001`},
		];
		const outcomes = await log.append([...said('#lobby'), ...said('#rust')]);
		expect(outcomes.map(outcome => outcome.outcome)).toEqual(Array.from({length: 8}, () => 'stored'));
		await received;
		const client = new Redis(redis.url);
		for (const conversation of conversations) {
			const {messages} = await log.history(conversation, {after: 0});
			expect(messages.map(({user, msg, id, action}) => ({user, msg, id, action}))).toEqual(said(conversation).map(({user, msg, id, action}) => ({user, msg, id, action})));
			const room = conversation === '#lobby' ? undefined : conversation;
			expect(payloads.get(`${prefix}{${conversation}}:events`)).toBe('node-0123456789ab' + messages.map(message => encodeMessageEvent(message, room)).join(''));
			// One append call is one block: the frames as published, with the epoch and room field they carry.
			const entries = await client.xrange(`${prefix}{${conversation}}:stream`, '-', '+');
			const roomPart = room === undefined ? '' : `,"room":${JSON.stringify(room)}`;
			expect(entries).toEqual([[`${messages.at(-1)!.seq}-0`, ['f', messages.map(message => encodeMessageEvent(message, room)).join(''), 'e', messages[0]!.epoch, 'r', roomPart]]]);
		}

		subscriber.disconnect();
		client.disconnect();
		await log.close();
	});

	it('reads blocks of every size as the memory log reads single messages: after, before and newest, every limit, across the trimmed floor', async () => {
		// Each append call is one block; its sizes vary, and the log keeps 23, so the floor falls inside blocks.
		const perConversation = 23;
		const prefix = freshPrefix();
		const redisLog = await RedisLog.connect(redis.url, {prefix, perConversation});
		const memoryLog = new MemoryLog({perConversation});
		let sent = 0;
		for (const size of [1, 4, 1, 9, 2, 13, 1, 1, 6, 3]) {
			const batch = Array.from({length: size}, () => ({conversation: '#rust', user: 'ann', msg: `m${++sent} "quoted" \n`, ...(sent % 3 === 0 ? {action: true as const} : {})}));
			await Promise.all([redisLog.append(batch), memoryLog.append(batch)]);
		}

		const shape = (page: HistoryPage) => ({first: page.first, last: page.last, more: page.more, messages: page.messages.map(({seq, user, msg, action}) => ({seq, user, msg, action}))});
		const queries: HistoryQuery[] = [{}];
		for (let seq = 0; seq <= sent + 2; seq++) queries.push({after: seq}, {before: seq});
		for (const query of queries) {
			for (const limit of [1, 2, 5, 23, 1000]) {
				const [fromRedis, fromMemory] = await Promise.all([redisLog.history('#rust', query, limit), memoryLog.history('#rust', query, limit)]);
				expect({query, limit, page: shape(fromRedis)}).toEqual({query, limit, page: shape(fromMemory)});
				// The frames spliced from the blocks are the bytes the page's messages encode to.
				const encoded = await redisLog.encodedHistory('#rust', query, '#Rust', limit);
				expect(encoded.messages.toString()).toBe(encodeMessageArray(fromRedis.messages, '#Rust').toString());
				expect({count: encoded.count, more: encoded.more, first: encoded.first, last: encoded.last}).toEqual({count: fromRedis.messages.length, more: fromRedis.more, first: fromRedis.first, last: fromRedis.last});
			}
		}

		// The newest page starts from the newest seq this node has seen; another node's messages since are read too.
		const otherNode = await RedisLog.connect(redis.url, {prefix, perConversation});
		const more = Array.from({length: 3}, (_, index) => ({conversation: '#rust', user: 'bob', msg: `from the other node ${index}`}));
		await Promise.all([otherNode.append(more), memoryLog.append(more)]);
		for (const limit of [1, 2, 5]) {
			const [fromRedis, fromMemory] = await Promise.all([redisLog.history('#rust', {}, limit), memoryLog.history('#rust', {}, limit)]);
			expect(shape(fromRedis)).toEqual(shape(fromMemory));
		}

		await Promise.all([redisLog.close(), otherNode.close(), memoryLog.close()]);
	});

	it('stores a burst as blocks of at most 256 messages, and reads a page across them', async () => {
		const prefix = freshPrefix();
		const log = await RedisLog.connect(redis.url, {prefix});
		const burst = Array.from({length: 600}, (_, index) => ({conversation: '#lobby', user: 'ann', msg: `burst ${index + 1}`}));
		const outcomes = await log.append(burst);
		expect(outcomes.map(outcome => (outcome.outcome === 'stored' ? outcome.seq : 0))).toEqual(burst.map((_, index) => index + 1));
		const client = new Redis(redis.url);
		expect((await client.xrange(`${prefix}{#lobby}:stream`, '-', '+')).map(([id]) => id)).toEqual(['256-0', '512-0', '600-0']);
		client.disconnect();
		const page = await log.history('#lobby', {after: 250}, 10);
		expect(page.messages.map(message => message.msg)).toEqual(burst.slice(250, 260).map(message => message.msg));
		await log.close();
	});

	it('gives a consistent page when appends move the bounds between its two reads', async () => {
		const prefix = freshPrefix();
		const writer = await RedisLog.connect(redis.url, {prefix, perConversation: 5});
		for (let index = 1; index <= 10; index++) await writer.append([{conversation: '#c', user: 'ann', msg: `m${index}`}]);
		// A reader whose first MULTI is followed by eight more messages (first 6 → 14, last 10 → 18) before its second.
		const reader = (): RedisLog => {
			const redisClient = new Redis(redis.url);
			const multi = redisClient.multi.bind(redisClient);
			let execs = 0;
			redisClient.multi = ((...args: Parameters<typeof multi>) => {
				const made = multi(...args);
				const exec = made.exec.bind(made);
				made.exec = (async () => {
					const replies = await exec();
					if (++execs === 1) await writer.append(Array.from({length: 8}, (_, index) => ({conversation: '#c', user: 'bob', msg: `late${index}`})));
					return replies;
				}) as typeof made.exec;
				return made;
			}) as typeof redisClient.multi;
			return RedisLog.using(redisClient, {prefix, perConversation: 5});
		};

		// The newest page, from a node that has seen nothing: the span its first read gave (8–10) was trimmed meanwhile, so it reads again.
		const newest = await reader().history('#c', {}, 3);
		expect({first: newest.first, last: newest.last, more: newest.more, seqs: newest.messages.map(message => message.seq)}).toEqual({first: 14, last: 18, more: true, seqs: [16, 17, 18]});
		// after 0 lies below the oldest kept: the re-read starts from the bounds read, which moved past them.
		const oldest = await reader().history('#c', {after: 0}, 2);
		expect({first: oldest.first, last: oldest.last, more: oldest.more, seqs: oldest.messages.map(message => message.seq)}).toEqual({first: 22, last: 26, more: true, seqs: [22, 23]});
		await writer.close();
	});

	it('reads the entries of the format before blocks, one message each, beside the blocks written after them', async () => {
		const prefix = freshPrefix();
		const client = new Redis(redis.url);
		// What an earlier version left: a log hash without a floor, and one entry per message.
		await client.hset(`${prefix}{#lobby}:log`, 'epoch', 'old-epoch', 'last', 3, 'time', 1000);
		await client.xadd(`${prefix}{#lobby}:stream`, '1-0', 'v', JSON.stringify([1000, 'ann', 'plain']));
		await client.xadd(`${prefix}{#lobby}:stream`, '2-0', 'v', JSON.stringify([1000, 'bob', 'waves "hi"', 'old-id-000000001']));
		await client.xadd(`${prefix}{#lobby}:stream`, '3-0', 'v', JSON.stringify([1000, 'cy', 'bows', null, 1]));
		const log = await RedisLog.connect(redis.url, {prefix, perConversation: 4});
		await log.append([{conversation: '#lobby', user: 'dee', msg: 'new one'}, {conversation: '#lobby', user: 'eve', msg: 'new two'}]);
		const page = await log.history('#lobby', {after: 0});
		expect(page).toMatchObject({epoch: 'old-epoch', first: 2, last: 5, more: false});
		expect(page.messages.map(({seq, user, msg, id, action}) => ({seq, user, msg, id, action}))).toEqual([
			{seq: 2, user: 'bob', msg: 'waves "hi"', id: 'old-id-000000001', action: undefined},
			{seq: 3, user: 'cy', msg: 'bows', id: undefined, action: true},
			{seq: 4, user: 'dee', msg: 'new one', id: undefined, action: undefined},
			{seq: 5, user: 'eve', msg: 'new two', id: undefined, action: undefined},
		]);
		const encoded = await log.encodedHistory('#lobby', {before: 5}, undefined, 2);
		expect(encoded.messages.toString()).toBe(encodeMessageArray(page.messages.slice(1, 3), undefined).toString());
		// The old entries below the floor are trimmed once a block is written.
		expect((await client.xrange(`${prefix}{#lobby}:stream`, '-', '+')).map(([id]) => id)).toEqual(['2-0', '3-0', '5-0']);
		client.disconnect();
		await log.close();
	});

	it('fails with unavailable and retry while Redis is down, and starts a new epoch when it comes back empty', async () => {
		const own = await startRedis();
		const log = await RedisLog.connect(own.url, {commandTimeoutMs: 500});
		const [before] = await log.append([{conversation: '#lobby', user: 'ann', msg: 'before'}]);
		await own.kill();
		const error: unknown = await log.append([{conversation: '#lobby', user: 'ann', msg: 'during'}]).catch((error: unknown) => error);
		expect(error).toBeInstanceOf(StoreError);
		expect(error).toMatchObject({code: 'unavailable', retry: 2});
		await expect(log.history('#lobby', {})).rejects.toMatchObject({code: 'unavailable'});
		await own.restart();
		let after: Awaited<ReturnType<RedisLog['append']>> | undefined;
		// ioredis reconnects on its own schedule; wait for it, not for a fixed time.
		while (!after) after = await log.append([{conversation: '#lobby', user: 'ann', msg: 'after'}]).catch(async () => new Promise(resolve => setTimeout(() => resolve(undefined), 50)));
		expect(after[0]).toMatchObject({outcome: 'stored', seq: 1});
		expect(after[0]).not.toMatchObject({epoch: before?.outcome === 'stored' ? before.epoch : ''});
		await log.close();
	});

	it('refuses to start with one line when Redis does not answer', async () => {
		const own = await startRedis();
		await own.kill();
		const error: unknown = await RedisLog.connect(own.url, {startTimeoutMs: 500}).catch((error: unknown) => error);
		expect(error).toMatchObject({code: 'unavailable'});
		expect((error as Error).message).toMatch(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ .*: start it, or check --redis$/);
	});

	it('starts a new epoch, not the same seqs again, when the counter went back below what it saw (a failover lost writes)', async () => {
		const prefix = freshPrefix();
		const log = await RedisLog.connect(redis.url, {prefix});
		const message = (index: number) => ({conversation: '#room', user: 'ann', msg: `m${index}`, id: `regress-id-00000${index}`});
		await log.append([0, 1].map(message));
		const appended = await log.append([2, 3, 4].map(message));
		const {epoch} = appended[2] as {epoch: string};
		// What a promoted replica that missed the second call's writes (one block, seqs 3–5) holds.
		const client = new Redis(redis.url);
		const stream = `${prefix}{#room}:stream`;
		const kept = await client.xrange(stream, '-', '2-0');
		await client.del(stream, ...[2, 3, 4].map(index => `${prefix}{#room}:id:regress-id-00000${index}`));
		for (const [entry, fields] of kept) await client.xadd(stream, entry, ...fields);
		await client.hset(`${prefix}{#room}:log`, 'last', 2);
		const [next] = await log.append([{conversation: '#room', user: 'ann', msg: 'after the failover'}]);
		expect(next).toMatchObject({outcome: 'stored', seq: 3});
		expect(next).not.toMatchObject({epoch});
		// The entries the replica had stay, under the new epoch.
		const page = await log.history('#room', {after: 0});
		expect(page.messages.map(message => message.msg)).toEqual(['m0', 'm1', 'after the failover']);
		expect(page.epoch).toBe((next as {epoch: string}).epoch);
		// An id the replica had is still known; one it lost is stored anew.
		const [known, lost] = await log.append([{conversation: '#room', user: 'ann', msg: 'm1', id: 'regress-id-000001'}, {conversation: '#room', user: 'ann', msg: 'm3', id: 'regress-id-000003'}]);
		expect(known).toMatchObject({outcome: 'duplicate', seq: 2});
		expect(lost).toMatchObject({outcome: 'stored', seq: 4});
		// A counter that only moved on (another node's writes) keeps the epoch.
		await client.hset(`${prefix}{#room}:log`, 'last', 9);
		expect((await log.append([{conversation: '#room', user: 'ann', msg: 'later'}]))[0]).toMatchObject({seq: 10, epoch: (next as {epoch: string}).epoch});
		client.disconnect();
		await log.close();
	});

	it('keeps a room\'s keys in one cluster slot', async () => {
		const prefix = freshPrefix();
		const log = await RedisLog.connect(redis.url, {prefix});
		await log.append([{conversation: '#lobby', user: 'ann', msg: 'x', id: 'slot-check-id-000001'}]);
		const client = new Redis(redis.url);
		const keys = await client.keys(`${prefix}*`);
		expect(keys.sort()).toEqual([`${prefix}{#lobby}:id:slot-check-id-000001`, `${prefix}{#lobby}:log`, `${prefix}{#lobby}:stream`]);
		// Redis Cluster hashes only the text between the first '{' and the next '}', when that is not empty.
		const hashed = (key: string) => /^[^{]*\{([^}]+)\}/.exec(key)?.[1] ?? key;
		expect(new Set(keys.map(hashed))).toEqual(new Set(['#lobby']));
		expect(await client.pttl(`${prefix}{#lobby}:id:slot-check-id-000001`)).toBeGreaterThan(9 * 60 * 1000);
		client.disconnect();
		await log.close();
	});
});
