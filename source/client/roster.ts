// The client's own view of who is present: names in the order they joined,
// keyed case-insensitively (PROTOCOL.md §2). The client needs it to tell an
// event about an unknown user (a warning) from a normal one, and to answer
// /who in the 2015 dialect, where the server cannot list clients.
import {nameKey} from '../protocol/limits.js';

export class Roster {
	readonly #names = new Map<string, string>();
	/** True once a get-clients reply filled it; false while built from events alone. */
	complete = false;

	replace(names: readonly string[], complete: boolean): void {
		this.#names.clear();
		for (const name of names) this.#names.set(nameKey(name), name);
		this.complete = complete;
	}

	has(name: string): boolean {
		return this.#names.has(nameKey(name));
	}

	add(name: string): void {
		this.#names.set(nameKey(name), name);
	}

	remove(name: string): void {
		this.#names.delete(nameKey(name));
	}

	/** Keeps the join position only when the key is unchanged (a change of case). */
	rename(oldname: string, newname: string): void {
		if (nameKey(oldname) === nameKey(newname)) {
			this.#names.set(nameKey(newname), newname);
			return;
		}

		this.#names.delete(nameKey(oldname));
		this.#names.set(nameKey(newname), newname);
	}

	names(): string[] {
		return [...this.#names.values()];
	}

	get size(): number {
		return this.#names.size;
	}
}
