// The rooms of a cluster in Redis, for one node: membership with join order
// (room-scripts.ts), the room channels this node listens to (only those of
// rooms with local members), the cluster-wide room count, deletion of rooms
// left empty, and the clean-up of a dead node's memberships. The node's own
// picture (who is in which room here) stays in its RoomMembers; this class
// reads it and makes Redis agree. Every method may reject when Redis is
// unreachable; the hub then serves its own clients until it reconciles.
import type {RedisClient} from '../store/redis-connect.js';
import {LOBBY, type HubMember, type RoomName} from '../hub.js';
import type {RoomMembers} from '../room-members.js';
import type {ChannelSubscriptions} from './channel-subscriptions.js';
import {roomKeys, RoomScripts, type RoomCount} from './room-scripts.js';

/** How long a join waits before trying again while another node deletes the room. */
const DELETION_RETRY_MS = 50;

export type ClusterRoomsOptions = {prefix: string; nodeId: string; emptyRoomTtlMs: number; maxRooms: number};

/** A member's name as the registry holds it. */
export type MemberName = {key: string; name: string};

/** `entered`: the name was in the room on no node (the others are to hear client-enter). */
export type RedisJoin = {ok: true; room: RoomName; names: string[]; entered: boolean} | {ok: false; refusal: 'server-limit' | 'gone'};

export class ClusterRooms {
	readonly #scripts: RoomScripts;
	readonly #subscriptions: ChannelSubscriptions;
	readonly #local: RoomMembers;
	readonly #nameOf: (member: HubMember) => MemberName | undefined;
	readonly #options: ClusterRoomsOptions;
	/** Channel name → room key, for the channels this node listens to. */
	readonly #channelRooms = new Map<string, string>();
	/** Deletions this node runs: a join of that key on this node waits for it. */
	readonly #deleting = new Map<string, Promise<void>>();
	#drop: ((room: RoomName) => Promise<void>) | undefined;

	constructor(redis: RedisClient, subscriptions: ChannelSubscriptions, local: RoomMembers, nameOf: (member: HubMember) => MemberName | undefined, options: ClusterRoomsOptions) {
		this.#scripts = new RoomScripts(redis, options.prefix, options.nodeId, options.emptyRoomTtlMs);
		this.#subscriptions = subscriptions;
		this.#local = local;
		this.#nameOf = nameOf;
		this.#options = options;
	}

	/** The sharded channel of a room (by key), which shares the room's slot. */
	channel(key: string): string {
		return roomKeys(this.#options.prefix, key).channel;
	}

	/** The room a channel carries, while this node listens to it. */
	roomOfChannel(channel: string): string | undefined {
		return this.#channelRooms.get(channel);
	}

	/** The lobby's channel is listened to for the node's whole life (everyone is in `#lobby`). */
	async listenToLobby(): Promise<void> {
		this.#channelRooms.set(this.channel(LOBBY), LOBBY);
		await this.#subscriptions.hold(this.channel(LOBBY));
	}

	onRoomDeleted(drop: (room: RoomName) => Promise<void>): void {
		this.#drop = drop;
	}

	/** Resolves once no deletion of `key` runs on this node. */
	async deletionOf(key: string): Promise<void> {
		for (;;) {
			const running = this.#deleting.get(key);
			if (!running) return;
			await running;
		}
	}

	/**
	 * Puts a name in a room in Redis, creating and counting the room if need
	 * be, then calls `commit` (synchronously) to add the member locally; a
	 * commit that returns false (the member left meanwhile) is undone. Listens
	 * to the room's channel before the join, so nothing said after it is missed.
	 */
	async join(room: string, key: string, name: MemberName, commit: (room: RoomName) => boolean): Promise<RedisJoin> {
		const channel = this.channel(key);
		this.#channelRooms.set(channel, key);
		const first = !this.#local.get(key);
		await this.#hold(channel);
		try {
			for (;;) {
				await this.deletionOf(key);
				if (first) {
					const counted = await this.#scripts.reserve(key, this.#options.maxRooms - 1);
					if (counted.kind === 'full') return {ok: false, refusal: 'server-limit'};
					if (counted.kind === 'delete-first') {
						// Its time is up (or, when full, it is the longest-empty room): delete it, then count again.
						await this.#delete(counted.key, counted.key !== key);
						continue;
					}

					await this.#scripts.noteRooms([key]);
				}

				const result = await this.#scripts.join(key, room, name.key, name.name);
				if (!result) {
					// Another node runs this room's deletion handler: the room comes back afresh after it.
					await new Promise(resolve => setTimeout(resolve, DELETION_RETRY_MS));
					continue;
				}

				const heardAlready = Boolean(this.#local.get(key));
				if (!commit({name: result.room, key})) {
					if ((await this.#scripts.leave(key, name.key)).left === 0) await this.#scripts.vacate(key);
					return {ok: false, refusal: 'gone'};
				}

				// Held before this join's own hold ends, so the subscription never lapses in between.
				if (!heardAlready) this.heard(key);
				return {ok: true, room: {name: result.room, key}, names: result.names, entered: result.entered};
			}
		} finally {
			// This join's own hold ends here; the room holds the channel while it has local members (`heard`).
			await this.#releaseQuietly(channel, key);
		}
	}

	/**
	 * The room got its first local member: its channel is held until the last
	 * one leaves (`leave`). Call it synchronously with the local join. During
	 * an outage the subscription waits for Redis.
	 */
	heard(key: string): void {
		const channel = this.channel(key);
		this.#channelRooms.set(channel, key);
		this.#holdQuietly(channel);
	}

	/**
	 * Stops listening to the rooms that lost their last local member. Call it
	 * synchronously with the local leave, so that a join racing it is counted.
	 */
	deaf(rooms: readonly RoomName[]): RoomName[] {
		const deaf = rooms.filter(room => room.key !== LOBBY && !this.#local.get(room.key));
		for (const room of deaf) void this.#releaseQuietly(this.channel(room.key), room.key);
		return deaf;
	}

	/**
	 * After the member left these rooms locally (never `#lobby`): takes the
	 * name out in Redis and starts the deletion countdown of rooms left empty.
	 * `deaf` are those without local members now (from `deaf`). Resolves to
	 * the rooms the name is still in, held by a connection on another node.
	 */
	async leave(rooms: readonly RoomName[], name: MemberName, deaf: readonly RoomName[]): Promise<Set<string>> {
		const held = new Set<string>();
		await Promise.all(
			rooms.map(async room => {
				const {left, gone} = await this.#scripts.leave(room.key, name.key);
				if (left === 0) await this.#scripts.vacate(room.key);
				else if (left > 0 && !gone) held.add(room.key);
			}),
		);
		// A join racing this may have noted one of them again; the heartbeat notes every local room anew.
		await this.#scripts.forgetRooms(deaf.map(room => room.key));
		return held;
	}

	/** After a rename: the member's place in each of its rooms (never `#lobby`) under the new name. */
	async rename(rooms: readonly RoomName[], oldKey: string, name: MemberName): Promise<void> {
		await Promise.all(rooms.map(async room => this.#scripts.rename(room.key, oldKey, name.key, name.name)));
	}

	async members(key: string): Promise<string[]> {
		return this.#scripts.members(key);
	}

	/** Rooms with members, by key (`#lobby` is the caller's). */
	async occupied(): Promise<RoomCount[]> {
		const rooms = await this.#scripts.list();
		return rooms.filter(room => room.users > 0).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	}

	/**
	 * The heartbeat's share: count this node's rooms as occupied (repairing a
	 * last part that raced a join), and delete the rooms whose time is up.
	 */
	async tick(): Promise<void> {
		const keys = this.#localKeys();
		await this.#scripts.occupy(keys);
		await this.#scripts.noteRooms(keys);
		for (const key of await this.#scripts.due()) await this.#delete(key, false);
	}

	/** A dead node's members leave each of its rooms, announced as from it so that every live node delivers. */
	async sweep(node: string): Promise<void> {
		for (const key of await this.#scripts.roomsOf(node)) {
			if ((await this.#scripts.sync(key, node, node, key, [])) === 0) await this.#scripts.vacate(key);
		}

		await this.#scripts.dropRoomsOf(node);
	}

	/**
	 * After an outage or a sweep of this node: makes Redis hold exactly this
	 * node's local memberships, announcing to the others who joined and who
	 * left meanwhile. The caller has subscribed to every wanted channel again.
	 */
	async reconcile(): Promise<void> {
		const node = this.#options.nodeId;
		const local = new Map<string, {name: string; members: Array<[string, string]>}>();
		for (const room of this.#local.all()) {
			if (room.key === LOBBY) continue;
			const members = new Map<string, string>();
			for (const member of room.members) {
				const name = this.#nameOf(member);
				if (name) members.set(name.key, name.name);
			}

			local.set(room.key, {name: room.name, members: [...members]});
		}

		await this.#scripts.occupy([...local.keys()]);
		const keys = new Set([...(await this.#scripts.roomsOf(node)), ...local.keys()]);
		for (const key of keys) {
			const room = local.get(key);
			if ((await this.#scripts.sync(key, node, node, room?.name ?? key, room?.members ?? [])) === 0) await this.#scripts.vacate(key);
		}

		await this.#scripts.dropRoomsOf(node);
		await this.#scripts.noteRooms([...local.keys()]);
	}

	#localKeys(): string[] {
		const keys: string[] = [];
		for (const room of this.#local.all()) if (room.key !== LOBBY) keys.push(room.key);
		return keys;
	}

	/** Deletes an empty room, once in the cluster: the node whose claim takes it off the count runs the handler. */
	async #delete(key: string, force: boolean): Promise<void> {
		const running = this.#deleting.get(key);
		if (running) return running;
		if (!(await this.#scripts.claimDeletion(key, force))) return;
		const done = (async () => {
			try {
				const name = await this.#scripts.beginDelete(key);
				if (name === undefined) {
					// Someone joined since it emptied: it stays.
					await this.#scripts.occupy([key]);
					return;
				}

				try {
					await this.#drop?.({name, key});
				} catch {
					// The handler logs its own failures; the room is gone either way.
				}

				await this.#scripts.endDelete(key);
			} finally {
				this.#deleting.delete(key);
			}
		})();
		this.#deleting.set(key, done);
		return done;
	}

	async #hold(channel: string): Promise<void> {
		try {
			await this.#subscriptions.hold(channel);
		} catch (error) {
			await this.#releaseQuietly(channel, this.#channelRooms.get(channel) ?? '');
			throw error;
		}
	}

	#holdQuietly(channel: string): void {
		this.#subscriptions.hold(channel).catch(() => {});
	}

	async #releaseQuietly(channel: string, key: string): Promise<void> {
		await this.#subscriptions.release(channel).catch(() => {});
		if (!this.#local.get(key) && key !== LOBBY) this.#channelRooms.delete(channel);
	}
}
