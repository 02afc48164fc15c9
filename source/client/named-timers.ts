// The client's timers by name: at most one of each is pending, and all of
// them live in one Timers, so a close clears every one at once.
import {Timers, type Clock} from './timers.js';

export type ClientTimer = 'connect' | 'reconnect' | 'refresh' | 'flush' | 'resend' | 'reload' | 'exit' | 'reply';

export class NamedTimers {
	readonly #timers: Timers;
	readonly #named = new Map<ClientTimer, number>();

	constructor(clock: Clock) {
		this.#timers = new Timers(clock);
	}

	/** Starts the timer called `name` (clearing one already pending); it forgets itself when it fires. */
	set(name: ClientTimer, callback: () => void, ms: number): void {
		this.clear(name);
		this.#named.set(name, this.#timers.set(() => {
			this.#named.delete(name);
			callback();
		}, ms));
	}

	clear(name: ClientTimer): void {
		this.#timers.clear(this.#named.get(name));
		this.#named.delete(name);
	}

	has(name: ClientTimer): boolean {
		return this.#named.has(name);
	}

	clearAll(): void {
		this.#timers.clearAll();
		this.#named.clear();
	}

	/** Pending timers; the leak tests watch this. */
	get size(): number {
		return this.#timers.size;
	}
}
