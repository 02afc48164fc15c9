// A token bucket per connection (PROTOCOL.md §2): `burst` commands at once,
// then `rate` per second. Time is passed in so tests need no fake clock.

export type RateLimiter = {
	/** Takes one token at time `nowMs`; false means the command is over the limit. */
	take(nowMs: number): boolean;
};

const unlimited: RateLimiter = {take: () => true};

export function createRateLimiter(rate: number, burst: number, nowMs: number): RateLimiter {
	if (rate <= 0) return unlimited;
	let tokens = burst;
	let last = nowMs;
	return {
		take(now) {
			// Refill for the time gone by, capped at the bucket size.
			tokens = Math.min(burst, tokens + ((now - last) * rate) / 1000);
			last = now;
			if (tokens < 1) return false;
			tokens -= 1;
			return true;
		},
	};
}
