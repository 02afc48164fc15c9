// The cluster's shared state, and the Lua scripts that change it. Each script
// runs atomically in Redis, so a name check and its claim cannot interleave
// with another node's, and the membership event it publishes takes its place
// in the channel in the same order as the registry changes: a client never
// sees a name's new holder enter before the old one's exit.
//
// Keys (P = the prefix, default "codechat:"; N = P{#lobby}:names:, so that
// on a Redis Cluster every registry key and the lobby's channel, on which the
// scripts publish, share one slot and each script runs on one shard):
//   N holder      hash  name key (lower case) -> node id that holds it
//   N display     hash  name key -> the name as its holder spells it
//   N direct      hash  name key -> 1 when its holder accepts direct messages (§8)
//   N order       zset  name key scored by join sequence (roster order)
//   N seq         int   the join sequence (INCR)
//   N nodes       set   node ids that have a heartbeat to watch
//   N node:ID     str   heartbeat of node ID, expires after nodeTtlMs
//   N members:ID  set   name keys held by node ID (what a sweep must free)
//   N swept:ID    str   tombstone: node ID was declared dead (so it can tell, if it was only paused)
//   N account:KEY hash  node id -> how many connections of the account KEY it holds (§11); exists
//                       only while an account holds the name, and `holder` is then one of its nodes
//   P{#lobby}:events  sharded channel: node id (16 bytes) + one encoded frame (room-scripts.ts)
//   P{node:ID}:direct sharded channel: direct messages to node ID's users (frames.ts)
// Per-node keys are built inside the scripts from N (passed as ARGV[1]); they
// are in N's slot, so a cluster shard accepts them though KEYS does not list them.
import type {RedisClient} from '../store/redis-connect.js';
import {LOBBY} from '../../protocol/rooms.js';
import {roomKeys} from './room-scripts.js';
import {Script} from './script.js';

export type ClusterKeys = {
	/** N: the registry's prefix, inside the lobby's hash tag. */
	registry: string;
	holder: string;
	display: string;
	direct: string;
	order: string;
	seq: string;
	nodes: string;
	channel: string;
	/** A node's direct-message channel (sharded, in its own slot). */
	directChannel(node: string): string;
	node(id: string): string;
};

export function clusterKeys(prefix: string): ClusterKeys {
	const registry = `${prefix}{${LOBBY}}:names:`;
	return {
		registry,
		holder: `${registry}holder`,
		display: `${registry}display`,
		direct: `${registry}direct`,
		order: `${registry}order`,
		seq: `${registry}seq`,
		nodes: `${registry}nodes`,
		channel: roomKeys(prefix, LOBBY).channel,
		directChannel: node => `${prefix}{node:${node}}:direct`,
		node: id => `${registry}node:${id}`,
	};
}

/**
 * Claims a name for a node, or keeps it if the node holds it already.
 * A name held by a node whose heartbeat has expired is taken over.
 * KEYS holder display order seq direct; ARGV prefix node key name channel payload('' = none) direct('1' or '').
 * Returns 0 taken, 1 claimed, 2 already ours.
 */
const claim = new Script(
	5,
	`
local holder = redis.call('HGET', KEYS[1], ARGV[3])
local result = 1
if holder == ARGV[2] then
	result = 2
elseif holder then
	if redis.call('EXISTS', ARGV[1] .. 'node:' .. holder) == 1 then return 0 end
	if redis.call('EXISTS', ARGV[1] .. 'account:' .. ARGV[3]) == 1 then return 0 end
	redis.call('SREM', ARGV[1] .. 'members:' .. holder, ARGV[3])
end
redis.call('HSET', KEYS[1], ARGV[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
if result == 1 or not redis.call('ZSCORE', KEYS[3], ARGV[3]) then
	redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[3])
end
redis.call('SADD', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
if ARGV[7] == '1' then redis.call('HSET', KEYS[5], ARGV[3], 1) else redis.call('HDEL', KEYS[5], ARGV[3]) end
if ARGV[6] ~= '' then redis.call('SPUBLISH', ARGV[5], ARGV[6]) end
return result
`,
);

/**
 * Moves a node's name from old key to new key, keeping its join sequence.
 * KEYS holder display order seq direct; ARGV prefix node oldKey newKey newName channel payload direct('1' or '').
 * Returns 0 when another live node holds the new name, else 1.
 */
const rename = new Script(
	5,
	`
local holder = redis.call('HGET', KEYS[1], ARGV[4])
if holder and holder ~= ARGV[2] then
	if redis.call('EXISTS', ARGV[1] .. 'node:' .. holder) == 1 then return 0 end
	if redis.call('EXISTS', ARGV[1] .. 'account:' .. ARGV[4]) == 1 then return 0 end
	redis.call('SREM', ARGV[1] .. 'members:' .. holder, ARGV[4])
end
local members = ARGV[1] .. 'members:' .. ARGV[2]
local score = redis.call('ZSCORE', KEYS[3], ARGV[3])
if ARGV[3] ~= ARGV[4] then
	if redis.call('HGET', KEYS[1], ARGV[3]) == ARGV[2] then
		redis.call('HDEL', KEYS[5], ARGV[3])
		redis.call('HDEL', KEYS[1], ARGV[3])
		redis.call('HDEL', KEYS[2], ARGV[3])
		redis.call('ZREM', KEYS[3], ARGV[3])
		redis.call('SREM', members, ARGV[3])
	else
		score = false
	end
end
if not score then score = redis.call('INCR', KEYS[4]) end
redis.call('HSET', KEYS[1], ARGV[4], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
redis.call('ZADD', KEYS[3], score, ARGV[4])
redis.call('SADD', members, ARGV[4])
if ARGV[8] == '1' then redis.call('HSET', KEYS[5], ARGV[4], 1) else redis.call('HDEL', KEYS[5], ARGV[4]) end
if ARGV[7] ~= '' then redis.call('SPUBLISH', ARGV[6], ARGV[7]) end
return 1
`,
);

/**
 * The end of both release scripts: frees the name if this node holds it
 * (registry, display spelling, join order, direct flag) and publishes the
 * exit, unless another node holds it now. KEYS and ARGV as in `release`.
 */
const FREE_NAME = `
local holder = redis.call('HGET', KEYS[1], ARGV[3])
if holder and holder ~= ARGV[2] then return 0 end
if holder then
	redis.call('HDEL', KEYS[1], ARGV[3])
	redis.call('HDEL', KEYS[2], ARGV[3])
	redis.call('ZREM', KEYS[3], ARGV[3])
	redis.call('HDEL', KEYS[4], ARGV[3])
end
if ARGV[5] ~= '' then redis.call('SPUBLISH', ARGV[4], ARGV[5]) end
return 1
`;

/**
 * Frees a name if this node holds it, and publishes the exit unless another
 * node holds the name now (then the exit would remove the wrong user).
 * KEYS holder display order direct; ARGV prefix node key channel payload.
 * Returns 0 when another node holds it, else 1.
 */
const release = new Script(
	4,
	`
redis.call('SREM', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
` + FREE_NAME,
);

/**
 * Declares a node dead if its heartbeat has expired: frees its names and
 * publishes a client-exit for each, sent as if from the dead node so that
 * every live node (the sweeper too) delivers it. Removing the node from the
 * set is the lock: of several sweepers, exactly one gets past SREM.
 * KEYS holder display order nodes direct; ARGV prefix deadNode channel tombstoneMs.
 * Returns the number of names freed, or -1 when there was nothing to do.
 */
const sweep = new Script(
	5,
	`
if redis.call('EXISTS', ARGV[1] .. 'node:' .. ARGV[2]) == 1 then return -1 end
if redis.call('SREM', KEYS[4], ARGV[2]) == 0 then return -1 end
local members = ARGV[1] .. 'members:' .. ARGV[2]
local gone = 0
for _, key in ipairs(redis.call('SMEMBERS', members)) do
	local account = ARGV[1] .. 'account:' .. key
	redis.call('HDEL', account, ARGV[2])
	local staying = redis.call('HKEYS', account)
	if #staying > 0 then
		-- The account's user stays on other nodes: nobody left.
		if redis.call('HGET', KEYS[1], key) == ARGV[2] then redis.call('HSET', KEYS[1], key, staying[1]) end
	elseif redis.call('HGET', KEYS[1], key) == ARGV[2] then
		local name = redis.call('HGET', KEYS[2], key)
		redis.call('HDEL', KEYS[1], key)
		redis.call('HDEL', KEYS[2], key)
		redis.call('ZREM', KEYS[3], key)
		redis.call('HDEL', KEYS[5], key)
		if name then
			redis.call('SPUBLISH', ARGV[3], ARGV[2] .. '{"cmd":"client-exit","user":' .. cjson.encode(name) .. '}\\n')
		end
		gone = gone + 1
	end
end
redis.call('DEL', members)
redis.call('SET', ARGV[1] .. 'swept:' .. ARGV[2], '1', 'PX', ARGV[4])
return gone
`,
);

/**
 * §11: one more connection of an account holds its name on this node, up to
 * `max` across the cluster; or (`count` given) this node holds exactly
 * `count` of them, whatever the limit: a reconciliation, or a guest's name
 * becoming its account's. A guest's name (another live node's, or this
 * node's outside `count` mode) is not taken. The first holder in the
 * cluster claims the name and publishes `payload`.
 * KEYS holder display order seq direct; ARGV prefix node key name channel payload direct('1' or '') max count('' = add one).
 * Returns [result, name]: 0 taken, 1 held beside others, 2 full, 3 first; `name` as the account's holders spell it.
 */
const claimAccount = new Script(
	5,
	`
local account = ARGV[1] .. 'account:' .. ARGV[3]
local holder = redis.call('HGET', KEYS[1], ARGV[3])
if holder and redis.call('EXISTS', account) == 0 and (holder ~= ARGV[2] or ARGV[9] == '') then
	if holder == ARGV[2] or redis.call('EXISTS', ARGV[1] .. 'node:' .. holder) == 1 then return {0, ''} end
	redis.call('SREM', ARGV[1] .. 'members:' .. holder, ARGV[3])
	holder = false
end
local counts = redis.call('HGETALL', account)
local total = 0
local mine = 0
for i = 1, #counts, 2 do
	local count = tonumber(counts[i + 1])
	total = total + count
	if counts[i] == ARGV[2] then mine = count end
end
local wanted = mine + 1
if ARGV[9] ~= '' then
	wanted = tonumber(ARGV[9])
elseif total >= tonumber(ARGV[8]) then
	return {2, ''}
end
redis.call('HSET', account, ARGV[2], wanted)
redis.call('SADD', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
if ARGV[7] == '1' then redis.call('HSET', KEYS[5], ARGV[3], 1) end
if holder then return {1, redis.call('HGET', KEYS[2], ARGV[3]) or ARGV[4]} end
redis.call('HSET', KEYS[1], ARGV[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[3])
if ARGV[6] ~= '' then redis.call('SPUBLISH', ARGV[5], ARGV[6]) end
return {3, ARGV[4]}
`,
);

/**
 * §11: one connection of an account on this node lets go of its name; the
 * last in the cluster frees it and publishes `payload` (its exit).
 * KEYS holder display order direct; ARGV prefix node key channel payload.
 * Returns 1 when that was the last, else 0.
 */
const releaseAccount = new Script(
	4,
	`
local account = ARGV[1] .. 'account:' .. ARGV[3]
local left = redis.call('HINCRBY', account, ARGV[2], -1)
if left <= 0 then
	redis.call('HDEL', account, ARGV[2])
	redis.call('SREM', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
end
local staying = redis.call('HKEYS', account)
if #staying > 0 then
	if left <= 0 and redis.call('HGET', KEYS[1], ARGV[3]) == ARGV[2] then redis.call('HSET', KEYS[1], ARGV[3], staying[1]) end
	return 0
end
` + FREE_NAME,
);

/**
 * Refreshes a node's heartbeat. KEYS nodes; ARGV prefix node ttlMs.
 * Returns [known, swept]: whether the node was still registered, and whether
 * a sweeper declared it dead meanwhile (it then announced its users' exits).
 */
const heartbeat = new Script(
	1,
	`
local swept = redis.call('DEL', ARGV[1] .. 'swept:' .. ARGV[2])
local known = redis.call('SISMEMBER', KEYS[1], ARGV[2])
redis.call('SET', ARGV[1] .. 'node:' .. ARGV[2], '1', 'PX', ARGV[3])
redis.call('SADD', KEYS[1], ARGV[2])
return {known, swept}
`,
);

/** Every held name in join order. KEYS order display. */
const roster = new Script(
	2,
	`
local names = {}
for _, key in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
	local name = redis.call('HGET', KEYS[2], key)
	if name then names[#names + 1] = name end
end
return names
`,
);

/** The scripts bound to one node's keys, with typed results. */
export class ClusterScripts {
	readonly #redis: RedisClient;
	readonly #keys: ClusterKeys;
	/** ARGV[1] of every script: the prefix of the keys it builds. */
	readonly #prefix: string;
	readonly #node: string;

	constructor(redis: RedisClient, prefix: string, node: string) {
		this.#redis = redis;
		this.#keys = clusterKeys(prefix);
		this.#prefix = this.#keys.registry;
		this.#node = node;
	}

	/** 0 taken, 1 claimed, 2 already ours. `payload` is published on success. */
	async claim(key: string, name: string, payload: Buffer | undefined, acceptsDirect: boolean): Promise<0 | 1 | 2> {
		const k = this.#keys;
		const result = await claim.run(
			this.#redis,
			[k.holder, k.display, k.order, k.seq, k.direct],
			[this.#prefix, this.#node, key, name, k.channel, payload ?? '', acceptsDirect ? '1' : ''],
		);
		return Number(result) as 0 | 1 | 2;
	}

	/** See the claimAccount script; `count` undefined adds one connection within `max`. */
	async claimAccount(key: string, name: string, payload: Buffer | undefined, acceptsDirect: boolean, max: number, count?: number): Promise<{result: 'taken' | 'beside' | 'full' | 'first'; name: string}> {
		const k = this.#keys;
		const [result, spelling] = (await claimAccount.run(
			this.#redis,
			[k.holder, k.display, k.order, k.seq, k.direct],
			[this.#prefix, this.#node, key, name, k.channel, payload ?? '', acceptsDirect ? '1' : '', max, count ?? ''],
		)) as [number, string];
		const results = ['taken', 'beside', 'full', 'first'] as const;
		return {result: results[Number(result)] ?? 'taken', name: String(spelling)};
	}

	/** True when this was the account's last connection in the cluster (`payload` was published). */
	async releaseAccount(key: string, payload: Buffer | undefined): Promise<boolean> {
		const k = this.#keys;
		const result = await releaseAccount.run(this.#redis, [k.holder, k.display, k.order, k.direct], [this.#prefix, this.#node, key, k.channel, payload ?? '']);
		return Number(result) === 1;
	}

	async rename(oldKey: string, newKey: string, newName: string, payload: Buffer | undefined, acceptsDirect: boolean): Promise<boolean> {
		const k = this.#keys;
		const result = await rename.run(
			this.#redis,
			[k.holder, k.display, k.order, k.seq, k.direct],
			[this.#prefix, this.#node, oldKey, newKey, newName, k.channel, payload ?? '', acceptsDirect ? '1' : ''],
		);
		return Number(result) === 1;
	}

	/** False when another node holds the name (nothing was published). */
	async release(key: string, payload: Buffer | undefined): Promise<boolean> {
		const k = this.#keys;
		const result = await release.run(this.#redis, [k.holder, k.display, k.order, k.direct], [this.#prefix, this.#node, key, k.channel, payload ?? '']);
		return Number(result) === 1;
	}

	/** How many names a dead node held (their exits are published), or -1 if it is alive or already swept. */
	async sweep(deadNode: string, tombstoneMs: number): Promise<number> {
		const k = this.#keys;
		const result = await sweep.run(this.#redis, [k.holder, k.display, k.order, k.nodes, k.direct], [this.#prefix, deadNode, k.channel, tombstoneMs]);
		return Number(result);
	}

	async heartbeat(ttlMs: number): Promise<{known: boolean; swept: boolean}> {
		const result = (await heartbeat.run(this.#redis, [this.#keys.nodes], [this.#prefix, this.#node, ttlMs])) as [number, number];
		return {known: Number(result[0]) === 1, swept: Number(result[1]) === 1};
	}

	async roster(): Promise<string[]> {
		const result = await roster.run(this.#redis, [this.#keys.order, this.#keys.display], []);
		return Array.isArray(result) ? result.map(String) : [];
	}

	/**
	 * Where a direct message to `key` goes: the nodes holding the name, the
	 * name as its holder spells it, and whether the holder accepts direct messages.
	 */
	async directTarget(key: string): Promise<{nodes: string[]; name: string; acceptsDirect: boolean} | undefined> {
		const k = this.#keys;
		const replies = ((await this.#redis.multi().hget(k.holder, key).hget(k.display, key).hget(k.direct, key).hkeys(`${k.registry}account:${key}`).exec()) ?? []) as Array<[Error | null, unknown]>;
		const [node, name, direct, accountNodes] = replies.map(([, value]) => value) as [string | null, string | null, string | null, string[] | null];
		if (!node || !name) return undefined;
		// An account's connections may be on several nodes: each gets it.
		return {nodes: accountNodes && accountNodes.length > 0 ? accountNodes : [node], name, acceptsDirect: direct === '1'};
	}

	async nodes(): Promise<string[]> {
		return this.#redis.smembers(this.#keys.nodes);
	}

	/** Stops this node's heartbeat at once, so a sweep may free what it still holds. */
	async stopHeartbeat(): Promise<void> {
		await this.#redis.del(this.#keys.node(this.#node));
	}
}
