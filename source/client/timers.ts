// Every timer the client starts goes through here, so close() can clear them
// all at once and nothing keeps the process alive after the client is gone
// (irc-framework's connection does the same).

export type Clock = {
	now(): number;
	setTimeout(callback: () => void, ms: number): unknown;
	clearTimeout(handle: unknown): void;
};

export const systemClock: Clock = {
	now: () => Date.now(),
	setTimeout: (callback, ms) => setTimeout(callback, ms),
	clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Timers {
	readonly #handles = new Map<number, unknown>();
	#nextId = 1;

	constructor(private readonly clock: Clock = systemClock) {}

	/** Starts a one-shot timer and returns its id, for clear(). */
	set(callback: () => void, ms: number): number {
		const id = this.#nextId++;
		const handle = this.clock.setTimeout(() => {
			this.#handles.delete(id);
			callback();
		}, ms);
		this.#handles.set(id, handle);
		return id;
	}

	clear(id: number | undefined): void {
		if (id === undefined) return;
		const handle = this.#handles.get(id);
		if (handle === undefined) return;
		this.clock.clearTimeout(handle);
		this.#handles.delete(id);
	}

	clearAll(): void {
		for (const handle of this.#handles.values()) this.clock.clearTimeout(handle);
		this.#handles.clear();
	}

	/** How many timers are pending; the leak tests watch this. */
	get size(): number {
		return this.#handles.size;
	}
}
