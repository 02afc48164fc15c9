// The room scripts on a real redis-server: join order, the empty-room TTL on
// the room's keys and its log's, the cluster-wide room count, and the sync a
// sweeper uses to take a dead node's members out of a room.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {EXPIRY_GRACE_MS, RoomScripts} from '../../source/server/redis/room-scripts.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';

let redis: RedisServer;
let client: Redis;
let prefixes = 0;
const NODE_A = 'aaaaaaaaaaaaaaaa';
const NODE_B = 'bbbbbbbbbbbbbbbb';
const TTL_MS = 60_000;

beforeAll(async () => {
	redis = await startRedis();
	client = new Redis(redis.url);
});
afterAll(async () => {
	client.disconnect();
	await stopRedisServers();
});

function scripts(): {a: RoomScripts; b: RoomScripts} {
	const prefix = `rs${++prefixes}:`;
	return {a: new RoomScripts(client, prefix, NODE_A, TTL_MS), b: new RoomScripts(client, prefix, NODE_B, TTL_MS)};
}

describe('room scripts', () => {
	it('keep join order across nodes and the spelling of the join that created the room', async () => {
		const {a, b} = scripts();
		expect(await a.join('#rust', '#Rust', 'ann', 'Ann')).toEqual({room: '#Rust', names: ['Ann'], entered: true});
		expect(await b.join('#rust', '#rust', 'bob', 'bob')).toEqual({room: '#Rust', names: ['Ann', 'bob'], entered: true});
		expect(await a.join('#rust', '#rust', 'ann', 'Ann')).toEqual({room: '#Rust', names: ['Ann', 'bob'], entered: false});
		expect(await a.rename('#rust', 'ann', 'anna', 'Anna')).toBe(true);
		expect(await b.rename('#rust', 'anna', 'x', 'x')).toBe(false);
		expect(await b.members('#rust')).toEqual(['Anna', 'bob']);
		expect(await a.leave('#rust', 'bob')).toEqual({left: -1, gone: false});
		expect(await b.leave('#rust', 'bob')).toEqual({left: 1, gone: true});
	});

	it('let the room and its log expire a while after the last member left, and lift that on a join', async () => {
		const {a} = scripts();
		const keys = a.keys('#go');
		await a.join('#go', '#go', 'ann', 'ann');
		await client.hset(keys.log, 'epoch', 'e', 'last', 1);
		await client.xadd(keys.stream, '1-0', 'v', '[]');
		expect(await a.leave('#go', 'ann')).toEqual({left: 0, gone: true});
		for (const key of [keys.room, keys.log, keys.stream]) {
			const ttl = await client.pttl(key);
			expect(ttl).toBeGreaterThan(TTL_MS + EXPIRY_GRACE_MS - 5000);
			expect(ttl).toBeLessThanOrEqual(TTL_MS + EXPIRY_GRACE_MS);
		}

		await a.join('#go', '#go', 'bob', 'bob');
		for (const key of [keys.room, keys.log, keys.stream, keys.members, keys.who, keys.holders]) expect(await client.pttl(key)).toBe(-1);
	});

	it('count rooms cluster-wide, offer the longest-empty room for deletion when full, and let one node delete a due room', async () => {
		const {a, b} = scripts();
		expect(await a.reserve('#one', 2)).toEqual({kind: 'counted'});
		expect(await b.reserve('#two', 2)).toEqual({kind: 'counted'});
		expect(await b.reserve('#three', 2)).toEqual({kind: 'full'});
		expect(await a.reserve('#one', 2)).toEqual({kind: 'counted'});
		await a.join('#one', '#One', 'ann', 'ann');
		expect(await b.list()).toEqual([{room: '#One', key: '#one', users: 1}, {room: '#two', key: '#two', users: 0}]);
		await b.vacate('#two');
		expect(await b.reserve('#three', 2)).toEqual({kind: 'delete-first', key: '#two'});
		expect(await a.due()).toEqual([]);
		expect(await a.claimDeletion('#two', false)).toBe(false);
		// Past its time: due, and exactly one caller gets to delete it.
		const short = new RoomScripts(client, `rs${prefixes}:`, NODE_B, 1);
		await short.vacate('#two');
		await new Promise(resolve => setTimeout(resolve, 5));
		expect(await a.reserve('#two', 2)).toEqual({kind: 'delete-first', key: '#two'});
		expect(await a.due()).toEqual(['#two']);
		expect(await Promise.all([a.claimDeletion('#two', false), b.claimDeletion('#two', false)])).toEqual([true, false]);
		expect(await a.beginDelete('#two')).toBe('#two');
		expect(await b.join('#two', '#Two', 'bob', 'bob')).toBeUndefined();
		await a.endDelete('#two');
		expect(await b.join('#two', '#Two', 'bob', 'bob')).toEqual({room: '#Two', names: ['bob'], entered: true});
		expect(await a.beginDelete('#two')).toBeUndefined();
	});

	it('sync a node\'s members to a list, announcing who left and who came', async () => {
		const {a, b} = scripts();
		const subscriber = new Redis(redis.url);
		const frames: string[] = [];
		await subscriber.ssubscribe(a.keys('#c').channel);
		subscriber.on('smessage', (_channel: string, frame: string) => frames.push(frame));
		await a.join('#c', '#C', 'ann', 'ann');
		await b.join('#c', '#c', 'bob', 'bob');
		await a.join('#c', '#c', 'amy', 'amy');
		// A sweeper takes node A's members out, as from A.
		expect(await b.sync('#c', NODE_A, NODE_A, '#c', [])).toBe(1);
		expect(await b.members('#c')).toEqual(['bob']);
		// A reconciling node puts its members back, as from itself.
		expect(await a.sync('#c', NODE_A, NODE_A, '#c', [['ann', 'ann'], ['zoë', 'Zoë']])).toBe(3);
		expect(await b.members('#c')).toEqual(['bob', 'ann', 'Zoë']);
		await b.sync('#c', NODE_B, NODE_B, '#c', [['bob', 'bob']]);
		await subscriber.ping();
		expect(frames).toEqual([
			`${NODE_A}{"cmd":"client-exit","user":"ann","room":"#C"}\n`,
			`${NODE_A}{"cmd":"client-exit","user":"amy","room":"#C"}\n`,
			`${NODE_A}{"cmd":"client-enter","user":"ann","room":"#C"}\n`,
			`${NODE_A}{"cmd":"client-enter","user":"Zoë","room":"#C"}\n`,
		]);
		subscriber.disconnect();
	});

	it('hold one name from several nodes: it enters with the first and leaves with the last, by leave or sync', async () => {
		const {a, b} = scripts();
		const subscriber = new Redis(redis.url);
		const frames: string[] = [];
		await subscriber.ssubscribe(a.keys('#d').channel);
		subscriber.on('smessage', (_channel: string, frame: string) => frames.push(frame));
		expect((await a.join('#d', '#d', 'alice', 'alice'))?.entered).toBe(true);
		expect(await b.join('#d', '#d', 'alice', 'alice')).toEqual({room: '#d', names: ['alice'], entered: false});
		expect(await a.leave('#d', 'alice')).toEqual({left: 1, gone: false});
		expect(await a.leave('#d', 'alice')).toEqual({left: -1, gone: false});
		expect(await b.members('#d')).toEqual(['alice']);
		expect(await a.join('#d', '#d', 'alice', 'alice')).toEqual({room: '#d', names: ['alice'], entered: false});
		// A sweep of one holder announces nothing; a reconciliation that puts it back, nothing either.
		expect(await a.sync('#d', NODE_B, NODE_B, '#d', [])).toBe(1);
		expect(await b.sync('#d', NODE_B, NODE_B, '#d', [['alice', 'alice']])).toBe(1);
		expect(await b.sync('#d', NODE_A, NODE_A, '#d', [])).toBe(1);
		expect(await b.members('#d')).toEqual(['alice']);
		expect(await b.leave('#d', 'alice')).toEqual({left: 0, gone: true});
		await subscriber.ping();
		expect(frames).toEqual([]);
		subscriber.disconnect();
	});
});
