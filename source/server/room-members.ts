// Who is in which room on this process: the part of fan-out that the
// in-process hub and the Redis hub share. Rooms are kept by key, each with its
// member set (insertion order is join order), and each member with its set
// of rooms, so delivering to a room and taking a member out of its rooms
// cost in proportion to that room or that member, never to the server.
import {MAX_ROOM_NAME_CHARS, roomKey} from '../protocol/rooms.js';
import type {HubMember, RoomName} from './hub.js';
import {BATCHED_ROOM_MEMBERS, RoomBatch} from './outbox.js';

export type LocalRoom = RoomName & {readonly members: ReadonlySet<HubMember>};

type Room = RoomName & {
	members: Set<HubMember>;
	/** A large room's broadcasts of this flush round (outbox.ts). */
	batch?: RoomBatch;
};

export class RoomMembers {
	readonly #rooms = new Map<string, Room>();
	/** Each member's rooms by key, in the order it joined them. */
	readonly #memberRooms = new Map<HubMember, Map<string, Room>>();

	/**
	 * Puts `member` in the room with `room`'s key, creating it with that
	 * spelling if this process has none; returns the room and whether the
	 * member was added (false: it was there already).
	 */
	join(room: string | RoomName, member: HubMember): {room: LocalRoom; added: boolean} {
		const name = typeof room === 'string' ? {name: room, key: cachedRoomKey(room)} : room;
		let entry = this.#rooms.get(name.key);
		if (!entry) {
			entry = {name: name.name, key: name.key, members: new Set()};
			this.#rooms.set(name.key, entry);
		}

		let rooms = this.#memberRooms.get(member);
		if (!rooms) {
			rooms = new Map();
			this.#memberRooms.set(member, rooms);
		}

		if (entry.members.has(member)) return {room: entry, added: false};
		entry.members.add(member);
		entry.batch?.add(member);
		rooms.set(entry.key, entry);
		return {room: entry, added: true};
	}

	/** Takes the member out of the room with this key; returns the room, or undefined when it was not in it. An emptied room is forgotten. */
	leave(key: string, member: HubMember): RoomName | undefined {
		const entry = this.#memberRooms.get(member)?.get(key);
		if (!entry) return undefined;
		this.#memberRooms.get(member)!.delete(key);
		this.#forget(entry, member);
		return {name: entry.name, key: entry.key};
	}

	/** Takes the member out of every room, returning them in the order it joined them; emptied rooms are forgotten. */
	leaveAll(member: HubMember): RoomName[] {
		const rooms = this.#memberRooms.get(member);
		if (!rooms) return [];
		this.#memberRooms.delete(member);
		const left: RoomName[] = [];
		for (const entry of rooms.values()) {
			this.#forget(entry, member);
			left.push({name: entry.name, key: entry.key});
		}

		return left;
	}

	/** The room with this key, when it has a member here. */
	get(key: string): LocalRoom | undefined {
		return this.#rooms.get(key);
	}

	/** The member's room with `key`, when it is in it. */
	roomOf(member: HubMember, key: string): RoomName | undefined {
		return this.#memberRooms.get(member)?.get(key);
	}

	/** How many rooms have a member here. */
	get size(): number {
		return this.#rooms.size;
	}

	/** How many rooms the member is in. */
	countOf(member: HubMember): number {
		return this.#memberRooms.get(member)?.size ?? 0;
	}

	/** Rooms with a member here, in the order they were created. */
	all(): IterableIterator<LocalRoom> {
		return this.#rooms.values();
	}

	/**
	 * Hands the same bytes to every member of the room with this key except
	 * `except`: one by one in a small room; in a large one through the
	 * round's batch, at a cost that does not grow with the members.
	 */
	deliver(key: string, frame: Uint8Array, except?: HubMember): void {
		const entry = this.#rooms.get(key);
		if (!entry) return;
		// A batch opened this round keeps the room's order even if the room has shrunk since.
		if (entry.batch || entry.members.size >= BATCHED_ROOM_MEMBERS) {
			this.#batchOf(entry).append(frame, except);
			return;
		}

		for (const member of entry.members) {
			if (member !== except) member.deliver(frame);
		}
	}

	#batchOf(entry: Room): RoomBatch {
		if (entry.batch) return entry.batch;
		const batch = new RoomBatch(entry.members, () => {
			if (entry.batch === batch) entry.batch = undefined;
		});
		entry.batch = batch;
		return batch;
	}

	#forget(entry: Room, member: HubMember): void {
		entry.members.delete(member);
		entry.batch?.remove(member);
		if (entry.members.size === 0) this.#rooms.delete(entry.key);
	}
}

/** Spellings whose key is remembered; past this the memo starts again (room commands repeat a few spellings). */
const MAX_REMEMBERED_SPELLINGS = 10_000;
/** Longer strings cannot be room names (32 characters after "#", each at most two UTF-16 units): never remembered, so the memo stays small. */
const MAX_REMEMBERED_LENGTH = 1 + 2 * MAX_ROOM_NAME_CHARS;
const rememberedKeys = new Map<string, string>();

/** roomKey(room), remembered: the confusable skeleton is too dear to compute for every message. */
export function cachedRoomKey(room: string): string {
	let key = rememberedKeys.get(room);
	if (key === undefined) {
		key = roomKey(room);
		if (room.length > MAX_REMEMBERED_LENGTH) return key;
		if (rememberedKeys.size >= MAX_REMEMBERED_SPELLINGS) rememberedKeys.clear();
		rememberedKeys.set(room, key);
	}

	return key;
}
