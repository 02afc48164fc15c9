// The cluster's shared state, and the Lua scripts that change it. Each script
// runs atomically in Redis, so a name check and its claim cannot interleave
// with another node's, and the membership event it publishes takes its place
// in the channel in the same order as the registry changes: a client never
// sees a name's new holder enter before the old one's exit.
//
// Keys (P = the prefix, default "codechat:"):
//   P holder      hash  name key (lower case) -> node id that holds it
//   P display     hash  name key -> the name as its holder spells it
//   P order       zset  name key scored by join sequence (roster order)
//   P seq         int   the join sequence (INCR)
//   P nodes       set   node ids that have a heartbeat to watch
//   P node:ID     str   heartbeat of node ID, expires after nodeTtlMs
//   P members:ID  set   name keys held by node ID (what a sweep must free)
//   P swept:ID    str   tombstone: node ID was declared dead (so it can tell, if it was only paused)
//   P events      channel: node id (16 bytes) + one encoded frame
// Per-node keys are built inside the scripts from the prefix: this targets a
// single Redis (or Sentinel), not Redis Cluster.
import {createHash} from 'node:crypto';
import type {Redis} from 'ioredis';

export type ClusterKeys = {
	holder: string;
	display: string;
	order: string;
	seq: string;
	nodes: string;
	channel: string;
	node(id: string): string;
};

export function clusterKeys(prefix: string): ClusterKeys {
	return {
		holder: `${prefix}holder`,
		display: `${prefix}display`,
		order: `${prefix}order`,
		seq: `${prefix}seq`,
		nodes: `${prefix}nodes`,
		channel: `${prefix}events`,
		node: id => `${prefix}node:${id}`,
	};
}

/** A Lua script run by EVALSHA, loaded with EVAL when Redis does not know it (e.g. after a restart). */
class Script {
	readonly #source: string;
	readonly #sha: string;
	readonly #keyCount: number;

	constructor(keyCount: number, source: string) {
		this.#source = source;
		this.#keyCount = keyCount;
		this.#sha = createHash('sha1').update(source).digest('hex');
	}

	async run(redis: Redis, keys: string[], args: Array<string | Buffer | number>): Promise<unknown> {
		if (keys.length !== this.#keyCount) throw new Error(`script wants ${this.#keyCount} keys, got ${keys.length}`);
		try {
			return await redis.evalsha(this.#sha, this.#keyCount, ...keys, ...args);
		} catch (error) {
			if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
			return redis.eval(this.#source, this.#keyCount, ...keys, ...args);
		}
	}
}

/**
 * Claims a name for a node, or keeps it if the node holds it already.
 * A name held by a node whose heartbeat has expired is taken over.
 * KEYS holder display order seq; ARGV prefix node key name channel payload('' = none).
 * Returns 0 taken, 1 claimed, 2 already ours.
 */
const claim = new Script(
	4,
	`
local holder = redis.call('HGET', KEYS[1], ARGV[3])
local result = 1
if holder == ARGV[2] then
	result = 2
elseif holder then
	if redis.call('EXISTS', ARGV[1] .. 'node:' .. holder) == 1 then return 0 end
	redis.call('SREM', ARGV[1] .. 'members:' .. holder, ARGV[3])
end
redis.call('HSET', KEYS[1], ARGV[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
if result == 1 or not redis.call('ZSCORE', KEYS[3], ARGV[3]) then
	redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[3])
end
redis.call('SADD', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
if ARGV[6] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
return result
`,
);

/**
 * Moves a node's name from old key to new key, keeping its join sequence.
 * KEYS holder display order seq; ARGV prefix node oldKey newKey newName channel payload.
 * Returns 0 when another live node holds the new name, else 1.
 */
const rename = new Script(
	4,
	`
local holder = redis.call('HGET', KEYS[1], ARGV[4])
if holder and holder ~= ARGV[2] then
	if redis.call('EXISTS', ARGV[1] .. 'node:' .. holder) == 1 then return 0 end
	redis.call('SREM', ARGV[1] .. 'members:' .. holder, ARGV[4])
end
local members = ARGV[1] .. 'members:' .. ARGV[2]
local score = redis.call('ZSCORE', KEYS[3], ARGV[3])
if ARGV[3] ~= ARGV[4] then
	if redis.call('HGET', KEYS[1], ARGV[3]) == ARGV[2] then
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
if ARGV[7] ~= '' then redis.call('PUBLISH', ARGV[6], ARGV[7]) end
return 1
`,
);

/**
 * Frees a name if this node holds it, and publishes the exit unless another
 * node holds the name now (then the exit would remove the wrong user).
 * KEYS holder display order; ARGV prefix node key channel payload.
 * Returns 0 when another node holds it, else 1.
 */
const release = new Script(
	3,
	`
local holder = redis.call('HGET', KEYS[1], ARGV[3])
redis.call('SREM', ARGV[1] .. 'members:' .. ARGV[2], ARGV[3])
if holder and holder ~= ARGV[2] then return 0 end
if holder then
	redis.call('HDEL', KEYS[1], ARGV[3])
	redis.call('HDEL', KEYS[2], ARGV[3])
	redis.call('ZREM', KEYS[3], ARGV[3])
end
if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[4], ARGV[5]) end
return 1
`,
);

/**
 * Declares a node dead if its heartbeat has expired: frees its names and
 * publishes a client-exit for each, sent as if from the dead node so that
 * every live node (the sweeper too) delivers it. Removing the node from the
 * set is the lock: of several sweepers, exactly one gets past SREM.
 * KEYS holder display order nodes; ARGV prefix deadNode channel tombstoneMs.
 * Returns the number of names freed, or -1 when there was nothing to do.
 */
const sweep = new Script(
	4,
	`
if redis.call('EXISTS', ARGV[1] .. 'node:' .. ARGV[2]) == 1 then return -1 end
if redis.call('SREM', KEYS[4], ARGV[2]) == 0 then return -1 end
local members = ARGV[1] .. 'members:' .. ARGV[2]
local gone = 0
for _, key in ipairs(redis.call('SMEMBERS', members)) do
	if redis.call('HGET', KEYS[1], key) == ARGV[2] then
		local name = redis.call('HGET', KEYS[2], key)
		redis.call('HDEL', KEYS[1], key)
		redis.call('HDEL', KEYS[2], key)
		redis.call('ZREM', KEYS[3], key)
		if name then
			redis.call('PUBLISH', ARGV[3], ARGV[2] .. '{"cmd":"client-exit","user":' .. cjson.encode(name) .. '}\\n')
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
	readonly #redis: Redis;
	readonly #keys: ClusterKeys;
	readonly #prefix: string;
	readonly #node: string;

	constructor(redis: Redis, prefix: string, node: string) {
		this.#redis = redis;
		this.#prefix = prefix;
		this.#keys = clusterKeys(prefix);
		this.#node = node;
	}

	/** 0 taken, 1 claimed, 2 already ours. `payload` is published on success. */
	async claim(key: string, name: string, payload: Buffer | undefined): Promise<0 | 1 | 2> {
		const k = this.#keys;
		const result = await claim.run(this.#redis, [k.holder, k.display, k.order, k.seq], [this.#prefix, this.#node, key, name, k.channel, payload ?? '']);
		return Number(result) as 0 | 1 | 2;
	}

	async rename(oldKey: string, newKey: string, newName: string, payload: Buffer | undefined): Promise<boolean> {
		const k = this.#keys;
		const result = await rename.run(
			this.#redis,
			[k.holder, k.display, k.order, k.seq],
			[this.#prefix, this.#node, oldKey, newKey, newName, k.channel, payload ?? ''],
		);
		return Number(result) === 1;
	}

	/** False when another node holds the name (nothing was published). */
	async release(key: string, payload: Buffer | undefined): Promise<boolean> {
		const k = this.#keys;
		const result = await release.run(this.#redis, [k.holder, k.display, k.order], [this.#prefix, this.#node, key, k.channel, payload ?? '']);
		return Number(result) === 1;
	}

	/** How many names a dead node held (their exits are published), or -1 if it is alive or already swept. */
	async sweep(deadNode: string, tombstoneMs: number): Promise<number> {
		const k = this.#keys;
		const result = await sweep.run(this.#redis, [k.holder, k.display, k.order, k.nodes], [this.#prefix, deadNode, k.channel, tombstoneMs]);
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

	async nodes(): Promise<string[]> {
		return this.#redis.smembers(this.#keys.nodes);
	}

	/** Stops this node's heartbeat at once, so a sweep may free what it still holds. */
	async stopHeartbeat(): Promise<void> {
		await this.#redis.del(this.#keys.node(this.#node));
	}
}
