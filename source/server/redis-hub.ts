// A Hub that makes several `codechat-tui serve` processes one room, over one
// Redis: the name registry and roster live in Redis (changed only by the Lua
// scripts in redis/scripts.ts), and frames cross nodes on one pub/sub channel.
//
// GUARANTEES (what the README's "Running a cluster" section promises)
// - Fan-out: a message, client-enter, client-exit or client-rename on any node
//   reaches the clients of every node while Redis is reachable. A node hands
//   its own clients a frame directly and skips its own frames on the channel,
//   so nobody gets a frame twice.
// - Order: per sender only. One user's events arrive everywhere in the order
//   the user caused them (one Redis connection per node, one channel).
//   Membership events (enter/exit/rename) are published by the same atomic
//   script that changes the registry, so they are also in registry order: a
//   name's new holder never "enters" before the old holder's "exit". Messages
//   from different users on different nodes may interleave differently on
//   different nodes.
// - Names: unique across the cluster, case-insensitively, by an atomic claim
//   in Redis; freed on exit. get-clients lists the cluster in join order.
// - A crashed node: its heartbeat key expires after `nodeTtlMs` (10 s); within
//   one `heartbeatMs` (3 s) a surviving node frees its names and publishes one
//   client-exit per user. Exactly one survivor does it (removing the node from
//   the node set is the lock). So a crashed node's users leave within ~13 s.
// - A Redis outage: delivery across nodes is at-most-once. Each node keeps
//   serving its own clients (local fan-out, names checked locally only,
//   get-clients lists local users), sets `degraded`, and logs it once. Frames
//   sent during the outage do not reach other nodes and are not replayed.
// - Reconciliation, when Redis is back: the node re-claims its users' names
//   in their local join order, announces users who joined or were renamed
//   during the outage, and announces the exits of those who left. A name that
//   two nodes both accepted during the outage stays with whoever holds it in
//   Redis first, i.e. the node that kept its Redis connection, or, after a
//   Redis restart, the first node to reconcile; the other node disconnects
//   its user (the client reconnects and is told the name is taken). Rosters
//   that drifted during the outage are repaired by the clients' periodic
//   get-clients (every 30 s). After a Redis restart the cross-node join order
//   is the order in which the nodes reconciled.
// - Not supported: Redis Cluster (the scripts build per-node keys), and
//   persistence is not needed (an empty Redis after a restart is rebuilt).
import {randomBytes} from 'node:crypto';
import type {Redis, RedisOptions} from 'ioredis';
import {nameKey} from '../protocol/limits.js';
import type {ChatEvent} from '../protocol/types.js';
import type {Hub, HubMember} from './hub.js';
import {envelope, eventBytes, isMembershipEvent, openEnvelope} from './redis/frames.js';
import {NODE_ID_LENGTH, resolveRedisHubOptions, type RedisHubOptions} from './redis/options.js';
import {ClusterScripts, clusterKeys} from './redis/scripts.js';

/** A local user as this node knows it. */
type Entry = {
	name: string;
	key: string;
	/** The name the other nodes were told about; undefined when they were told nothing (joined during an outage). */
	announced: string | undefined;
	/** Whether Redis holds `name` for this node as far as we know. */
	inRedis: boolean;
};

/** A user who left; Redis still has to free the name and tell the others. */
type Departure = {name: string; announced: string | undefined};

type RedisConstructor = new (url: string, options: RedisOptions) => Redis;

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
		const {Redis} = await import('ioredis');
		const hub = new RedisHub(url, Redis, options);
		try {
			await hub.#start();
		} catch (error) {
			await hub.close();
			throw error;
		}

		return hub;
	}

	readonly nodeId: string;
	readonly #nodeIdBytes: Buffer;
	readonly #options: RedisHubOptions;
	/** Commands and publishes: one connection, so one node's frames keep their order. */
	readonly #redis: Redis;
	/** The subscription (a subscribed connection can run nothing else). */
	readonly #subscriber: Redis;
	readonly #scripts: ClusterScripts;
	readonly #channel: string;
	/** Insertion order is the local join order; a rename keeps the place. */
	readonly #entries = new Map<HubMember, Entry>();
	readonly #holders = new Map<string, HubMember>();
	/** Name keys with a claim or rename in flight, so two local users cannot both get one. */
	readonly #reserved = new Set<string>();
	#departures: Departure[] = [];
	#degraded = true;
	#started = false;
	#closed = false;
	#lastError = '';
	#syncing: Promise<void> | undefined;
	#syncAgain = false;
	#ticking = false;
	#timer: NodeJS.Timeout | undefined;

	private constructor(url: string, RedisClass: RedisConstructor, partial: Partial<RedisHubOptions>) {
		this.#options = resolveRedisHubOptions(partial);
		this.nodeId = this.#options.nodeId ?? randomBytes(NODE_ID_LENGTH / 2).toString('hex');
		this.#nodeIdBytes = Buffer.from(this.nodeId);
		const connection: RedisOptions = {
			// Fail at once while disconnected, and fail what was in flight when the
			// connection dropped, so the hub falls back to local checks instead of waiting.
			enableOfflineQueue: false,
			autoResendUnfulfilledCommands: false,
			maxRetriesPerRequest: 1,
			commandTimeout: this.#options.commandTimeoutMs,
			connectTimeout: this.#options.startTimeoutMs,
			retryStrategy: times => Math.min(times * 100, this.#options.maxReconnectDelayMs),
		};
		this.#redis = new RedisClass(url, {...connection, connectionName: `codechat-${this.nodeId}`});
		this.#subscriber = new RedisClass(url, {...connection, connectionName: `codechat-${this.nodeId}-sub`});
		this.#scripts = new ClusterScripts(this.#redis, this.#options.prefix, this.nodeId);
		this.#channel = clusterKeys(this.#options.prefix).channel;
		for (const redis of [this.#redis, this.#subscriber]) {
			redis.on('error', (error: Error) => {
				this.#lastError = error.message;
			});
			redis.on('close', () => this.#enterDegraded(`connection lost${this.#lastError ? ` (${this.#lastError})` : ''}`));
			redis.on('ready', () => this.#onReady());
		}

		this.#subscriber.on('messageBuffer', (_channel: Buffer, payload: Buffer) => this.#receive(payload));
	}

	/** True while Redis is unreachable (or not yet reconciled): only local clients are served. */
	get degraded(): boolean {
		return this.#degraded;
	}

	/** How many users are connected to this node. */
	get localSize(): number {
		return this.#entries.size;
	}

	// ---- Hub ----

	async claim(name: string, member: HubMember): Promise<boolean> {
		await this.#afterSync();
		const key = nameKey(name);
		if (this.#entries.has(member) || this.#holders.has(key) || this.#reserved.has(key)) return false;
		if (this.#degraded) {
			this.#add(member, {name, key, announced: undefined, inRedis: false});
			return true;
		}

		this.#reserved.add(key);
		try {
			const result = await this.#scripts.claim(key, name, this.#envelope({cmd: 'client-enter', user: name}));
			if (result === 0) return false;
			this.#add(member, {name, key, announced: name, inRedis: true});
		} catch (error) {
			this.#enterDegraded(`claim failed (${describe(error)})`);
			this.#add(member, {name, key, announced: undefined, inRedis: false});
		} finally {
			this.#reserved.delete(key);
		}

		return true;
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
			if (!(await this.#scripts.rename(entry.key, key, newname, payload))) return false;
			this.#move(member, entry, newname);
			entry.announced = newname;
		} catch (error) {
			this.#enterDegraded(`rename failed (${describe(error)})`);
			this.#move(member, entry, newname);
			entry.inRedis = false;
		} finally {
			this.#reserved.delete(key);
		}

		return true;
	}

	async release(member: HubMember): Promise<void> {
		await this.#afterSync();
		const entry = this.#entries.get(member);
		if (!entry) return;
		this.#entries.delete(member);
		this.#holders.delete(entry.key);
		const departure = {name: entry.name, announced: entry.announced};
		if (this.#degraded) {
			this.#departures.push(departure);
			return;
		}

		try {
			await this.#releaseInRedis(departure);
		} catch (error) {
			this.#enterDegraded(`release failed (${describe(error)})`);
			this.#departures.push(departure);
		}
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

		return [...this.#entries.values()].map(entry => entry.name);
	}

	broadcast(frame: Uint8Array, except?: HubMember): void {
		for (const member of this.#entries.keys()) {
			if (member !== except) member.deliver(frame);
		}

		// Membership events went out with the script that changed the registry.
		if (this.#degraded || this.#closed || isMembershipEvent(frame)) return;
		this.#redis.publish(this.#channel, envelope(this.#nodeIdBytes, frame)).catch((error: unknown) => {
			this.#enterDegraded(`publish failed (${describe(error)})`);
		});
	}

	/** Stops the heartbeat, frees what this node still holds (announcing those exits) and disconnects. Call after the server has closed. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#timer);
		await this.#syncing?.catch(() => {});
		if (this.#started && !this.#degraded) {
			try {
				await this.#scripts.stopHeartbeat();
				await this.#scripts.sweep(this.nodeId, this.#options.nodeTtlMs);
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
		await this.#sync();
		if (this.#degraded) throw new Error(`redis: could not register node ${this.nodeId}: ${this.#lastError}`);
		this.#started = true;
		this.#log(`redis: node ${this.nodeId} joined the cluster`);
		await this.#tick();
		this.#timer = setInterval(() => {
			void this.#tick();
		}, this.#options.heartbeatMs);
		this.#timer.unref();
	}

	async #whenReady(redis: Redis): Promise<void> {
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
				if (freed >= 0) this.#log(`redis: node ${node} stopped its heartbeat; released ${freed} user(s)`);
			}
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
			await this.#subscriber.subscribe(this.#channel);
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
		if (announced !== undefined && nameKey(announced) !== key) {
			ok = await this.#scripts.rename(nameKey(announced), key, name, this.#envelope({cmd: 'client-rename', user: name, oldname: announced, newname: name}));
		} else {
			const payload = announced === undefined
				? this.#envelope({cmd: 'client-enter', user: name})
				: announced === name
					? undefined
					: this.#envelope({cmd: 'client-rename', user: name, oldname: announced, newname: name});
			ok = (await this.#scripts.claim(key, name, payload)) !== 0;
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
		this.#entries.delete(member);
		this.#holders.delete(entry.key);
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

	/** Frees a departed user's names in Redis and announces the exit of the one the others knew. */
	async #releaseInRedis({name, announced}: Departure): Promise<void> {
		const heldHere = (key: string) => this.#holders.has(key) || this.#reserved.has(key);
		if (announced !== undefined && !heldHere(nameKey(announced))) {
			await this.#scripts.release(nameKey(announced), this.#envelope({cmd: 'client-exit', user: announced}));
		}

		const key = nameKey(name);
		if ((announced === undefined || nameKey(announced) !== key) && !heldHere(key)) {
			await this.#scripts.release(key, undefined);
		}
	}

	/** A sweeper told everyone our users left: they must be announced again. */
	#forgetAnnouncements(): void {
		for (const entry of this.#entries.values()) entry.announced = undefined;
		for (const departure of this.#departures) departure.announced = undefined;
	}

	// ---- helpers ----

	#receive(payload: Buffer): void {
		const opened = openEnvelope(payload);
		// Our own frames were delivered locally when they were sent.
		if (!opened || opened.sender.equals(this.#nodeIdBytes)) return;
		for (const member of this.#entries.keys()) member.deliver(opened.frame);
	}

	#envelope(event: ChatEvent): Buffer {
		return envelope(this.#nodeIdBytes, eventBytes(event));
	}

	#add(member: HubMember, entry: Entry): void {
		this.#entries.set(member, entry);
		this.#holders.set(entry.key, member);
	}

	#move(member: HubMember, entry: Entry, newname: string): void {
		this.#holders.delete(entry.key);
		entry.name = newname;
		entry.key = nameKey(newname);
		this.#holders.set(entry.key, member);
	}

	#log(line: string): void {
		if (!this.#closed) this.#options.log(line);
	}
}
