// Client-side send pacing: a token bucket a little below the server's
// default rate limit (burst 20, then 10/s; PROTOCOL.md §2). Without it, a
// reconnect that flushes a long outbox would hit "rate limited" and the
// user's messages would be refused, although nothing was wrong with them.

import type {Clock} from './timers.js';

export type RateOptions = {
	/** Commands that may go at once. @default 16 */
	burst: number;
	/** Commands per second after the burst. @default 8 */
	perSecond: number;
};

export const DEFAULT_SEND_RATE: RateOptions = {burst: 16, perSecond: 8};

export class Pacer {
	#tokens: number;
	#updatedAt: number;

	constructor(private readonly rate: RateOptions | false, private readonly clock: Pick<Clock, 'now'>) {
		if (rate && (!(rate.burst >= 1) || !(rate.perSecond > 0))) throw new RangeError('sendRate needs burst >= 1 and perSecond > 0');
		this.#tokens = rate ? rate.burst : 0;
		this.#updatedAt = clock.now();
	}

	#refill(): void {
		if (!this.rate) return;
		const now = this.clock.now();
		this.#tokens = Math.min(this.rate.burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.rate.perSecond);
		this.#updatedAt = now;
	}

	/** Milliseconds until one command may go; 0 means now. */
	waitMs(): number {
		if (!this.rate) return 0;
		this.#refill();
		return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.rate.perSecond) * 1000);
	}

	/** Counts one command. Control commands go at once and may push the bucket below zero. */
	take(): void {
		if (!this.rate) return;
		this.#refill();
		this.#tokens -= 1;
	}
}
