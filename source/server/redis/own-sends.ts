// A node's own stored messages between their append and their copy on the
// room's channel (redis-hub.ts delivers every stored message from the
// channel, its own too, so all nodes hand a room's messages out in seq
// order). Whichever comes first waits for the other: the append's reply (the
// sender, who must not be handed its message and hears its status once the
// copy passes), or the copy (the seq is remembered as delivered, and the
// status goes out as soon as the reply comes). Kept per room and by seq, so a
// burst's matching costs a number lookup per message, not a string built
// twice for each.
import type {HubMember} from '../hub.js';

/** A sender whose stored message the channel has not brought back yet. */
export type WaitingSender = {member: HubMember; passed(): void};

type Waiting = WaitingSender & {since: number};

/** Entries kept per room, waiting senders and early copies each; past this a room's oldest is let go (its sender's status goes out). */
export const MAX_UNMATCHED = 10_000;

/** One room's side, taken once for a whole envelope from the channel. */
export type RoomSends = {
	/** The copy of `seq` came: the sender that waited for it (now matched), or undefined when its reply has not come (the copy is remembered). */
	copyCame(seq: number): WaitingSender | undefined;
};

type Room = {senders: Map<number, Waiting>; early: Set<number>} & RoomSends;

export class OwnSends {
	readonly #rooms = new Map<string, Room>();
	readonly #timeoutMs: number;
	/** Runs when the oldest waiting sender has waited `timeoutMs`. */
	#timer: NodeJS.Timeout | undefined;

	/** A sender whose copy does not come within `timeoutMs` (Redis going away) is let go: its message is stored. */
	constructor(timeoutMs: number) {
		this.#timeoutMs = timeoutMs;
	}

	/** The append of `seq` was answered: `passed` runs now if its copy came already, else when it comes (or the wait times out). */
	replied(room: string, seq: number, member: HubMember, passed: () => void): void {
		const entry = this.#room(room);
		if (entry.early.delete(seq)) {
			this.#forgetIfEmpty(room, entry);
			passed();
			return;
		}

		// Each entry is taken out of the map before it is passed, so it passes once.
		entry.senders.set(seq, {member, passed, since: performance.now()});
		if (entry.senders.size > MAX_UNMATCHED) this.#letGo(entry, entry.senders.keys().next().value!);
		this.#watch();
	}

	/** The room's side, for one envelope of copies. */
	room(room: string): RoomSends {
		return this.#room(room);
	}

	/** The channel went away: what it carried is not coming. Every waiting sender is let go, and the early copies forgotten. */
	clear(): void {
		const rooms = [...this.#rooms.values()];
		this.#rooms.clear();
		clearTimeout(this.#timer);
		this.#timer = undefined;
		for (const room of rooms) for (const waiting of room.senders.values()) waiting.passed();
	}

	close(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#room(room: string): Room {
		let entry = this.#rooms.get(room);
		if (entry) return entry;
		const senders = new Map<number, Waiting>();
		const early = new Set<number>();
		entry = {
			senders,
			early,
			copyCame(seq) {
				const waiting = senders.get(seq);
				if (waiting) {
					senders.delete(seq);
					return waiting;
				}

				early.add(seq);
				if (early.size > MAX_UNMATCHED) early.delete(early.values().next().value!);
				return undefined;
			},
		};
		this.#rooms.set(room, entry);
		return entry;
	}

	#forgetIfEmpty(key: string, room: Room): void {
		if (room.senders.size === 0 && room.early.size === 0) this.#rooms.delete(key);
	}

	#letGo(room: Room, seq: number): void {
		const waiting = room.senders.get(seq)!;
		room.senders.delete(seq);
		waiting.passed();
	}

	/** One timer for every waiting sender, set for the oldest (each room's wait in arrival order), rather than one per message. */
	#watch(): void {
		if (this.#timer) return;
		let oldest = Infinity;
		for (const room of this.#rooms.values()) {
			const first = room.senders.values().next().value;
			if (first && first.since < oldest) oldest = first.since;
		}

		if (oldest === Infinity) return;
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			const due = performance.now() - this.#timeoutMs;
			for (const [key, room] of this.#rooms) {
				for (const [seq, waiting] of room.senders) {
					if (waiting.since > due) break;
					// A copy that comes after all is matched by its user name (redis-hub.ts).
					this.#letGo(room, seq);
				}

				this.#forgetIfEmpty(key, room);
			}

			this.#watch();
		}, Math.max(1, oldest + this.#timeoutMs - performance.now()));
	}
}
