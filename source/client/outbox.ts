// The outbox: every chat message the user typed, from send() until the
// server has answered it. Nothing typed is lost (PROTOCOL.md §6).
//
// Delivery policy — AT-LEAST-ONCE:
// - A message waits here as "queued" until it is written to a connected
//   socket; then it is "in flight" until its status arrives (statuses are
//   matched first-in-first-out). Later messages are pipelined behind it.
// - A success status removes it for good: it is never sent again.
// - A failure status removes it and the client reports it failed with the
//   server's error-msg (the user sees it and may send it again by hand).
// - If the connection drops, every in-flight message goes back to "queued"
//   and the whole queue is re-sent, in the original order, after the
//   reconnect. A message whose status was lost in the drop may therefore
//   have reached the server already and be delivered twice. The protocol has
//   no message ids, so the client cannot tell "sent but not acknowledged"
//   from "never arrived"; losing typed text is worse than a rare duplicate.
// - The outbox holds at most `capacity` messages (queued plus in flight);
//   one more is refused at once and reported failed, never dropped silently.

export const DEFAULT_OUTBOX_CAPACITY = 1000;

export type OutboxEntry = {
	readonly localId: number;
	readonly text: string;
};

export type AddResult = {ok: true; entry: OutboxEntry} | {ok: false; entry: OutboxEntry; error: string};

export class Outbox {
	/** In send order. The first `#inFlight` entries have been written and await their status. */
	readonly #entries: OutboxEntry[] = [];
	#inFlight = 0;
	#nextId = 1;

	constructor(readonly capacity: number = DEFAULT_OUTBOX_CAPACITY) {
		if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('outbox capacity must be a positive integer');
	}

	add(text: string): AddResult {
		const entry: OutboxEntry = {localId: this.#nextId++, text};
		if (this.#entries.length >= this.capacity) {
			return {ok: false, entry, error: `outbox full: ${this.capacity} messages are already waiting to be sent`};
		}

		this.#entries.push(entry);
		return {ok: true, entry};
	}

	/** Gives a message that will not be queued (invalid, or the client is closed) its own id. */
	refuse(text: string): OutboxEntry {
		return {localId: this.#nextId++, text};
	}

	/** The next message to write, or undefined when all are in flight. */
	peekQueued(): OutboxEntry | undefined {
		return this.#entries[this.#inFlight];
	}

	/** Marks the next queued message as written and returns it. */
	takeQueued(): OutboxEntry | undefined {
		const entry = this.#entries[this.#inFlight];
		if (entry) this.#inFlight++;
		return entry;
	}

	/**
	 * Removes the oldest in-flight message, whose status just arrived. Returns
	 * undefined if `localId` is not the oldest in flight (a correlation bug or
	 * an outbox reset): the caller then leaves the outbox as it is.
	 */
	settle(localId: number): OutboxEntry | undefined {
		const first = this.#entries[0];
		if (this.#inFlight === 0 || first?.localId !== localId) return undefined;
		this.#entries.shift();
		this.#inFlight--;
		return first;
	}

	/** After a drop: everything not acknowledged is queued again, in order. */
	requeueInFlight(): void {
		this.#inFlight = 0;
	}

	/** Empties the outbox (on close) and returns what was still waiting. */
	drain(): OutboxEntry[] {
		const left = this.#entries.splice(0);
		this.#inFlight = 0;
		return left;
	}

	get size(): number {
		return this.#entries.length;
	}

	get inFlight(): number {
		return this.#inFlight;
	}

	/** Copies of the waiting messages, oldest first. */
	pending(): OutboxEntry[] {
		return [...this.#entries];
	}
}
