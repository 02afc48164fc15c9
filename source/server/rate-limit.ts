// A token bucket per connection with a bounded wait (PROTOCOL.md §2, the
// "fakelag" of IRC servers): `burst` commands at once, then `rate` per
// second. A command over the limit is not refused but given a later time to
// run, so a burst after a stall is delayed, never lost; only a command that
// would make more than `maxQueued` wait is refused. Time is passed in so
// tests need no fake clock.

export type Admission =
	/** Run the command at `atMs` (now, or later when it waits for its token). */
	| {ok: true; atMs: number}
	/** Refused: the queue is full; `retry` is whole seconds until a place frees. */
	| {ok: false; retry: number};

export type RateLimiter = {
	/** Takes one token at time `nowMs`, or says the command is refused. */
	admit(nowMs: number): Admission;
};

export type RateLimit = {rate: number; burst: number; maxQueued: number};

const unlimited: RateLimiter = {admit: nowMs => ({ok: true, atMs: nowMs})};

export function createRateLimiter({rate, burst, maxQueued}: RateLimit, nowMs: number): RateLimiter {
	if (rate <= 0) return unlimited;
	// Below zero, -tokens commands are waiting for their token.
	let tokens = burst;
	let last = nowMs;
	return {
		admit(now) {
			// Refill for the time gone by, capped at the bucket size.
			tokens = Math.min(burst, tokens + ((now - last) * rate) / 1000);
			last = now;
			if (tokens - 1 < -maxQueued) {
				return {ok: false, retry: Math.max(1, Math.ceil((1 - maxQueued - tokens) / rate))};
			}

			tokens -= 1;
			return {ok: true, atMs: tokens >= 0 ? now : now + (-tokens * 1000) / rate};
		},
	};
}
