// Collects the items queued during one tick (the I/O callback running now and
// the promise jobs it starts) and hands them to `commit` together, in at most
// `maxBatch`-sized slices, as that tick ends (process.nextTick). Each caller's
// promise settles only after the commit that holds its items: the SQLite log
// commits one transaction per batch and acknowledges nothing before it.
// Not once per turn of the loop (setImmediate): that held every socket's
// messages read in one poll phase for one commit, then handed each reader the
// whole burst at once, and the server sat idle while the readers drained it.
export type Commit<Item, Result> = (items: Item[]) => Result[];

type Pending<Item, Result> = {items: readonly Item[]; resolve(results: Result[]): void; reject(error: unknown): void};

export class TickBatcher<Item, Result> {
	readonly #commit: Commit<Item, Result>;
	readonly #maxBatch: number;
	#queue: Array<Pending<Item, Result>> = [];
	#scheduled = false;

	constructor(commit: Commit<Item, Result>, maxBatch = 1000) {
		this.#commit = commit;
		this.#maxBatch = maxBatch;
	}

	async add(items: readonly Item[]): Promise<Result[]> {
		return new Promise((resolve, reject) => {
			this.#queue.push({items, resolve, reject});
			if (!this.#scheduled) {
				this.#scheduled = true;
				process.nextTick(() => this.flush());
			}
		});
	}

	/** Commits everything queued now (also called by close()). */
	flush(): void {
		this.#scheduled = false;
		const queue = this.#queue;
		this.#queue = [];
		let start = 0;
		while (start < queue.length) {
			// A slice ends at maxBatch items, but never splits one caller's items.
			let end = start;
			let size = 0;
			do size += queue[end++].items.length;
			while (end < queue.length && size + queue[end].items.length <= this.#maxBatch);
			this.#commitSlice(queue.slice(start, end));
			start = end;
		}
	}

	#commitSlice(slice: Array<Pending<Item, Result>>): void {
		let results: Result[];
		try {
			results = this.#commit(slice.flatMap(pending => pending.items));
		} catch (error) {
			for (const pending of slice) pending.reject(error);
			return;
		}

		let offset = 0;
		for (const pending of slice) {
			pending.resolve(results.slice(offset, offset + pending.items.length));
			offset += pending.items.length;
		}
	}
}
