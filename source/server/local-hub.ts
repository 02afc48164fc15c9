// The in-process hub: the name registry (name key → its holders, member →
// name, whose insertion order is the join order), the room members, and the
// empty rooms counting down to their deletion. A name has one holder, or up
// to `max` connections of one account (claimAccount, §11): one user to the
// others, who are told when the name enters or leaves a room, not a member.
import {nameKey} from '../protocol/limits.js';
import {EMPTY_ROOM_TTL_MS, MAX_ROOMS_PER_CONNECTION, MAX_ROOMS_PER_SERVER} from '../protocol/rooms.js';
import type {RoomSummary} from '../protocol/types.js';
import {awayAmong, LOBBY, type AccountClaim, type Hub, type HubMember, type JoinOutcome, type RoomFeature, type RoomName} from './hub.js';
import {cachedRoomKey, RoomMembers, type LocalRoom} from './room-members.js';

export type LocalHubOptions = {
	/** The clock of the empty-room countdown, so a test can move it. @default Date.now */
	now?: () => number;
	/** @default EMPTY_ROOM_TTL_MS */
	emptyRoomTtlMs?: number;
	/** Rooms on the server, `#lobby` included. @default MAX_ROOMS_PER_SERVER */
	maxRooms?: number;
	/** Rooms per member, `#lobby` included. @default MAX_ROOMS_PER_CONNECTION */
	maxRoomsPerMember?: number;
};

export class LocalHub implements Hub {
	readonly roomFeatures: readonly RoomFeature[] = ['rooms', 'direct'];
	/** Several members may hold one name (an account's connections); only claim decides whether one more may. */
	readonly #holders = new Map<string, HubMember[]>();
	/** Name keys held by an account's connections: claimAccount may add more of them. */
	readonly #accountNames = new Set<string>();
	/** Insertion order is join order; a rename rewrites the value in place, so it keeps its place. */
	readonly #names = new Map<HubMember, string>();
	/** Members that accept direct messages, as they said when they claimed their name. */
	readonly #direct = new Set<HubMember>();
	readonly #rooms = new RoomMembers();
	/** Rooms without members, oldest-emptied first, kept (spelling, log, file) until their time is up. */
	readonly #empty = new Map<string, {room: RoomName; since: number}>();
	/** Rooms whose deletion handler is running: their key waits until it has finished. */
	readonly #deleting = new Map<string, Promise<void>>();
	#drop: ((room: RoomName) => Promise<void>) | undefined;
	#timer: NodeJS.Timeout | undefined;
	/** §13: away reasons by name key. */
	readonly #away = new Map<string, string>();
	readonly #now: () => number;
	readonly #ttlMs: number;
	readonly #maxRooms: number;
	readonly #maxRoomsPerMember: number;

	constructor({now = Date.now, emptyRoomTtlMs = EMPTY_ROOM_TTL_MS, maxRooms = MAX_ROOMS_PER_SERVER, maxRoomsPerMember = MAX_ROOMS_PER_CONNECTION}: LocalHubOptions = {}) {
		this.#now = now;
		this.#ttlMs = emptyRoomTtlMs;
		this.#maxRooms = maxRooms;
		this.#maxRoomsPerMember = maxRoomsPerMember;
	}

	/** How many names are held. */
	get size(): number {
		return this.#names.size;
	}

	async claim(name: string, member: HubMember): Promise<boolean> {
		const key = nameKey(name);
		if (this.#holders.has(key) || this.#names.has(member)) return false;
		this.#holders.set(key, [member]);
		this.#names.set(member, name);
		if (member.acceptsDirect) this.#direct.add(member);
		this.#rooms.join(LOBBY, member);
		return true;
	}

	async claimAccount(name: string, member: HubMember, max: number): Promise<AccountClaim> {
		const key = nameKey(name);
		const holders = this.#holders.get(key);
		if (holders?.includes(member)) {
			this.#accountNames.add(key);
			return {ok: true, first: false};
		}

		if (this.#names.has(member) || (holders && !this.#accountNames.has(key))) return {ok: false, reason: 'taken'};
		if (holders && holders.length >= max) return {ok: false, reason: 'full', holders: [...holders]};
		this.#hold(key, member);
		this.#accountNames.add(key);
		// One spelling for all of them, so every list shows the name once.
		this.#names.set(member, holders ? this.#names.get(holders[0]!)! : name);
		if (member.acceptsDirect) this.#direct.add(member);
		this.#rooms.join(LOBBY, member);
		return {ok: true, first: holders === undefined};
	}

	async rename(member: HubMember, newname: string): Promise<boolean> {
		const oldname = this.#names.get(member);
		if (oldname === undefined) return false;
		const key = nameKey(newname);
		const holders = this.#holders.get(key);
		if (holders !== undefined && holders.some(holder => holder !== member)) return false;
		this.#unhold(nameKey(oldname), member);
		this.#hold(key, member);
		this.#names.set(member, newname);
		return true;
	}

	async release(member: HubMember): Promise<RoomName[]> {
		const name = this.#names.get(member);
		if (name === undefined) return [];
		this.#names.delete(member);
		this.#direct.delete(member);
		const key = nameKey(name);
		this.#unhold(key, member);
		const left = this.#rooms.leaveAll(member);
		for (const room of left) this.#countDownIfEmpty(room);
		// Where another connection of the account stays, the user has not left.
		const staying = this.#holders.get(key);
		return staying ? left.filter(room => !staying.some(other => this.#rooms.roomOf(other, room.key))) : left;
	}

	/** Every name once, at its first holder's place. */
	async roster(): Promise<string[]> {
		return [...new Set(this.#names.values())];
	}

	async join(room: string, member: HubMember): Promise<JoinOutcome> {
		await this.#sweep();
		const key = cachedRoomKey(room);
		for (;;) {
			const deleting = this.#deleting.get(key);
			if (deleting) {
				await deleting;
				continue;
			}

			if (!this.#names.has(member)) return {ok: false, refusal: 'gone'};
			const current = this.#rooms.roomOf(member, key);
			if (current) return {ok: true, room: nameOf(current), members: this.#memberNames(key), joined: false};
			if (this.#rooms.countOf(member) >= this.#maxRoomsPerMember) return {ok: false, refusal: 'connection-limit'};
			const existing = this.#rooms.get(key) ?? this.#empty.get(key)?.room;
			if (!existing && this.#roomCount() >= this.#maxRooms) {
				// The longest-empty room goes early rather than no room being creatable for a day.
				const oldest = this.#empty.values().next().value;
				if (!oldest) return {ok: false, refusal: 'server-limit'};
				await this.#delete(oldest.room);
				continue;
			}

			if (this.#empty.delete(key)) this.#schedule();
			// Another connection of the same account in the room already: the name is there, nobody is to be told.
			const namesake = (this.#holders.get(nameKey(this.#names.get(member)!)) ?? []).some(other => other !== member && this.#rooms.roomOf(other, key));
			const joined = this.#rooms.join(existing ?? {name: room, key}, member).room;
			return {ok: true, room: nameOf(joined), members: this.#memberNames(key), joined: !namesake};
		}
	}

	async part(room: string, member: HubMember): Promise<RoomName | undefined> {
		const key = cachedRoomKey(room);
		if (key === LOBBY) return undefined;
		const left = this.#rooms.leave(key, member);
		if (left) this.#countDownIfEmpty(left);
		return left;
	}

	async members(room: RoomName): Promise<string[]> {
		return this.#memberNames(room.key);
	}

	async rooms(): Promise<RoomSummary[]> {
		await this.#sweep();
		const summaries: RoomSummary[] = [];
		for (const room of this.#rooms.all()) summaries.push({room: room.name, users: this.#userCount(room)});
		return summaries.sort((a, b) => rank(a.room) - rank(b.room) || compareKeys(a.room, b.room));
	}

	roomOf(member: HubMember, room: string): RoomName | undefined {
		const found = this.#rooms.roomOf(member, cachedRoomKey(room));
		return found && nameOf(found);
	}

	async direct(to: string, sender: HubMember, frame: (recipient: string) => Uint8Array): Promise<boolean> {
		const holders = this.#holders.get(nameKey(to)) ?? [];
		const recipients = holders.filter(holder => this.#direct.has(holder));
		if (recipients.length === 0 && !holders.includes(sender)) return false;
		const senderName = this.#names.get(sender);
		const own = senderName === undefined ? [] : this.#holders.get(nameKey(senderName)) ?? [];
		const bytes = frame(this.#names.get(holders[0]!)!);
		for (const member of new Set([...recipients, ...own])) {
			if (member !== sender && this.#direct.has(member)) member.deliver(bytes);
		}

		return true;
	}

	async setAway(name: string, reason: string | undefined): Promise<void> {
		if (reason === undefined) this.#away.delete(nameKey(name));
		else this.#away.set(nameKey(name), reason);
	}

	async away(names: readonly string[]): Promise<Record<string, string>> {
		return awayAmong(names, this.#away);
	}

	onRoomDeleted(drop: (room: RoomName) => Promise<void>): void {
		this.#drop = drop;
	}

	broadcast(room: string, frame: Uint8Array, except?: HubMember): void {
		this.#rooms.deliver(room, frame, except);
	}

	broadcastStored(room: string, _seq: number, frame: () => Uint8Array, sender: HubMember, handedOut: () => void): void {
		handedOut();
		this.#rooms.deliver(room, frame(), sender);
	}

	// ---- names ----

	#hold(key: string, member: HubMember): void {
		const holders = this.#holders.get(key);
		if (holders) {
			if (!holders.includes(member)) holders.push(member);
		} else this.#holders.set(key, [member]);
	}

	#unhold(key: string, member: HubMember): void {
		const rest = (this.#holders.get(key) ?? []).filter(holder => holder !== member);
		if (rest.length > 0) {
			this.#holders.set(key, rest);
		} else {
			this.#holders.delete(key);
			this.#accountNames.delete(key);
		}
	}

	/** Distinct names in the room; while every name has one holder, that is its member count. */
	#userCount(room: LocalRoom): number {
		return this.#names.size === this.#holders.size ? room.members.size : this.#distinctNames(room).size;
	}

	#distinctNames(room: LocalRoom): Set<string> {
		const names = new Set<string>();
		for (const member of room.members) {
			const name = this.#names.get(member);
			if (name !== undefined) names.add(name);
		}

		return names;
	}

	#memberNames(key: string): string[] {
		const room = this.#rooms.get(key);
		return room ? [...this.#distinctNames(room)] : [];
	}

	// ---- empty rooms ----

	/** Rooms that exist, `#lobby` always among them, with members or counting down. */
	#roomCount(): number {
		const lobbyCounted = this.#rooms.get(LOBBY) ? 0 : 1;
		return this.#rooms.size + this.#empty.size + this.#deleting.size + lobbyCounted;
	}

	#countDownIfEmpty(room: RoomName): void {
		if (room.key === LOBBY || this.#rooms.get(room.key)) return;
		this.#empty.set(room.key, {room: nameOf(room), since: this.#now()});
		this.#schedule();
	}

	/** Deletes every empty room whose time is up; resolves once their handlers finished. */
	async #sweep(): Promise<void> {
		const due: Array<Promise<void>> = [];
		const now = this.#now();
		for (const {room, since} of this.#empty.values()) {
			if (now - since < this.#ttlMs) break;
			due.push(this.#delete(room));
		}

		// A timer may fire a little before the clock shows its time has come: then try again.
		if (due.length === 0) this.#schedule();
		await Promise.all(due);
	}

	async #delete(room: RoomName): Promise<void> {
		this.#empty.delete(room.key);
		this.#schedule();
		const done = (async () => {
			try {
				await this.#drop?.(room);
			} catch {
				// The handler logs its own failures; the room is gone either way.
			} finally {
				this.#deleting.delete(room.key);
			}
		})();
		this.#deleting.set(room.key, done);
		return done;
	}

	/** One timer, for the oldest empty room, so logs are dropped even when nobody joins. */
	#schedule(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		const oldest = this.#empty.values().next().value;
		if (!oldest) return;
		this.#timer = setTimeout(() => {
			void this.#sweep();
		}, Math.max(0, oldest.since + this.#ttlMs - this.#now()));
		this.#timer.unref();
	}
}

function nameOf(room: RoomName): RoomName {
	return {name: room.name, key: room.key};
}

/** `#lobby` sorts first. */
function rank(room: string): number {
	return cachedRoomKey(room) === LOBBY ? 0 : 1;
}

function compareKeys(a: string, b: string): number {
	const keyA = cachedRoomKey(a);
	const keyB = cachedRoomKey(b);
	return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}
