// A room's shared state in Redis, and the Lua scripts that change it. Every
// key of one room, its log's keys and its channel carry the same `{room}`
// hash tag, so each script touches one cluster slot and runs atomically: a
// membership change and the event announcing it take one place in the
// room's channel, after the messages before it.
//
// Keys (P = prefix, R = the room's conversation key, e.g. "#rust"):
//   P{R}:members  zset     name key -> join sequence (the room's join order)
//   P{R}:who      hash     name key -> node id (16 bytes) + the name as its holder spells it
//   P{R}:holders  hash     name key -> the ids of every node with a connection of that name in the room,
//                          concatenated (one account may be in the room from several nodes)
//   P{R}:room     hash     name (the room as created), joins (the join sequence)
//   P{R}:deleting str      set while a node runs the room's deletion handler (joins wait)
//   P{R}:events   channel  (sharded) node id + one encoded frame: the room's traffic
//   P rooms       zset     R -> +inf while it has members, else the time (ms) it is deleted
//   P rooms:ID    set      the rooms node ID has members in (what a sweep must clean)
// When the last member leaves, the room's deletion time goes into `rooms`;
// when it comes, one node (the one whose ZREM took it) runs the server's
// deletion handler and deletes the keys. The keys also expire a while after
// that time, so a room is deleted even if no node runs then; a join before it
// makes them permanent again. The `rooms` zset, which counts the cluster's
// rooms against the limit, lives outside any room's slot, so it is changed
// by separate calls beside the room's scripts.
import type {RedisClient} from '../store/redis-connect.js';
import {conversationKeys} from '../store/redis-log-scripts.js';
import {Script} from './script.js';

export type RoomKeys = {
	members: string;
	who: string;
	room: string;
	/** Set while one node runs the room's deletion handler: joins wait. */
	deleting: string;
	channel: string;
	/** Name key → the nodes holding that name in the room. */
	holders: string;
	/** The log's keys, which expire with the room. */
	log: string;
	stream: string;
};

export function roomKeys(prefix: string, conversation: string): RoomKeys {
	const tag = `${prefix}{${conversation}}`;
	const log = conversationKeys(prefix, conversation);
	return {members: `${tag}:members`, who: `${tag}:who`, room: `${tag}:room`, deleting: `${tag}:deleting`, holders: `${tag}:holders`, channel: `${tag}:events`, log: log.log, stream: log.stream};
}

export function roomIndexKeys(prefix: string): {rooms: string; nodeRooms(node: string): string} {
	return {rooms: `${prefix}rooms`, nodeRooms: node => `${prefix}rooms:${node}`};
}

/** The keys a room's scripts take, in this order: KEYS[1..5] and KEYS[7] expire together, KEYS[6] is the deletion mark. */
const KEY_LIST = (keys: RoomKeys) => [keys.members, keys.who, keys.room, keys.log, keys.stream, keys.deleting, keys.holders];

/** How long after its deletion time an empty room's keys expire on their own (when no node deleted it). */
export const EXPIRY_GRACE_MS = 60 * 60 * 1000;
/** How long a node may take to run a deletion handler before joins stop waiting for it. */
const DELETION_HOLD_MS = 60_000;


/** The members' names in join order: the tail of every `who` value. KEYS[1] members, KEYS[2] who. */
const MEMBER_NAMES = `
local function memberNames()
	local keys = redis.call('ZRANGE', KEYS[1], 0, -1)
	local names = {}
	if #keys == 0 then return names end
	for _, who in ipairs(redis.call('HMGET', KEYS[2], unpack(keys))) do
		if who then names[#names + 1] = string.sub(who, 17) end
	end
	return names
end
`;

/**
 * The nodes holding a name in the room, as a list of 16-byte ids. The name
 * enters the room with its first holder and leaves it with its last.
 * KEYS[2] who, KEYS[HOLDERS] holders (HOLDERS is set by the script).
 */
const HOLDERS = `
local function holdersOf(key)
	local list = redis.call('HGET', KEYS[HOLDERS], key)
	if list then return list end
	local who = redis.call('HGET', KEYS[2], key)
	if who then return string.sub(who, 1, 16) end
	return ''
end
local function holds(list, node)
	for index = 1, #list, 16 do
		if string.sub(list, index, index + 15) == node then return true end
	end
	return false
end
local function without(list, node)
	local rest = ''
	for index = 1, #list, 16 do
		local id = string.sub(list, index, index + 15)
		if id ~= node then rest = rest .. id end
	end
	return rest
end
-- Takes node off the name's holders: true when it was the last (the name is out of the room).
local function dropHolder(key, node)
	local rest = without(holdersOf(key), node)
	if rest ~= '' then
		redis.call('HSET', KEYS[HOLDERS], key, rest)
		local who = redis.call('HGET', KEYS[2], key)
		if who and string.sub(who, 1, 16) == node then redis.call('HSET', KEYS[2], key, string.sub(rest, 1, 16) .. string.sub(who, 17)) end
		return false
	end
	redis.call('ZREM', KEYS[1], key)
	redis.call('HDEL', KEYS[2], key)
	redis.call('HDEL', KEYS[HOLDERS], key)
	return true
end
-- Adds node to the name's holders: true when it is the first (the name enters the room).
local function addHolder(key, node, name)
	local list = holdersOf(key)
	local first = not redis.call('ZSCORE', KEYS[1], key)
	if first then
		redis.call('ZADD', KEYS[1], redis.call('HINCRBY', KEYS[3], 'joins', 1), key)
		list = ''
	end
	if not holds(list, node) then redis.call('HSET', KEYS[HOLDERS], key, list .. node) end
	local who = redis.call('HGET', KEYS[2], key)
	if first or not who or string.sub(who, 1, 16) == node then redis.call('HSET', KEYS[2], key, node .. name) end
	return first
end
`;

/** Makes the room's keys permanent (a member is in it) or expiring (empty). KEYS[1..5]. */
const LIFETIME = `
local function keepRoom(ttl)
	local left = redis.call('ZCARD', KEYS[1])
	for _, index in ipairs({1, 2, 3, 4, 5, 7}) do
		if left == 0 then redis.call('PEXPIRE', KEYS[index], ttl) else redis.call('PERSIST', KEYS[index]) end
	end
	return left
end
local function create(name)
	if redis.call('HSETNX', KEYS[3], 'name', name) == 1 then redis.call('HSET', KEYS[3], 'joins', 0) end
end
`;

/**
 * A member joins. KEYS (KEY_LIST); ARGV node key name roomName keyTtlMs.
 * Returns {0} while a deletion runs, else {1, entered (1: the name was in
 * the room on no node), the room's name, the member names in join order...}.
 */
const join = new Script(
	7,
	`local HOLDERS = 7
${MEMBER_NAMES}${LIFETIME}${HOLDERS}
if redis.call('EXISTS', KEYS[6]) == 1 then return {0} end
create(ARGV[4])
local entered = addHolder(ARGV[2], ARGV[1], ARGV[3]) and 1 or 0
keepRoom(ARGV[5])
local result = memberNames()
table.insert(result, 1, redis.call('HGET', KEYS[3], 'name'))
table.insert(result, 1, entered)
table.insert(result, 1, 1)
return result
`,
);

/**
 * A member leaves. KEYS (KEY_LIST); ARGV node key keyTtlMs.
 * Returns {the members left, 1 when the name left the room (no other node
 * holds it there) else 0}, or {-1, 0} when this node did not have that member there.
 */
const leave = new Script(
	7,
	`local HOLDERS = 7
${LIFETIME}${HOLDERS}
if not holds(holdersOf(ARGV[2]), ARGV[1]) then return {-1, 0} end
local gone = dropHolder(ARGV[2], ARGV[1]) and 1 or 0
return {keepRoom(ARGV[3]), gone}
`,
);

/**
 * A member's new name, in its old place. KEYS members who holders; ARGV node oldKey newKey newName.
 * Returns 1, or 0 when this node did not have the old name there. Announced in the lobby, not here.
 * (An account, the one name several nodes can hold, is never renamed.)
 */
const rename = new Script(
	3,
	`local HOLDERS = 3
${HOLDERS}
if not holds(holdersOf(ARGV[2]), ARGV[1]) then return 0 end
local score = redis.call('ZSCORE', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[HOLDERS], ARGV[2])
redis.call('ZADD', KEYS[1], score, ARGV[3])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[1] .. ARGV[4])
redis.call('HSET', KEYS[HOLDERS], ARGV[3], ARGV[1])
return 1
`,
);

/**
 * Makes a node's members of the room exactly the given list, announcing who
 * left the room (client-exit: no other node holds the name there) and who
 * came into it (client-enter: no other node held it) in the room's channel
 * as if sent by `header`: a sweeper passes the dead node's id, so that every
 * live node delivers. KEYS (KEY_LIST); ARGV node header channel keyTtlMs
 * roomName, then key name pairs. Returns the members left.
 */
const sync = new Script(
	7,
	`local HOLDERS = 7
${LIFETIME}${HOLDERS}
local node, header, channel, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if #ARGV > 5 then create(ARGV[5]) end
local roomField = cjson.encode(redis.call('HGET', KEYS[3], 'name') or ARGV[5])
local function announce(cmd, name)
	redis.call('SPUBLISH', channel, header .. '{"cmd":"' .. cmd .. '","user":' .. cjson.encode(name) .. ',"room":' .. roomField .. '}\\n')
end
local wanted = {}
for index = 6, #ARGV, 2 do wanted[ARGV[index]] = ARGV[index + 1] end
local all = redis.call('HGETALL', KEYS[2])
for index = 1, #all, 2 do
	local key, who = all[index], all[index + 1]
	if holds(holdersOf(key), node) then
		if wanted[key] then
			if string.sub(who, 1, 16) == node and string.sub(who, 17) ~= wanted[key] then redis.call('HSET', KEYS[2], key, node .. wanted[key]) end
			wanted[key] = nil
		elseif dropHolder(key, node) then
			announce('client-exit', string.sub(who, 17))
		end
	end
end
for index = 6, #ARGV, 2 do
	local key, name = ARGV[index], ARGV[index + 1]
	if wanted[key] and addHolder(key, node, name) then announce('client-enter', name) end
end
return keepRoom(ttl)
`,
);

/** The members' names in join order. KEYS members who. */
const members = new Script(
	2,
	`${MEMBER_NAMES}
return memberNames()
`,
);

/**
 * Starts deleting an empty room: marks it so that joins wait. KEYS (KEY_LIST); ARGV holdMs.
 * Returns false when a member is in it (it is not to be deleted), else its name ('' if unknown).
 */
const beginDelete = new Script(
	7,
	`
if redis.call('ZCARD', KEYS[1]) > 0 then return false end
redis.call('SET', KEYS[6], '1', 'PX', ARGV[1])
return redis.call('HGET', KEYS[3], 'name') or ''
`,
);

/** Deletes every key of the room, the mark last, so waiting joins create it afresh. KEYS (KEY_LIST). */
const endDelete = new Script(
	7,
	`
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[7], KEYS[6])
return 1
`,
);

const NOW = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
`;

/**
 * Counts a room against the cluster's limit. KEYS rooms; ARGV room limit.
 * Returns 1 (counted, and marked occupied); 0 when the room is new and the
 * cluster holds `limit` rooms, none of them empty; or the key of a room to
 * delete first: this one, when its deletion time has passed, or the
 * longest-empty one, when the cluster is full.
 */
const reserve = new Script(
	1,
	`${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and score ~= 'inf' and tonumber(score) <= now then return ARGV[1] end
if not score and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
	local oldest = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(inf', 'LIMIT', 0, 1)
	if #oldest == 0 then return 0 end
	return oldest[1]
end
redis.call('ZADD', KEYS[1], 'inf', ARGV[1])
return 1
`,
);

/** Marks a room empty: it is deleted once `ttlMs` has passed. KEYS rooms; ARGV room ttlMs. */
const vacate = new Script(
	1,
	`${NOW}
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
`,
);

/**
 * Takes an empty room off the count to delete it: the one node whose call
 * returns 1 deletes it. KEYS rooms; ARGV room force ('1': before its time, to make room).
 */
const claimDeletion = new Script(
	1,
	`${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or score == 'inf' then return 0 end
if ARGV[2] ~= '1' and tonumber(score) > now then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
`,
);

/** A room as `rooms` lists it, with its key. */
export type RoomCount = {room: string; key: string; users: number};

export type ReserveOutcome = {kind: 'counted'} | {kind: 'full'} | {kind: 'delete-first'; key: string};

/** The room scripts bound to one node, with typed results. */
export class RoomScripts {
	readonly #redis: RedisClient;
	readonly #prefix: string;
	readonly #node: string;
	readonly #ttlMs: number;
	readonly #keyTtlMs: number;
	readonly #index: ReturnType<typeof roomIndexKeys>;

	constructor(redis: RedisClient, prefix: string, node: string, emptyRoomTtlMs: number) {
		this.#redis = redis;
		this.#prefix = prefix;
		this.#node = node;
		this.#ttlMs = emptyRoomTtlMs;
		this.#keyTtlMs = emptyRoomTtlMs + EXPIRY_GRACE_MS;
		this.#index = roomIndexKeys(prefix);
	}

	keys(key: string): RoomKeys {
		return roomKeys(this.#prefix, key);
	}

	async reserve(key: string, limit: number): Promise<ReserveOutcome> {
		const result = await reserve.run(this.#redis, [this.#index.rooms], [key, limit]);
		if (typeof result === 'string') return {kind: 'delete-first', key: result};
		return Number(result) === 1 ? {kind: 'counted'} : {kind: 'full'};
	}

	/**
	 * Joins; undefined while the room's deletion runs, else its name, the
	 * member names in join order, and whether the name entered the room (no
	 * other node held it there).
	 */
	async join(key: string, roomName: string, nameKey: string, name: string): Promise<{room: string; names: string[]; entered: boolean} | undefined> {
		const [ok, entered, room, ...names] = (await join.run(this.#redis, KEY_LIST(this.keys(key)), [this.#node, nameKey, name, roomName, this.#keyTtlMs])) as [number, number?, string?, ...string[]];
		if (Number(ok) !== 1) return undefined;
		return {room: String(room), names: names.map(String), entered: Number(entered) === 1};
	}

	/**
	 * Leaves; `left` is the members left (0: the room is empty now, -1: not a
	 * member here), `gone` whether the name left the room (no other node holds it there).
	 */
	async leave(key: string, nameKey: string): Promise<{left: number; gone: boolean}> {
		const [left, gone] = (await leave.run(this.#redis, KEY_LIST(this.keys(key)), [this.#node, nameKey, this.#keyTtlMs])) as [number, number];
		return {left: Number(left), gone: Number(gone) === 1};
	}

	async rename(key: string, oldKey: string, newKey: string, newName: string): Promise<boolean> {
		const keys = this.keys(key);
		return Number(await rename.run(this.#redis, [keys.members, keys.who, keys.holders], [this.#node, oldKey, newKey, newName])) === 1;
	}

	/**
	 * Makes `node`'s members of the room exactly `wanted` (name key → name),
	 * announcing the difference as from `header`. Returns the members left.
	 */
	async sync(key: string, node: string, header: string, roomName: string, wanted: ReadonlyArray<readonly [string, string]>): Promise<number> {
		const keys = this.keys(key);
		const args: Array<string | number> = [node, header, keys.channel, this.#keyTtlMs, roomName];
		for (const [nameKey, name] of wanted) args.push(nameKey, name);
		return Number(await sync.run(this.#redis, KEY_LIST(keys), args));
	}

	async members(key: string): Promise<string[]> {
		const keys = this.keys(key);
		const names = await members.run(this.#redis, [keys.members, keys.who], []);
		return Array.isArray(names) ? names.map(String) : [];
	}

	/** The room has no member left: it is deleted after the empty-room TTL. */
	async vacate(key: string): Promise<void> {
		await vacate.run(this.#redis, [this.#index.rooms], [key, this.#ttlMs]);
	}

	/** Empty rooms whose deletion time has passed (a few at a time). */
	async due(): Promise<string[]> {
		return this.#redis.zrangebyscore(this.#index.rooms, '-inf', Date.now(), 'LIMIT', 0, 100);
	}

	/** True for the one caller that is to delete the room (`force`: before its time, to make room). */
	async claimDeletion(key: string, force: boolean): Promise<boolean> {
		return Number(await claimDeletion.run(this.#redis, [this.#index.rooms], [key, force ? '1' : ''])) === 1;
	}

	/** Marks the room as being deleted; undefined when a member joined meanwhile, else its name as created. */
	async beginDelete(key: string): Promise<string | undefined> {
		const name = await beginDelete.run(this.#redis, KEY_LIST(this.keys(key)), [DELETION_HOLD_MS]);
		return typeof name === 'string' ? name || key : undefined;
	}

	async endDelete(key: string): Promise<void> {
		await endDelete.run(this.#redis, KEY_LIST(this.keys(key)), []);
	}

	/** Every counted room with its member count and the name it was created with, empty ones included. */
	async list(): Promise<RoomCount[]> {
		const keys = await this.#redis.zrange(this.#index.rooms, 0, -1);
		if (keys.length === 0) return [];
		// Each room lives in its own slot (on a cluster, maybe on another shard): one call each, sent together.
		return Promise.all(keys.map(async key => {
			const room = this.keys(key);
			const [name, users] = await Promise.all([this.#redis.hget(room.room, 'name'), this.#redis.zcard(room.members)]);
			return {room: name ?? key, key, users};
		}));
	}

	/** Records that this node has members in these rooms. */
	async noteRooms(keys: string[]): Promise<void> {
		if (keys.length > 0) await this.#redis.sadd(this.#index.nodeRooms(this.#node), ...keys);
	}

	async forgetRooms(keys: string[]): Promise<void> {
		if (keys.length > 0) await this.#redis.srem(this.#index.nodeRooms(this.#node), ...keys);
	}

	/** The rooms `node` had members in, as Redis last heard. */
	async roomsOf(node: string): Promise<string[]> {
		return this.#redis.smembers(this.#index.nodeRooms(node));
	}

	async dropRoomsOf(node: string): Promise<void> {
		await this.#redis.del(this.#index.nodeRooms(node));
	}

	/** Counts these rooms as occupied (a last part racing a join can leave one marked empty). */
	async occupy(keys: string[]): Promise<void> {
		if (keys.length === 0) return;
		await this.#redis.zadd(this.#index.rooms, ...keys.flatMap(key => ['inf', key]));
	}
}
