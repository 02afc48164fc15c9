// At most `concurrency` password checks run at once; a few more wait their
// turn in order, and past that queue a check is refused at once, so a flood
// of logins costs the server bounded CPU and memory (scrypt takes 16 MiB per
// check) and the flooder a `rate-limited`, not everyone a slow server.

export type GateOutcome<T> = {ran: true; value: T} | {ran: false};

export class CheckGate {
	readonly #concurrency: number;
	readonly #maxWaiting: number;
	#running = 0;
	readonly #waiting: Array<() => void> = [];

	constructor(concurrency = 2, maxWaiting = 16) {
		this.#concurrency = concurrency;
		this.#maxWaiting = maxWaiting;
	}

	get running(): number {
		return this.#running;
	}

	get waiting(): number {
		return this.#waiting.length;
	}

	/** Runs `task` when a slot is free; `{ran: false}` without running it when the queue is full. */
	async run<T>(task: () => Promise<T>): Promise<GateOutcome<T>> {
		if (this.#running >= this.#concurrency) {
			if (this.#waiting.length >= this.#maxWaiting) return {ran: false};
			// The slot is handed over by release(), so #running already counts this task.
			await new Promise<void>(resolve => this.#waiting.push(resolve));
		} else {
			this.#running++;
		}

		try {
			return {ran: true, value: await task()};
		} finally {
			this.#release();
		}
	}

	#release(): void {
		const next = this.#waiting.shift();
		if (next) next();
		else this.#running--;
	}
}
