// A tiny typed event emitter. Listeners run synchronously, in the order they
// were added, so the client never queues events: a flood from the server is
// handed to the listeners as it is decoded, and nothing piles up here.
//
// Unlike node:events, an 'error' event with no listener is not thrown: our
// errors are human text for the screen, not exceptions.

type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends Record<string, unknown>> {
	readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

	on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
		let set = this.#listeners.get(name);
		if (!set) {
			set = new Set();
			this.#listeners.set(name, set);
		}

		set.add(listener as Listener<never>);
		return this;
	}

	off<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
		const set = this.#listeners.get(name);
		set?.delete(listener as Listener<never>);
		if (set?.size === 0) this.#listeners.delete(name);
		return this;
	}

	once<K extends keyof Events>(name: K, listener: Listener<Events[K]>): this {
		const wrapper: Listener<Events[K]> = payload => {
			this.off(name, wrapper);
			listener(payload);
		};

		return this.on(name, wrapper);
	}

	listenerCount(name?: keyof Events): number {
		if (name !== undefined) return this.#listeners.get(name)?.size ?? 0;
		let total = 0;
		for (const set of this.#listeners.values()) total += set.size;
		return total;
	}

	protected emit<K extends keyof Events>(name: K, payload: Events[K]): void {
		const set = this.#listeners.get(name);
		if (!set) return;
		// Copy, so a listener that removes itself does not skip the next one.
		for (const listener of [...set]) (listener as Listener<Events[K]>)(payload);
	}
}
