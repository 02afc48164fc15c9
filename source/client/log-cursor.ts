// Where the client stands in one conversation's log (PROTOCOL.md §9): the
// epoch, and which seqs it has shown or knows to be gone. A position is an
// offset and an epoch, as centrifuge names a stream position: a resume is
// possible only within the same epoch, from the mark on.
//
// `mark` is the highest seq below which nothing is missing: every seq up to
// it was delivered, sent by us, or declared missed. Seqs seen above it (our
// own, whose status came before the events before them) wait in `above`
// until the gap under them closes. Pure: no sockets, no timers.

export type SeqVerdict =
	/** Not seen: deliver it; the mark moves up if it was the next one. */
	| 'new'
	/** Already delivered or known: drop it. */
	| 'duplicate';

export class LogCursor {
	#epoch: string | undefined;
	#mark = 0;
	readonly #above = new Set<number>();
	/** The lowest seq loaded in this epoch; older pages are asked for below it. */
	#oldest = Number.POSITIVE_INFINITY;
	/** The oldest seq the server still keeps, as it last said. */
	#first = 0;
	/** Our own messages' positions that came before the epoch was known. */
	#early: Array<{seq: number; epoch: string}> = [];

	get epoch(): string | undefined {
		return this.#epoch;
	}

	get mark(): number {
		return this.#mark;
	}

	/** The highest seq known in this epoch. */
	get top(): number {
		let top = this.#mark;
		for (const seq of this.#above) top = Math.max(top, seq);
		return top;
	}

	/** Starts (or restarts) the epoch with everything up to `mark` taken as known. */
	start(epoch: string, mark: number, first: number): void {
		this.#epoch = epoch;
		this.#mark = mark;
		this.#above.clear();
		this.#first = first;
		this.#oldest = mark + 1;
		const early = this.#early;
		this.#early = [];
		for (const own of early) this.noteOwn(own.seq, own.epoch);
	}

	/** Is `seq` of `epoch` the next one, with nothing missing below it? */
	isNext(seq: number, epoch: string): boolean {
		return epoch === this.#epoch && seq === this.#mark + 1;
	}

	/** Takes a delivered seq; says whether it was new. */
	accept(seq: number, epoch: string): SeqVerdict {
		if (epoch !== this.#epoch || seq <= this.#mark || this.#above.has(seq)) return 'duplicate';
		this.#above.add(seq);
		this.#oldest = Math.min(this.#oldest, seq);
		this.#advance();
		return 'new';
	}

	/** Would accept() take it? */
	isNew(seq: number, epoch: string): boolean {
		return epoch === this.#epoch && seq > this.#mark && !this.#above.has(seq);
	}

	/** Our own message, stored at `seq`: the log holds it, so a resume must not deliver it to us. */
	noteOwn(seq: number, epoch: string): void {
		if (epoch !== this.#epoch) {
			// The epoch is not known yet (the first load is on its way), or is about to change.
			this.#early.push({seq, epoch});
			return;
		}

		this.accept(seq, epoch);
	}

	/**
	 * The server keeps nothing below `first`: what we lacked under it is gone.
	 * Returns how many seqs were lost for good.
	 */
	skipTo(first: number): number {
		if (first <= this.#mark + 1) return 0;
		let missed = 0;
		for (let seq = this.#mark + 1; seq < first; seq++) {
			if (this.#above.has(seq)) this.#above.delete(seq);
			else missed++;
		}

		this.#mark = first - 1;
		this.#advance();
		return missed;
	}

	/** Notes the server's `first` from any reply of this epoch. */
	keeps(first: number): void {
		this.#first = first;
	}

	/** Where an older page starts (`before`), or undefined when the server keeps nothing older. */
	olderBound(): number | undefined {
		if (this.#epoch === undefined || !Number.isFinite(this.#oldest)) return undefined;
		const keptFrom = Math.max(1, this.#first);
		return this.#oldest > keptFrom ? this.#oldest : undefined;
	}

	/** An older page arrived, down to `lowest`. */
	loadedDownTo(lowest: number): void {
		this.#oldest = Math.min(this.#oldest, lowest);
	}

	/** Nothing older exists (an empty page, or another epoch). */
	noOlder(): void {
		this.#oldest = Math.max(1, this.#first);
	}

	#advance(): void {
		while (this.#above.delete(this.#mark + 1)) this.#mark++;
	}
}
