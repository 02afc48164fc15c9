// The lock-out counters of one server process (`--data`, or no storage).
// Bounded: past `maxRecords` the expired go first, then the oldest, so a
// flood of made-up names cannot grow the map without end.
import {afterFailure, keepFor, type LockoutPolicy, type LockoutStore, type LockRecord} from './lockout.js';

type Entry = LockRecord & {expires: number};

export class MemoryLockoutStore implements LockoutStore {
	readonly #records = new Map<string, Entry>();
	readonly #maxRecords: number;

	constructor(maxRecords = 100_000) {
		this.#maxRecords = maxRecords;
	}

	get size(): number {
		return this.#records.size;
	}

	async read(keys: readonly string[], now: number): Promise<Array<LockRecord | undefined>> {
		return keys.map(key => this.#live(key, now));
	}

	async fail(key: string, now: number, policy: LockoutPolicy): Promise<LockRecord> {
		const failures = (this.#live(key, now)?.failures ?? 0) + 1;
		const record = afterFailure(failures, now, policy);
		// Deleted first, so the map's order stays oldest-failure first.
		this.#records.delete(key);
		if (this.#records.size >= this.#maxRecords) this.#makeRoom(now);
		this.#records.set(key, {...record, expires: now + keepFor(failures, policy)});
		return record;
	}

	async clear(key: string): Promise<void> {
		this.#records.delete(key);
	}

	async close(): Promise<void> {
		this.#records.clear();
	}

	#live(key: string, now: number): LockRecord | undefined {
		const entry = this.#records.get(key);
		if (entry === undefined) return undefined;
		if (entry.expires > now) return {failures: entry.failures, lockedUntil: entry.lockedUntil};
		this.#records.delete(key);
		return undefined;
	}

	#makeRoom(now: number): void {
		for (const [key, entry] of this.#records) if (entry.expires <= now) this.#records.delete(key);
		if (this.#records.size < this.#maxRecords) return;
		const oldest = this.#records.keys().next();
		if (!oldest.done) this.#records.delete(oldest.value);
	}
}
