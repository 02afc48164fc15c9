// The newest seq this node has seen per conversation, with the epoch it was
// in: from its own appends, from history reads and from the messages other
// nodes published. The append script gets it, so that a counter that went
// back (a failover lost writes a replica never had) starts a new epoch
// (§9) instead of handing out seqs that clients already hold.

/** Past this many conversations the least recently seen is forgotten. */
const MAX_CONVERSATIONS = 100_000;

export type SeenSeq = {epoch: string; seq: number};

export class SeenSeqs {
	readonly #latest = new Map<string, SeenSeq>();

	note(conversation: string, epoch: string, seq: number): void {
		const known = this.#latest.get(conversation);
		if (known && known.epoch === epoch && known.seq >= seq) return;
		// Re-inserted, so the map's first entry is the least recently seen.
		this.#latest.delete(conversation);
		this.#latest.set(conversation, {epoch, seq});
		if (this.#latest.size > MAX_CONVERSATIONS) this.#latest.delete(this.#latest.keys().next().value!);
	}

	of(conversation: string): SeenSeq | undefined {
		return this.#latest.get(conversation);
	}
}
