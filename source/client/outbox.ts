// The outbox: every chat message the user typed, from send() until the
// server has answered it. Nothing typed is lost (PROTOCOL.md §6).
//
// Delivery policy:
// - A message waits here as "queued" until it is written to a connected
//   socket; then it is "in flight" until its status arrives (statuses are
//   matched first-in-first-out). Later messages are pipelined behind it.
// - A success status removes it for good: it is never sent again.
// - A failure status removes it and the client reports it failed with the
//   server's error-msg (the user sees it and may send it again by hand).
// - Except "not now" (`unavailable`, `rate-limited`: §8, with `retry`): the
//   message is kept in its place and sent again, with its id, after the
//   wait. The messages written after it stay in flight until their statuses
//   come (each one kept the same way, or settled); only when none is left in
//   flight does anything go out again, oldest first, so a later message never
//   overtakes a kept one on the wire.
// - If the connection drops, every in-flight message goes back to "queued"
//   and the whole queue is re-sent, in the original order, after the
//   reconnect, each with the id it was given here. A server with `history`
//   (§9) knows an id it has stored and answers `duplicate` instead of
//   delivering it again: EXACTLY-ONCE. Other servers get no id, and a message
//   whose status was lost in the drop may be delivered twice: AT-LEAST-ONCE,
//   since losing typed text is worse than a rare duplicate.
// - The outbox holds at most `capacity` messages (queued plus in flight);
//   one more is refused at once and reported failed, never dropped silently.
import type {SendTarget} from './events.js';
import {newMessageId} from './message-id.js';

export const DEFAULT_OUTBOX_CAPACITY = 1000;

export type OutboxEntry = {
	readonly localId: number;
	readonly text: string;
	/** The §9 idempotency key, the same on every resend. */
	readonly id: string;
	/** Where it goes (§10), so a resend after a reconnect goes to the same conversation; undefined: #lobby. */
	readonly target?: SendTarget;
	/** §13: a `/me` action. */
	readonly action?: true;
};

export type AddResult = {ok: true; entry: OutboxEntry} | {ok: false; entry: OutboxEntry; error: string};

export class Outbox {
	/**
	 * In send order: first `#kept` entries refused for now (queued to go again),
	 * then `#inFlight` written ones awaiting their status, then the queued rest.
	 * `#kept` is 0 whenever nothing is in flight.
	 */
	readonly #entries: OutboxEntry[] = [];
	#kept = 0;
	#inFlight = 0;
	#nextId = 1;
	/** The ids of #entries, for the resume's "is this one ours" check. */
	readonly #ids = new Set<string>();

	constructor(readonly capacity: number = DEFAULT_OUTBOX_CAPACITY) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('outbox capacity must be a positive integer');
	}

	add(text: string, target?: SendTarget, action?: true): AddResult {
		const entry: OutboxEntry = {localId: this.#nextId++, text, id: newMessageId(), ...(target ? {target} : {}), ...(action ? {action} : {})};
		if (this.#entries.length >= this.capacity) {
			return {ok: false, entry, error: `outbox full: ${this.capacity} messages are already waiting to be sent`};
		}

		this.#entries.push(entry);
		this.#ids.add(entry.id);
		return {ok: true, entry};
	}

	/** Gives a message that will not be queued (invalid, or the client is closed) its own id. */
	refuse(text: string, target?: SendTarget): OutboxEntry {
		return {localId: this.#nextId++, text, id: newMessageId(), ...(target ? {target} : {})};
	}

	/** Takes out the queued (not in flight) messages that `matches`, in order: their conversation closed before they went out. */
	removeQueued(matches: (entry: OutboxEntry) => boolean): OutboxEntry[] {
		const removed: OutboxEntry[] = [];
		for (let index = this.#entries.length - 1; index >= 0; index--) {
			const inFlight = index >= this.#kept && index < this.#kept + this.#inFlight;
			const entry = this.#entries[index];
			if (inFlight || !matches(entry)) continue;
			this.#entries.splice(index, 1);
			this.#ids.delete(entry.id);
			if (index < this.#kept) this.#kept--;
			removed.unshift(entry);
		}

		return removed;
	}

	/** Is a message with this id still waiting (queued or in flight)? */
	hasId(id: string): boolean {
		return this.#ids.has(id);
	}

	/** The next message to write; undefined when all are in flight, or while kept ones wait for the statuses of those written after them. */
	peekQueued(): OutboxEntry | undefined {
		return this.#kept > 0 ? undefined : this.#entries[this.#inFlight];
	}

	/** Marks the next queued message as written and returns it. */
	takeQueued(): OutboxEntry | undefined {
		const entry = this.peekQueued();
		if (entry) this.#inFlight++;
		return entry;
	}

	/**
	 * Removes the oldest in-flight message, whose status just arrived. Returns
	 * undefined if `localId` is not the oldest in flight (a correlation bug or
	 * an outbox reset): the caller then leaves the outbox as it is.
	 */
	settle(localId: number): OutboxEntry | undefined {
		const first = this.#oldestInFlight(localId);
		if (!first) return undefined;
		this.#entries.splice(this.#kept, 1);
		this.#ids.delete(first.id);
		this.#landed();
		return first;
	}

	/**
	 * The oldest in-flight message was refused for now: it stays in its place,
	 * queued to go again with its id. Undefined as for settle().
	 */
	keep(localId: number): OutboxEntry | undefined {
		const first = this.#oldestInFlight(localId);
		if (!first) return undefined;
		this.#kept++;
		this.#landed();
		return first;
	}

	/** After a drop: everything not acknowledged is queued again, in order. */
	requeueInFlight(): void {
		this.#inFlight = 0;
		this.#kept = 0;
	}

	/** Empties the outbox (on close) and returns what was still waiting. */
	drain(): OutboxEntry[] {
		const left = this.#entries.splice(0);
		this.#ids.clear();
		this.requeueInFlight();
		return left;
	}

	#oldestInFlight(localId: number): OutboxEntry | undefined {
		const first = this.#entries[this.#kept];
		return this.#inFlight > 0 && first?.localId === localId ? first : undefined;
	}

	/** A status arrived: one fewer in flight; with none left, the kept ones are ordinary queued messages again. */
	#landed(): void {
		this.#inFlight--;
		if (this.#inFlight === 0) this.#kept = 0;
	}

	get size(): number {
		return this.#entries.length;
	}

	/** Copies of the waiting messages, oldest first. */
	pending(): OutboxEntry[] {
		return [...this.#entries];
	}
}
