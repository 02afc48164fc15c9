// Every timing of the Redis hub is a named option with a default. The
// defaults keep a crashed node's users visible for at most ~13 s (TTL plus
// one heartbeat), well inside the 30 s the cluster promises; tests shrink
// them to make a crash play out in a couple of seconds.
import {EMPTY_ROOM_TTL_MS, MAX_ROOMS_PER_CONNECTION, MAX_ROOMS_PER_SERVER} from '../../protocol/rooms.js';

export type RedisHubOptions = {
	/** Prefix of every key and of the channel, so several clusters can share one Redis. @default 'codechat:' */
	prefix: string;
	/** How often this node refreshes its heartbeat key and looks for dead nodes. @default 3000 */
	heartbeatMs: number;
	/** Lifetime of the heartbeat key: a node silent for this long is dead. @default 10000 */
	nodeTtlMs: number;
	/** A Redis call that takes longer fails, and the hub falls back to local checks. @default 2000 */
	commandTimeoutMs: number;
	/** Longest wait between reconnect attempts. @default 2000 */
	maxReconnectDelayMs: number;
	/** How long `RedisHub.connect` waits for Redis before giving up. @default 5000 */
	startTimeoutMs: number;
	/** Where the hub's own log lines go (degraded, reconciled, node gone). @default stderr */
	log: (line: string) => void;
	/** An empty room is deleted this long after its last member left. @default EMPTY_ROOM_TTL_MS (24 h) */
	emptyRoomTtlMs: number;
	/** Rooms in the cluster, `#lobby` included. @default MAX_ROOMS_PER_SERVER */
	maxRooms: number;
	/** Rooms per member, `#lobby` included. @default MAX_ROOMS_PER_CONNECTION */
	maxRoomsPerMember: number;
	/** Fixed node id (16 hex digits); random when omitted. */
	nodeId?: string;
};

export const DEFAULT_REDIS_HUB_OPTIONS: Readonly<Omit<RedisHubOptions, 'nodeId'>> = {
	prefix: 'codechat:',
	heartbeatMs: 3000,
	nodeTtlMs: 10_000,
	commandTimeoutMs: 2000,
	maxReconnectDelayMs: 2000,
	startTimeoutMs: 5000,
	emptyRoomTtlMs: EMPTY_ROOM_TTL_MS,
	maxRooms: MAX_ROOMS_PER_SERVER,
	maxRoomsPerMember: MAX_ROOMS_PER_CONNECTION,
	log: line => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
};

export class RedisHubOptionsError extends Error {
	override name = 'RedisHubOptionsError';
}

/** Node ids are fixed-width so a published payload is `id + frame` with no separator to parse. */
export const NODE_ID_LENGTH = 16;

export function resolveRedisHubOptions(partial: Partial<RedisHubOptions> = {}): RedisHubOptions {
	const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
	const options: RedisHubOptions = {...DEFAULT_REDIS_HUB_OPTIONS, ...defined};
	for (const name of ['heartbeatMs', 'nodeTtlMs', 'commandTimeoutMs', 'maxReconnectDelayMs', 'startTimeoutMs', 'emptyRoomTtlMs', 'maxRooms', 'maxRoomsPerMember'] as const) {
		const value = options[name];
		if (!Number.isInteger(value) || value < 1) throw new RedisHubOptionsError(`${name} must be a positive integer, got ${String(value)}`);
	}

	// A heartbeat slower than the TTL would let a healthy node look dead.
	if (options.nodeTtlMs < 2 * options.heartbeatMs) {
		throw new RedisHubOptionsError(`nodeTtlMs (${options.nodeTtlMs}) must be at least twice heartbeatMs (${options.heartbeatMs})`);
	}

	if (options.nodeId !== undefined && !new RegExp(`^[0-9a-f]{${NODE_ID_LENGTH}}$`).test(options.nodeId)) {
		throw new RedisHubOptionsError(`nodeId must be ${NODE_ID_LENGTH} lowercase hex digits`);
	}

	return options;
}
