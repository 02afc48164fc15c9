// The lock-out rules of §11 as a table: each case is a script of attempts at
// given times, and what each attempt meets. Time is passed in, so no timers.
import {Redis} from 'ioredis';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ADDRESS_POLICY, Lockout, PAIR_POLICY, waitAfter, type LockoutStore} from '../../../source/server/accounts/lockout.js';
import {MemoryLockoutStore} from '../../../source/server/accounts/memory-lockout.js';
import {RedisLockoutStore} from '../../../source/server/accounts/redis-lockout.js';
import {startRedis, stopRedisServers, type RedisServer} from '../../helpers/redis.js';

type Step =
	/** A wrong password for `name` from `from` at `at` ms (only tried when not locked). */
	| {fail: string; from?: string; at: number; expect: 'tried' | number}
	/** A right password. */
	| {succeed: string; from?: string; at: number; expect: 'tried' | number};

/** Runs the steps; each gives 'tried' when the attempt went ahead, else the retry seconds it was refused with. */
async function play(steps: Step[], store: LockoutStore): Promise<Array<'tried' | number>> {
	const lockout = new Lockout(store);
	const seen: Array<'tried' | number> = [];
	for (const step of steps) {
		const name = 'fail' in step ? step.fail : step.succeed;
		const from = step.from ?? '192.0.2.1';
		const verdict = await lockout.check(name, from, step.at);
		if (verdict.locked) {
			seen.push(verdict.retry);
			continue;
		}

		seen.push('tried');
		if ('fail' in step) await lockout.recordFailure(name, from, step.at);
		else await lockout.recordSuccess(name, from);
	}

	return seen;
}

const fails = (count: number, at: (index: number) => number, name = 'alice', from?: string): Step[] =>
	Array.from({length: count}, (_, index) => ({fail: name, from, at: at(index), expect: 'tried' as const}));

const cases: Array<[string, Step[]]> = [
	['four failures lock nothing', [...fails(4, index => index), {fail: 'alice', at: 10, expect: 'tried'}]],
	['the fifth failure locks the pair for 1 s', [...fails(5, index => index), {fail: 'alice', at: 10, expect: 1}, {fail: 'alice', at: 1004, expect: 'tried'}]],
	[
		'each further failure doubles the wait',
		[
			...fails(5, () => 0),
			{fail: 'alice', at: 1000, expect: 'tried'}, // sixth: 2 s
			{fail: 'alice', at: 2999, expect: 1},
			{fail: 'alice', at: 3000, expect: 'tried'}, // seventh: 4 s
			{fail: 'alice', at: 6000, expect: 1},
			{fail: 'alice', at: 7000, expect: 'tried'},
		],
	],
	[
		'a refused attempt does not extend the wait',
		[...fails(5, () => 0), {fail: 'alice', at: 200, expect: 1}, {fail: 'alice', at: 600, expect: 1}, {fail: 'alice', at: 999, expect: 1}, {fail: 'alice', at: 1000, expect: 'tried'}],
	],
	['a success resets the pair', [...fails(4, () => 0), {succeed: 'alice', at: 1, expect: 'tried'}, ...fails(4, () => 2), {fail: 'alice', at: 3, expect: 'tried'}, {fail: 'alice', at: 4, expect: 1}]],
	['the pair lock is for that name only', [...fails(5, () => 0), {fail: 'alice', at: 1, expect: 1}, {fail: 'bob', at: 1, expect: 'tried'}]],
	['the pair lock is for that address only', [...fails(5, () => 0), {fail: 'alice', from: '198.51.100.7', at: 1, expect: 'tried'}]],
	[
		'twenty failures across names lock the address',
		[...Array.from({length: 20}, (_, index): Step => ({fail: `user${index}`, at: 0, expect: 'tried'})), {fail: 'someone-else', at: 1, expect: 1}, {fail: 'someone-else', from: '198.51.100.7', at: 1, expect: 'tried'}],
	],
	[
		'a success on one name does not reset the address count',
		[
			...Array.from({length: 19}, (_, index): Step => ({fail: `user${index}`, at: 0, expect: 'tried'})),
			{succeed: 'mine', at: 0, expect: 'tried'},
			{fail: 'user99', at: 0, expect: 'tried'},
			{fail: 'user100', at: 0, expect: 1},
		],
	],
];

/** Redis forgets by its own clock, so this one runs on the memory store only. */
const forgetting: Step[] = [...fails(5, () => 0), {fail: 'alice', at: 1000 + 3_600_000, expect: 'tried'}, {fail: 'alice', at: 1001 + 3_600_000, expect: 'tried'}];

let redis: RedisServer;
let connection: Redis;
let prefixes = 0;
beforeAll(async () => {
	redis = await startRedis();
	connection = new Redis(redis.url);
});
afterAll(async () => {
	connection.disconnect();
	await stopRedisServers();
});

describe('lock-out', () => {
	it.each(cases)('%s', async (_, steps) => {
		expect(await play(steps, new MemoryLockoutStore())).toEqual(steps.map(step => step.expect));
	});

	it.each(cases)('in Redis: %s', async (_, steps) => {
		expect(await play(steps, new RedisLockoutStore(connection, `test${++prefixes}:`))).toEqual(steps.map(step => step.expect));
	});

	it('forgets a pair an hour after its wait', async () => {
		expect(await play(forgetting, new MemoryLockoutStore())).toEqual(forgetting.map(step => step.expect));
	});

	it('in Redis, gives each counter a TTL through its wait and an hour past it', async () => {
		const prefix = `test${++prefixes}:`;
		const store = new RedisLockoutStore(connection, prefix);
		for (let failure = 0; failure < 6; failure++) await store.fail('pair:x|alice', 0, PAIR_POLICY);
		const ttl = await connection.pttl(`${prefix}lock:pair:x|alice`);
		expect(ttl).toBeGreaterThan(2000 + 3_600_000 - 60_000);
		expect(ttl).toBeLessThanOrEqual(2000 + 3_600_000);
	});

	it('in Redis, counts failures made at once on two nodes', async () => {
		const prefix = `test${++prefixes}:`;
		const other = new Redis(redis.url);
		const [a, b]: LockoutStore[] = [new RedisLockoutStore(connection, prefix), new RedisLockoutStore(other, prefix)];
		await Promise.all(Array.from({length: 10}, async (_, index) => (index % 2 ? a : b).fail('addr:x', 0, ADDRESS_POLICY)));
		expect(await a.read(['addr:x'], 0)).toEqual([{failures: 10, lockedUntil: 0}]);
		other.disconnect();
	});

	it('doubles from 1 s to at most 15 minutes', () => {
		const waits = [4, 5, 6, 7, 14, 15, 16, 100, 10_000].map(failures => waitAfter(failures, PAIR_POLICY));
		expect(waits).toEqual([0, 1000, 2000, 4000, 512_000, 900_000, 900_000, 900_000, 900_000]);
		expect(waitAfter(19, ADDRESS_POLICY)).toBe(0);
		expect(waitAfter(20, ADDRESS_POLICY)).toBe(1000);
	});

	it('1,000 guesses in a row end with a 15-minute wait', async () => {
		const lockout = new Lockout(new MemoryLockoutStore());
		let now = 0;
		let retry = 0;
		for (let guess = 0; guess < 1000; guess++) {
			const verdict = await lockout.check('alice', '192.0.2.1', now);
			if (verdict.locked) {
				retry = verdict.retry;
				now += verdict.retry * 1000;
				continue;
			}

			await lockout.recordFailure('alice', '192.0.2.1', now);
		}

		expect(retry).toBe(900);
	});

	it('keeps its memory bounded, dropping the oldest record first', async () => {
		const store = new MemoryLockoutStore(3);
		for (const key of ['a', 'b', 'c', 'd']) await store.fail(key, 0, PAIR_POLICY);
		expect(store.size).toBe(3);
		expect(await store.read(['a', 'b', 'd'], 0)).toEqual([undefined, {failures: 1, lockedUntil: 0}, {failures: 1, lockedUntil: 0}]);
	});
});
