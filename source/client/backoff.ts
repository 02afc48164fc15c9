// Reconnect delays: capped exponential backoff with full jitter (PROTOCOL.md §6).
// Full jitter (a uniform delay between 0 and the exponential ceiling) spreads
// a crowd of clients that lost the same server, so they do not all return at
// the same instant.

export type BackoffOptions = {
	/** Ceiling of the first retry, in ms. @default 500 */
	baseMs: number;
	/** Largest ceiling, in ms. @default 30000 */
	capMs: number;
};

export const DEFAULT_BACKOFF: BackoffOptions = {baseMs: 500, capMs: 30_000};

/** The delay before retry number `attempt` (1 for the first retry). `random` returns [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
	const exponent = Math.min(Math.max(attempt - 1, 0), 30); // 2^30 already passes any sane cap
	const ceiling = Math.min(options.capMs, options.baseMs * 2 ** exponent);
	return Math.floor(random() * ceiling);
}
