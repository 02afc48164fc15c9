// A Hub that makes several `codechat-tui serve` processes one server, over one
// Redis: the name registry and roster live in Redis (changed only by the Lua
// scripts in redis/scripts.ts), rooms and their members too (room-scripts.ts,
// run by cluster-rooms.ts), and frames cross nodes on sharded pub/sub
// channels: one per room (`#lobby` included), which a node listens to only
// while it has members in that room, and one per node for direct messages.
//
// GUARANTEES (what the README's "Running a cluster" section promises)
// - Fan-out: a message, client-enter, client-exit or client-rename in a room
//   reaches that room's members on every node while Redis is reachable, and
//   nobody else. A node hands its own clients a frame directly and skips its
//   own frames on the channel, so nobody gets a frame twice.
// - Order: per sender and room. One user's events in a room arrive everywhere
//   in the order the user caused them (one Redis connection per node, one
//   channel per room). `#lobby`'s membership events (enter/exit/rename) are
//   published by the same atomic script that changes the registry, so they
//   are also in registry order: a name's new holder never "enters" before the
//   old holder's "exit". With the log, a room's messages carry one seq order,
//   and every node delivers them in it (the append script publishes them).
// - Names: unique across the cluster, case-insensitively, by an atomic claim
//   in Redis; freed on exit. get-clients lists the cluster in join order, and
//   get-clients {room} the room's members in the order they joined it.
// - Accounts (§11): up to five connections of one account across the
//   cluster, counted per node in Redis. The others see the first one's
//   client-enter and the last one's client-exit in #lobby; a crashed node's
//   connections are subtracted by its sweep, with no exit while another node
//   holds the name. A direct message reaches every node holding the name.
//   A room counts the nodes holding each name in it: the others hear
//   client-enter when the first of them joins and client-exit when the last
//   leaves (part, exit, a crashed node's sweep, reconciliation).
// - Rooms: the 10,000-room limit counts the cluster; an empty room is deleted
//   after `emptyRoomTtlMs` (24 h) by the one node that takes it off the count.
// - Direct messages go to the node that holds the recipient's name, on its
//   channel; `no-such-user` when no node holds it or its holder did not list
//   `direct`.
// - A crashed node: its heartbeat key expires after `nodeTtlMs` (10 s); within
//   one `heartbeatMs` (3 s) a surviving node frees its names, takes them out
//   of their rooms and publishes one client-exit per user and room. Exactly
//   one survivor does it (removing the node from the node set is the lock).
//   So a crashed node's users leave within ~13 s.
// - A Redis outage: delivery across nodes is at-most-once. Each node keeps
//   serving its own clients (local fan-out, names checked locally only,
//   get-clients and rooms list local users, rooms joined and parted on this
//   node only), sets `degraded`, and logs it once. Frames sent during the
//   outage do not reach other nodes and are not replayed.
// - Reconciliation, when Redis is back: the node re-claims its users' names
//   in their local join order, announces users who joined or were renamed
//   during the outage, and announces the exits of those who left; then it
//   makes each of its rooms in Redis hold exactly its local members there,
//   announcing the difference in the room. A name that
//   two nodes both accepted during the outage stays with whoever holds it in
//   Redis first, i.e. the node that kept its Redis connection, or, after a
//   Redis restart, the first node to reconcile; the other node disconnects
//   its user (the client reconnects and is told the name is taken). Rosters
//   that drifted during the outage are repaired by the clients' periodic
//   get-clients (every 30 s). After a Redis restart the cross-node join order
//   is the order in which the nodes reconciled.
// - Redis Cluster: `url` may be comma-separated seeds of a cluster. Each
//   room's keys and channel share a `{room}` hash tag, the name registry
//   lives in the lobby's (scripts.ts), so every script runs on one shard.
//   Persistence is not needed (an empty Redis after a restart is rebuilt).
import {randomBytes} from 'node:crypto';
import type {RedisOptions} from 'ioredis';
import {encodeFrameBytes} from '../../protocol/encoder.js';
import {nameKey} from '../../protocol/limits.js';
import type {ChatEvent, RoomSummary} from '../../protocol/types.js';
import {awayAmong, LOBBY, type AccountClaim, type Hub, type HubMember, type JoinOutcome, type RoomFeature, type RoomName} from '../hub.js';
import {cachedRoomKey, RoomMembers, type LocalRoom} from '../room-members.js';
import type {MessageLog} from '../store/message-log.js';
import {createRedisClient, detectTopology, isCluster, type RedisClient} from '../store/redis-connect.js';
import {SeenSeqs} from '../store/redis-seen-seqs.js';
import {ChannelSubscriptions} from './channel-subscriptions.js';
import {ClusterRooms, type MemberName} from './cluster-rooms.js';
import {directEnvelope, envelope, frameEnd, isMembershipEvent, isMessageEvent, messageEpoch, messageSeq, messageUser, openDirectEnvelope, openEnvelope} from './frames.js';
import {NODE_ID_LENGTH, resolveRedisHubOptions, type RedisHubOptions} from './options.js';
import {OwnSends, type RoomSends, type WaitingSender} from './own-sends.js';
import {ClusterScripts, clusterKeys} from './scripts.js';
import {TickLog} from './tick-log.js';

/** A local user as this node knows it. */
type Entry = {
	name: string;
	key: string;
	/** The name the other nodes were told about; undefined when they were told nothing (joined during an outage). */
	announced: string | undefined;
	/** Whether Redis holds `name` for this node as far as we know. */
	inRedis: boolean;
	/** Whether the member accepts direct messages (fixed at claim). */
	direct: boolean;
	/** An account's connection (§11): others of the account, here and on other nodes, may hold the name too. */
	account: boolean;
};

/** A user who left; Redis still has to free the name and tell the others (with the user's exit reason). */
type Departure = {name: string; announced: string | undefined; reason?: string; account?: boolean};

/** A member that can be disconnected (the server's Connection can). */
type ClosableMember = HubMember & {close(reason: string): Promise<void>};

/** A swept node's tombstone lives this long, so a node that was only paused learns it was declared dead. */
const TOMBSTONE_MS = 60 * 60 * 1000;
/** Reconciliation passes before giving up until the next heartbeat (users keep changing under it). */
const MAX_RECONCILE_PASSES = 5;

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

export class RedisHub implements Hub {
	/**
	 * Loads ioredis (only now: a server without --redis never loads it),
	 * connects, registers this node and starts its heartbeat. Rejects when
	 * Redis does not answer within `startTimeoutMs`.
	 */
	static async connect(url: string, options: Partial<RedisHubOptions> = {}): Promise<RedisHub> {
		const resolved = resolveRedisHubOptions(options);
		const topology = await detectTopology(url, resolved.startTimeoutMs);
		const nodeId = resolved.nodeId ?? randomBytes(NODE_ID_LENGTH / 2).toString('hex');
		const connection: RedisOptions = {
			// Fail at once while disconnected, and fail what was in flight when the
			// connection dropped, so the hub falls back to local checks instead of waiting.
			enableOfflineQueue: false,
			autoResendUnfulfilledCommands: false,
			maxRetriesPerRequest: 1,
			commandTimeout: resolved.commandTimeoutMs,
			connectTimeout: resolved.startTimeoutMs,
			retryStrategy: times => Math.min(times * 100, resolved.maxReconnectDelayMs),
		};
		const open = async (connectionName: string) => createRedisClient(topology, {...connection, connectionName});
		const hub = new RedisHub(await open(`codechat-${nodeId}`), await open(`codechat-${nodeId}-sub`), {...resolved, nodeId});
		try {
			await hub.#start();
		} catch (error) {
			await hub.close();
			throw error;
		}

		return hub;
	}

	readonly nodeId: string;
	readonly roomFeatures: readonly RoomFeature[] = ['rooms', 'direct'];
	readonly #nodeIdBytes: Buffer;
	readonly #options: RedisHubOptions;
	/** Commands and publishes: one connection (per shard), so one node's frames keep their order. */
	readonly #redis: RedisClient;
	/** The subscription (a subscribed connection can run nothing else). */
	readonly #subscriber: RedisClient;
	readonly #scripts: ClusterScripts;
	readonly #subscriptions: ChannelSubscriptions;
	readonly #cluster: ClusterRooms;
	/** This node's direct-message channel: the direct messages to its users. */
	readonly #directChannel: string;
	/** §13: the cluster's away reasons. */
	readonly #awayKey: string;
	/** Insertion order is the local join order; a rename keeps the place. */
	readonly #entries = new Map<HubMember, Entry>();
	/** Name key → its holders here: one, or several connections of an account. */
	readonly #holders = new Map<string, HubMember[]>();
	readonly #rooms = new RoomMembers();
	/** Name keys with a claim or rename in flight, so two local users cannot both get one. */
	readonly #reserved = new Set<string>();
	/** §13: this node's users' away reasons, for while Redis is unreachable. */
	readonly #localAway = new Map<string, string>();
	#departures: Departure[] = [];
	#degraded = true;
	#started = false;
	#closed = false;
	#lastError = '';
	#syncing: Promise<void> | undefined;
	#syncAgain = false;
	#ticking = false;
	#timer: NodeJS.Timeout | undefined;
	/**
	 * Set once the shared log is open: its append script publishes every
	 * stored message, and this hub delivers them all, its own node's too, from
	 * the channel, which carries them in seq order whichever node sent them.
	 */
	#logPublishes = false;
	/** Own stored messages between their append's reply and their copy on the channel. */
	readonly #ownSends: OwnSends;
	/** The newest seq seen per room, every node's messages included, so the log notices a counter that went back. */
	readonly #seen = new SeenSeqs();

	private constructor(redis: RedisClient, subscriber: RedisClient, options: RedisHubOptions & {nodeId: string}) {
		this.#options = options;
		this.nodeId = options.nodeId;
		this.#nodeIdBytes = Buffer.from(this.nodeId);
		this.#ownSends = new OwnSends(options.commandTimeoutMs);
		this.#redis = redis;
		this.#subscriber = subscriber;
		this.#scripts = new ClusterScripts(this.#redis, this.#options.prefix, this.nodeId);
		this.#directChannel = clusterKeys(this.#options.prefix).directChannel(this.nodeId);
		this.#awayKey = `${this.#options.prefix}away`;
		this.#subscriptions = new ChannelSubscriptions(this.#subscriber);
		const {prefix, emptyRoomTtlMs, maxRooms} = this.#options;
		this.#cluster = new ClusterRooms(this.#redis, this.#subscriptions, this.#rooms, member => this.#nameOf(member), {prefix, nodeId: this.nodeId, emptyRoomTtlMs, maxRooms});
		for (const redis of [this.#redis, this.#subscriber]) {
			redis.on('error', (error: Error) => {
				this.#lastError = error.message;
			});
			redis.on('close', () => this.#enterDegraded(`connection lost${this.#lastError ? ` (${this.#lastError})` : ''}`));
			redis.on('ready', () => this.#onReady());
		}

		this.#subscriber.on('smessageBuffer', (channel: Buffer, payload: Buffer) => this.#receive(channel, payload));
	}

	/** True while Redis is unreachable (or not yet reconciled): only local clients are served. */
	get degraded(): boolean {
		return this.#degraded;
	}

	// ---- Hub ----

	async claim(name: string, member: HubMember): Promise<boolean> {
		await this.#afterSync();
		const key = nameKey(name);
		if (this.#entries.has(member) || this.#holders.has(key) || this.#reserved.has(key)) return false;
		const direct = member.acceptsDirect === true;
		if (this.#degraded) {
			this.#add(member, {name, key, announced: undefined, inRedis: false, direct, account: false});
			return true;
		}

		this.#reserved.add(key);
		try {
			const result = await this.#scripts.claim(key, name, this.#envelope({cmd: 'client-enter', user: name}), direct);
			if (result === 0) return false;
			this.#add(member, {name, key, announced: name, inRedis: true, direct, account: false});
		} catch (error) {
			this.#enterDegraded(`claim failed (${describe(error)})`);
			this.#add(member, {name, key, announced: undefined, inRedis: false, direct, account: false});
		} finally {
			this.#reserved.delete(key);
		}

		return true;
	}

	/**
	 * §11: the account's holder count lives in Redis (per node, for the
	 * sweep), so the limit counts the cluster and only the first holder's
	 * client-enter, and the last one's client-exit, are published.
	 */
	async claimAccount(name: string, member: HubMember, max: number): Promise<AccountClaim> {
		await this.#afterSync();
		const key = nameKey(name);
		const local = this.#holders.get(key) ?? [];
		const own = this.#entries.get(member);
		if (own) {
			if (own.key !== key) return {ok: false, reason: 'taken'};
			if (!own.account) await this.#makeAccount(own, max);
			return {ok: true, first: false};
		}

		const localEntry = local[0] && this.#entries.get(local[0]);
		if ((localEntry && !localEntry.account) || this.#reserved.has(key)) return {ok: false, reason: 'taken'};
		const direct = member.acceptsDirect === true;
		const hold = (spelling: string, inRedis: boolean) => {
			this.#add(member, {name: spelling, key, announced: inRedis ? spelling : undefined, inRedis, direct, account: true});
		};

		if (!this.#degraded) {
			try {
				const claimed = await this.#scripts.claimAccount(key, name, this.#envelope({cmd: 'client-enter', user: name}), direct, max);
				switch (claimed.result) {
					case 'taken': return {ok: false, reason: 'taken'};
					case 'full': return {ok: false, reason: 'full', holders: [...(this.#holders.get(key) ?? [])]};
					case 'beside':
					case 'first': {
						hold(claimed.name, true);
						return {ok: true, first: claimed.result === 'first'};
					}
					default: {
						const unknown: never = claimed.result;
						throw new Error(`unknown claim result ${String(unknown)}`);
					}
				}
			} catch (error) {
				this.#enterDegraded(`claim failed (${describe(error)})`);
			}
		}

		// During an outage the limit and the first holder are this node's; the reconciliation puts the count in Redis.
		const holders = this.#holders.get(key) ?? [];
		if (holders.length >= max) return {ok: false, reason: 'full', holders: [...holders]};
		hold(holders[0] ? this.#entries.get(holders[0])!.name : name, false);
		return {ok: true, first: holders.length === 0};
	}

	async rename(member: HubMember, newname: string): Promise<boolean> {
		await this.#afterSync();
		const entry = this.#entries.get(member);
		if (!entry) return false;
		const key = nameKey(newname);
		if (key !== entry.key && (this.#holders.has(key) || this.#reserved.has(key))) return false;
		if (this.#degraded || !entry.inRedis) {
			this.#move(member, entry, newname);
			entry.inRedis = false;
			return true;
		}

		this.#reserved.add(key);
		try {
			const payload = entry.announced === undefined
				? this.#envelope({cmd: 'client-enter', user: newname})
				: this.#envelope({cmd: 'client-rename', user: newname, oldname: entry.announced, newname});
			if (!(await this.#scripts.rename(entry.key, key, newname, payload, entry.direct))) return false;
			const oldKey = entry.key;
			this.#move(member, entry, newname);
			entry.announced = newname;
			await this.#cluster.rename(this.#roomsOf(member), oldKey, {key, name: newname});
		} catch (error) {
			this.#enterDegraded(`rename failed (${describe(error)})`);
			this.#move(member, entry, newname);
			entry.inRedis = false;
		} finally {
			this.#reserved.delete(key);
		}

		return true;
	}

	async release(member: HubMember, reason?: string): Promise<RoomName[]> {
		await this.#afterSync();
		const entry = this.#entries.get(member);
		if (!entry) return [];
		const everywhere = this.#remove(member, entry);
		// Rooms where another connection of the account stays here: the user is still in them.
		const staying = this.#holders.get(entry.key) ?? [];
		const left = everywhere.filter(room => !staying.some(other => this.#rooms.roomOf(other, room.key)));
		const rooms = left.filter(room => room.key !== LOBBY);
		const deaf = this.#cluster.deaf(rooms);
		const departure = {name: entry.name, announced: entry.announced, reason, account: entry.account};
		if (this.#degraded) {
			// Its rooms are put right in Redis by the reconciliation (it syncs every room of this node).
			this.#departures.push(departure);
			return left;
		}

		const [name, memberships] = await Promise.allSettled([this.#releaseInRedis(departure), this.#cluster.leave(rooms, entry, deaf)]);
		if (name.status === 'rejected') {
			this.#enterDegraded(`release failed (${describe(name.reason)})`);
			this.#departures.push(departure);
		}

		// The reconciliation syncs every room of this node, so a failed room leave needs no record.
		if (memberships.status === 'rejected') this.#enterDegraded(`release failed (${describe(memberships.reason)})`);

		// Rooms where a connection of the account on another node stays: the user is still in them.
		const stayed = memberships.status === 'fulfilled' ? memberships.value : new Set<string>();
		const gone = left.filter(room => !stayed.has(room.key));
		// Another node still holds the account's name: the user has not left #lobby.
		if (name.status === 'fulfilled' && !name.value) return gone.filter(room => room.key !== LOBBY);
		return gone;
	}

	async roster(): Promise<string[]> {
		await this.#afterSync();
		if (!this.#degraded) {
			try {
				return await this.#scripts.roster();
			} catch (error) {
				this.#enterDegraded(`roster failed (${describe(error)})`);
			}
		}

		return [...new Set([...this.#entries.values()].map(entry => entry.name))];
	}

	async join(room: string, member: HubMember): Promise<JoinOutcome> {
		await this.#afterSync();
		const key = cachedRoomKey(room);
		for (;;) {
			await this.#cluster.deletionOf(key);
			const entry = this.#entries.get(member);
			if (!entry) return {ok: false, refusal: 'gone'};
			const current = this.#rooms.roomOf(member, key);
			if (current) return {ok: true, room: nameOf(current), members: await this.members(current), joined: false};
			if (this.#rooms.countOf(member) >= this.#options.maxRoomsPerMember) return {ok: false, refusal: 'connection-limit'};
			// Another connection of the account here is in the room: the name is there already, nobody is to be told.
			const namesake = (this.#holders.get(entry.key) ?? []).find(other => other !== member && this.#rooms.roomOf(other, key));
			if (namesake) {
				const joined = this.#rooms.join(this.#rooms.get(key)!, member).room;
				return {ok: true, room: nameOf(joined), members: await this.members(joined), joined: false};
			}

			if (this.#degraded) return this.#joinLocally(room, key, member);
			try {
				const joined = await this.#cluster.join(room, key, entry, name => {
					if (this.#entries.get(member) !== entry) return false;
					this.#rooms.join(name, member);
					return true;
				});
				if (!joined.ok) return joined;
				return {ok: true, room: joined.room, members: joined.names, joined: joined.entered};
			} catch (error) {
				this.#enterDegraded(`join failed (${describe(error)})`);
			}
		}
	}

	async part(room: string, member: HubMember): Promise<RoomName | undefined> {
		await this.#afterSync();
		const key = cachedRoomKey(room);
		if (key === LOBBY) return undefined;
		const entry = this.#entries.get(member);
		const left = this.#rooms.leave(key, member);
		if (!left || !entry) return left;
		// Another connection of the account here stays in the room: the user has not left it.
		if ((this.#holders.get(entry.key) ?? []).some(other => this.#rooms.roomOf(other, key))) return left;
		const deaf = this.#cluster.deaf([left]);
		if (this.#degraded) return left;
		try {
			await this.#cluster.leave([left], entry, deaf);
		} catch (error) {
			this.#enterDegraded(`part failed (${describe(error)})`);
		}

		return left;
	}

	async members(room: RoomName): Promise<string[]> {
		if (room.key === LOBBY) return this.roster();
		await this.#afterSync();
		if (!this.#degraded) {
			try {
				return await this.#cluster.members(room.key);
			} catch (error) {
				this.#enterDegraded(`get-clients failed (${describe(error)})`);
			}
		}

		const local = this.#rooms.get(room.key);
		return local ? this.#localNames(local) : [];
	}

	async rooms(): Promise<RoomSummary[]> {
		const lobby = {room: LOBBY, users: (await this.roster()).length};
		if (!this.#degraded) {
			try {
				return [lobby, ...(await this.#cluster.occupied()).map(({room, users}) => ({room, users}))];
			} catch (error) {
				this.#enterDegraded(`rooms failed (${describe(error)})`);
			}
		}

		const local = [...this.#rooms.all()].filter(room => room.key !== LOBBY).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		return [lobby, ...local.map(room => ({room: room.name, users: this.#localNames(room).length}))];
	}

	roomOf(member: HubMember, room: string): RoomName | undefined {
		const found = this.#rooms.roomOf(member, cachedRoomKey(room));
		return found && nameOf(found);
	}

	/**
	 * A guest's name held here is served here. Otherwise the registry names
	 * the nodes holding `to` (an account's connections may be on several) and
	 * each gets the frame on its direct channel; the sender's account's other
	 * connections get a copy the same way. Whether an account accepts direct
	 * messages is whether any of its connections listed `direct`.
	 */
	async direct(to: string, sender: HubMember, frame: (recipient: string) => Uint8Array): Promise<boolean> {
		await this.#afterSync();
		const key = nameKey(to);
		const senderEntry = this.#entries.get(sender);
		const own = senderEntry?.key === key;
		const local = this.#holders.get(key) ?? [];
		const localEntry = local[0] && this.#entries.get(local[0]);
		let target: {nodes: string[]; name: string; acceptsDirect: boolean} | undefined;
		if (localEntry && (!localEntry.account || this.#degraded)) {
			target = {nodes: [], name: localEntry.name, acceptsDirect: local.some(holder => this.#entries.get(holder)?.direct)};
		} else if (!this.#degraded) {
			try {
				target = await this.#scripts.directTarget(key);
			} catch (error) {
				this.#enterDegraded(`direct message failed (${describe(error)})`);
				return false;
			}
		}

		if (!target || (!target.acceptsDirect && !own)) return own;
		// The registry still names this node, but its holder here has just left.
		if (local.length === 0 && target.nodes.every(node => node === this.nodeId)) return own;
		const bytes = frame(target.name);
		const copies = [{key, nodes: target.nodes}];
		if (senderEntry?.account && !own && !this.#degraded) {
			try {
				copies.push({key: senderEntry.key, nodes: (await this.#scripts.directTarget(senderEntry.key))?.nodes ?? []});
			} catch (error) {
				this.#enterDegraded(`direct message failed (${describe(error)})`);
			}
		}

		for (const copy of copies) {
			this.#deliverDirect(copy.key, bytes, sender);
			for (const node of copy.nodes) {
				if (node === this.nodeId) continue;
				this.#redis.spublish(clusterKeys(this.#options.prefix).directChannel(node), directEnvelope(this.#nodeIdBytes, copy.key, bytes)).catch((error: unknown) => {
					this.#enterDegraded(`publish failed (${describe(error)})`);
				});
			}
		}

		return true;
	}

	/**
	 * §13: one hash for the cluster, name key → reason, so every node's
	 * `get-clients` and `join` see who is away; the `client-away` event itself
	 * travels on the lobby's channel like any broadcast. While Redis is
	 * unreachable the reasons live on this node only.
	 */
	async setAway(name: string, reason: string | undefined): Promise<void> {
		const key = nameKey(name);
		if (reason === undefined) this.#localAway.delete(key);
		else this.#localAway.set(key, reason);
		if (this.#degraded) return;
		try {
			await (reason === undefined ? this.#redis.hdel(this.#awayKey, key) : this.#redis.hset(this.#awayKey, key, reason));
		} catch (error) {
			this.#enterDegraded(`away failed (${describe(error)})`);
		}
	}

	async away(names: readonly string[]): Promise<Record<string, string>> {
		// The whole hash: it holds only those away, far fewer than a roster's names.
		let reasons: ReadonlyMap<string, string> = this.#localAway;
		if (!this.#degraded) {
			try {
				reasons = new Map(Object.entries(await this.#redis.hgetall(this.#awayKey)));
			} catch (error) {
				this.#enterDegraded(`away failed (${describe(error)})`);
			}
		}

		return awayAmong(names, reasons);
	}

	onRoomDeleted(drop: (room: RoomName) => Promise<void>): void {
		this.#cluster.onRoomDeleted(drop);
	}

	broadcast(room: string, frame: Uint8Array, except?: HubMember): void {
		this.#rooms.deliver(room, frame, except);
		if (this.#degraded || this.#closed) return;
		// The lobby's membership events went out with the script that changed the registry.
		if (room === LOBBY && isMembershipEvent(frame)) return;
		this.#redis.spublish(this.#cluster.channel(room), envelope(this.#nodeIdBytes, frame)).catch((error: unknown) => {
			this.#enterDegraded(`publish failed (${describe(error)})`);
		});
	}

	/**
	 * The room log in Redis on this hub's command connection, so its appends
	 * and the name scripts share one ordered connection. While Redis is
	 * unreachable its appends fail with `unavailable`. A room's log is kept
	 * under its key, so its keys share the room's slot, and its append script
	 * publishes on the room's channel.
	 */
	async openLog(perConversation: number): Promise<MessageLog> {
		const {RedisLog} = await import('../store/redis-log.js');
		this.#logPublishes = true;
		return new TickLog(RedisLog.using(this.#redis, {
			perConversation,
			prefix: this.#options.prefix,
			seen: this.#seen,
			announce: {
				channel: key => this.#cluster.channel(key),
				header: this.nodeId,
				// The sender is in the room here, so the room's spelling is known.
				room: key => (key === LOBBY ? undefined : this.#rooms.get(key)?.name ?? key),
			},
		}));
	}

	/**
	 * With the shared log, `handedOut` runs when the channel brings this
	 * message back, just before it is handed out: every earlier one has been. A channel that does not bring it within `commandTimeoutMs`
	 * (Redis going away) lets it run anyway: the message is stored.
	 */
	broadcastStored(room: string, seq: number, frame: () => Uint8Array, sender: HubMember, handedOut: () => void): void {
		if (!this.#logPublishes) {
			handedOut();
			this.broadcast(room, frame(), sender);
			return;
		}

		this.#ownSends.replied(room, seq, sender, handedOut);
	}

	/** Stops the heartbeat, frees what this node still holds (announcing those exits) and disconnects. Call after the server has closed. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#timer);
		this.#ownSends.close();
		await this.#syncing?.catch(() => {});
		if (this.#started && !this.#degraded) {
			try {
				await this.#scripts.stopHeartbeat();
				await this.#scripts.sweep(this.nodeId, this.#options.nodeTtlMs);
				await this.#cluster.sweep(this.nodeId);
			} catch {}
		}

		await Promise.all(
			[this.#redis, this.#subscriber].map(async redis => {
				try {
					if (redis.status === 'ready') await redis.quit();
				} catch {}

				redis.disconnect();
			}),
		);
	}

	// ---- lifecycle ----

	async #start(): Promise<void> {
		await Promise.all([this.#whenReady(this.#redis), this.#whenReady(this.#subscriber)]);
		// Held for the node's life: everyone is in #lobby, and direct messages may come at any time. The reconciliation confirms them.
		this.#cluster.listenToLobby().catch(() => {});
		this.#subscriptions.hold(this.#directChannel).catch(() => {});
		await this.#sync();
		if (this.#degraded) throw new Error(`redis: could not register node ${this.nodeId}: ${this.#lastError}`);
		this.#started = true;
		this.#log(`redis: node ${this.nodeId} joined the cluster (${isCluster(this.#redis) ? 'on a Redis Cluster' : 'on one redis-server'})`);
		await this.#tick();
		this.#timer = setInterval(() => {
			void this.#tick();
		}, this.#options.heartbeatMs);
		this.#timer.unref();
	}

	async #whenReady(redis: RedisClient): Promise<void> {
		if (redis.status === 'ready') return;
		const timeoutMs = this.#options.startTimeoutMs;
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => {
				redis.off('ready', onReady);
				reject(new Error(`redis: no connection after ${timeoutMs} ms${this.#lastError ? ` (${this.#lastError})` : ''}`));
			}, timeoutMs);
			const onReady = () => {
				clearTimeout(timer);
				resolve();
			};

			redis.once('ready', onReady);
		});
	}

	#onReady(): void {
		if (!this.#started || this.#closed || !this.#degraded) return;
		if (this.#redis.status === 'ready' && this.#subscriber.status === 'ready') void this.#sync();
	}

	#enterDegraded(reason: string): void {
		if (this.#closed || this.#degraded) return;
		this.#degraded = true;
		// What the channel carried while it was down is not coming: forget the pairs waiting for it.
		this.#ownSends.clear();
		this.#log(`redis: ${reason}; degraded: serving local clients only until Redis is back`);
	}

	/** The heartbeat: refresh ours, sweep dead nodes; or, while degraded, try to reconcile. */
	async #tick(): Promise<void> {
		if (this.#closed || this.#ticking) return;
		this.#ticking = true;
		try {
			if (this.#degraded) {
				if (this.#redis.status === 'ready' && this.#subscriber.status === 'ready') await this.#sync();
				return;
			}

			const {known, swept} = await this.#scripts.heartbeat(this.#options.nodeTtlMs);
			if (!known || swept) {
				if (swept) this.#forgetAnnouncements();
				this.#enterDegraded(swept ? 'this node was declared dead (was it paused?)' : 'Redis lost the cluster state (restarted?)');
				await this.#sync();
				return;
			}

			for (const node of await this.#scripts.nodes()) {
				if (node === this.nodeId) continue;
				const freed = await this.#scripts.sweep(node, TOMBSTONE_MS);
				if (freed < 0) continue;
				await this.#cluster.sweep(node);
				this.#log(`redis: node ${node} stopped its heartbeat; released ${freed} user(s)`);
			}

			await this.#cluster.tick();
		} catch (error) {
			this.#enterDegraded(`heartbeat failed (${describe(error)})`);
		} finally {
			this.#ticking = false;
		}
	}

	// ---- reconciliation ----

	/** Name operations wait while a reconciliation runs, so it sees a still picture. */
	async #afterSync(): Promise<void> {
		while (this.#syncing) {
			await this.#syncing.catch(() => {});
		}
	}

	async #sync(): Promise<void> {
		if (this.#syncing) {
			this.#syncAgain = true;
			return this.#syncing;
		}

		this.#syncing = this.#reconcile().finally(() => {
			this.#syncing = undefined;
			if (this.#syncAgain && !this.#closed && this.#degraded) {
				this.#syncAgain = false;
				void this.#sync();
			}
		});
		return this.#syncing;
	}

	async #reconcile(): Promise<void> {
		try {
			// Confirmed before anything is announced, so we are listening when the others answer.
			await this.#subscriptions.resubscribe();
			const {swept} = await this.#scripts.heartbeat(this.#options.nodeTtlMs);
			if (swept) this.#forgetAnnouncements();
			// Redis may have lost anything (a restart): claim every name again; a claim we still hold is kept.
			for (const entry of this.#entries.values()) entry.inRedis = false;
			let kept = 0;
			let lost = 0;
			for (let pass = 0; pass < MAX_RECONCILE_PASSES; pass++) {
				while (this.#departures.length > 0) {
					await this.#releaseInRedis(this.#departures[0]!);
					this.#departures.shift();
				}

				for (const [member, entry] of [...this.#entries]) {
					if (entry.inRedis || this.#entries.get(member) !== entry) continue;
					if (await this.#reclaim(entry)) kept++;
					else {
						lost++;
						this.#evict(member, entry);
					}
				}

				if (this.#departures.length === 0 && [...this.#entries.values()].every(entry => entry.inRedis)) {
					await this.#cluster.reconcile();
					const wasDegraded = this.#degraded;
					this.#degraded = false;
					if (wasDegraded && this.#started) {
						this.#log(`redis: back; reconciled ${kept} local user(s)${lost > 0 ? `, disconnected ${lost} whose name another node holds` : ''}`);
					}

					return;
				}
			}
		} catch (error) {
			// Still (or again) unreachable: stay degraded without a new log line; the next heartbeat retries.
			this.#lastError = describe(error);
			this.#degraded = true;
		}
	}

	/** Claims an entry's name again and tells the others what they missed; false when another node holds it. */
	async #reclaim(entry: Entry): Promise<boolean> {
		const {name, key, announced} = entry;
		let ok: boolean;
		if (entry.account) {
			// This node's count, whatever Redis remembers; the limit is not checked again.
			const count = (this.#holders.get(key) ?? []).length;
			const payload = announced === undefined ? this.#envelope({cmd: 'client-enter', user: name}) : undefined;
			ok = (await this.#scripts.claimAccount(key, name, payload, entry.direct, count, count)).result !== 'taken';
		} else if (announced !== undefined && nameKey(announced) !== key) {
			ok = await this.#scripts.rename(nameKey(announced), key, name, this.#envelope({cmd: 'client-rename', user: name, oldname: announced, newname: name}), entry.direct);
		} else {
			const payload = announced === undefined
				? this.#envelope({cmd: 'client-enter', user: name})
				: announced === name
					? undefined
					: this.#envelope({cmd: 'client-rename', user: name, oldname: announced, newname: name});
			ok = (await this.#scripts.claim(key, name, payload, entry.direct)) !== 0;
		}

		// Renamed while we waited (an operation from before the reconciliation): the next pass redoes it.
		if (ok && entry.name === name) {
			entry.inRedis = true;
			entry.announced = name;
		}

		return ok;
	}

	/** Drops a local user whose name another node won during the outage. */
	#evict(member: HubMember, entry: Entry): void {
		this.#remove(member, entry);
		// The others knew this user under another name: that one has left.
		if (entry.announced !== undefined && nameKey(entry.announced) !== entry.key) {
			this.#departures.push({name: entry.announced, announced: entry.announced});
		}

		this.#log(`redis: "${entry.name}" is held on another node since the outage; disconnecting the local one`);
		if (typeof (member as Partial<ClosableMember>).close === 'function') {
			// Not awaited: closing calls release(), which waits for this reconciliation.
			void (member as ClosableMember).close('user name taken on another node').catch(() => {});
		}
	}

	/**
	 * Frees a departed user's names in Redis and announces the exit of the one
	 * the others knew. For an account's connection, resolves whether it was
	 * the last in the cluster (only then is the exit published); else true.
	 */
	async #releaseInRedis({name, announced, reason, account}: Departure): Promise<boolean> {
		if (account) {
			const exit: ChatEvent = reason === undefined ? {cmd: 'client-exit', user: name} : {cmd: 'client-exit', user: name, msg: reason};
			return this.#scripts.releaseAccount(nameKey(name), announced === undefined ? undefined : this.#envelope(exit));
		}

		const heldHere = (key: string) => this.#holders.has(key) || this.#reserved.has(key);
		if (announced !== undefined && !heldHere(nameKey(announced))) {
			const exit: ChatEvent = reason === undefined ? {cmd: 'client-exit', user: announced} : {cmd: 'client-exit', user: announced, msg: reason};
			await this.#scripts.release(nameKey(announced), this.#envelope(exit));
		}

		const key = nameKey(name);
		if ((announced === undefined || nameKey(announced) !== key) && !heldHere(key)) {
			await this.#scripts.release(key, undefined);
		}

		return true;
	}

	/** A sweeper told everyone our users left: they must be announced again. */
	#forgetAnnouncements(): void {
		for (const entry of this.#entries.values()) entry.announced = undefined;
		for (const departure of this.#departures) departure.announced = undefined;
	}

	// ---- helpers ----

	#receive(channel: Buffer, payload: Buffer): void {
		const name = channel.toString();
		if (name === this.#directChannel) {
			this.#receiveDirect(payload);
			return;
		}

		// A room this node has no member in any more (a frame published before it unsubscribed): nobody here to tell.
		const room = this.#cluster.roomOfChannel(name);
		const opened = openEnvelope(payload);
		if (room === undefined || !opened) return;
		const own = opened.sender.equals(this.#nodeIdBytes);
		if (this.#logPublishes && isMessageEvent(opened.frame)) {
			this.#noteSeen(room, opened.frame);
			// Another node's append: nobody here sent any of it, so it goes out as it came, in one piece.
			if (!own) {
				this.#rooms.deliver(room, opened.frame);
				return;
			}

			// Our own: each sender hears its status first and is not handed its message; a run of one sender's goes out in one piece.
			const frames = opened.frame;
			const sends = this.#ownSends.room(room);
			let runStart = 0;
			let runSender: HubMember | undefined;
			for (let start = 0, end = 0; start < frames.length; start = end) {
				end = frameEnd(frames, start);
				const waiting = this.#ownSender(sends, frames, start, end);
				if (waiting?.member !== runSender && start > runStart) {
					this.#rooms.deliver(room, frames.subarray(runStart, start), runSender);
					runStart = start;
				}

				runSender = waiting?.member;
				waiting?.passed();
			}

			if (runStart < frames.length) this.#rooms.deliver(room, frames.subarray(runStart), runSender);
			return;
		}

		// Our other frames were delivered locally when they were sent.
		if (!own) this.#rooms.deliver(room, opened.frame);
	}

	/** One append's messages come in seq order: the last one's seq is the newest. */
	#noteSeen(room: string, frames: Buffer): void {
		const frame = frames.subarray(frames.lastIndexOf(0x0a, frames.length - 2) + 1);
		const seq = messageSeq(frame);
		const epoch = seq === undefined ? undefined : messageEpoch(frame);
		if (epoch !== undefined) this.#seen.note(room, epoch, seq!);
	}

	/** Another node's direct message to one of our users (who may have left since). */
	#receiveDirect(payload: Buffer): void {
		const opened = openDirectEnvelope(payload);
		if (opened) this.#deliverDirect(opened.recipientKey, opened.frame);
	}

	/** To every holder of the name here that accepts direct messages, except the sender. */
	#deliverDirect(key: string, frame: Uint8Array, sender?: HubMember): void {
		for (const holder of this.#holders.get(key) ?? []) {
			if (holder !== sender && this.#entries.get(holder)?.direct) holder.deliver(frame);
		}
	}

	/**
	 * Who sent one of this node's stored messages. Known once its status went
	 * out; before that, the sender is still waiting for the append and cannot
	 * have renamed, so it is the local holder of the event's user name.
	 */
	#ownSender(sends: RoomSends, frames: Buffer, start: number, end: number): WaitingSender | undefined {
		const seq = messageSeq(frames, start, end);
		if (seq === undefined) return undefined;
		const sender = sends.copyCame(seq);
		if (sender) return sender;
		const user = messageUser(frames.subarray(start, end));
		// An account with several connections here: the first is taken for the sender (a rare race, see above).
		const holder = user === undefined ? undefined : this.#holders.get(nameKey(user))?.[0];
		return holder && {member: holder, passed() {}};
	}

	#envelope(event: ChatEvent): Buffer {
		return envelope(this.#nodeIdBytes, encodeFrameBytes(event));
	}

	#add(member: HubMember, entry: Entry): void {
		this.#entries.set(member, entry);
		this.#hold(entry.key, member);
		this.#rooms.join(LOBBY, member);
	}

	#remove(member: HubMember, entry: Entry): RoomName[] {
		this.#entries.delete(member);
		this.#unhold(entry.key, member);
		return this.#rooms.leaveAll(member);
	}

	#hold(key: string, member: HubMember): void {
		const holders = this.#holders.get(key);
		if (!holders) this.#holders.set(key, [member]);
		else if (!holders.includes(member)) holders.push(member);
	}

	#unhold(key: string, member: HubMember): void {
		const rest = (this.#holders.get(key) ?? []).filter(holder => holder !== member);
		if (rest.length > 0) this.#holders.set(key, rest);
		else this.#holders.delete(key);
	}

	/** A guest's name here becomes its account's (it registered): Redis counts it as the account's one connection. */
	async #makeAccount(entry: Entry, max: number): Promise<void> {
		entry.account = true;
		if (this.#degraded || !entry.inRedis) return;
		try {
			await this.#scripts.claimAccount(entry.key, entry.name, undefined, entry.direct, max, (this.#holders.get(entry.key) ?? []).length);
		} catch (error) {
			this.#enterDegraded(`register failed (${describe(error)})`);
		}
	}

	#nameOf(member: HubMember): MemberName | undefined {
		return this.#entries.get(member);
	}

	/** The member's rooms other than `#lobby` (a rename is rare: a walk over this node's rooms is fine). */
	#roomsOf(member: HubMember): RoomName[] {
		const rooms: RoomName[] = [];
		for (const room of this.#rooms.all()) if (room.key !== LOBBY && room.members.has(member)) rooms.push(nameOf(room));
		return rooms;
	}

	/** The distinct names of a room's members on this node, in join order. */
	#localNames(room: LocalRoom): string[] {
		const names = new Set<string>();
		for (const member of room.members) {
			const entry = this.#entries.get(member);
			if (entry) names.add(entry.name);
		}

		return [...names];
	}

	/** During an outage a room is joined on this node alone; the reconciliation puts it in Redis. */
	#joinLocally(room: string, key: string, member: HubMember): JoinOutcome {
		const heard = Boolean(this.#rooms.get(key));
		const joined = this.#rooms.join(this.#rooms.get(key) ?? {name: room, key}, member).room;
		if (!heard) this.#cluster.heard(key);
		return {ok: true, room: nameOf(joined), members: this.#localNames(joined), joined: true};
	}

	#move(member: HubMember, entry: Entry, newname: string): void {
		this.#unhold(entry.key, member);
		entry.name = newname;
		entry.key = nameKey(newname);
		this.#hold(entry.key, member);
	}

	#log(line: string): void {
		if (!this.#closed) this.#options.log(line);
	}
}

function nameOf(room: RoomName): RoomName {
	return {name: room.name, key: room.key};
}
