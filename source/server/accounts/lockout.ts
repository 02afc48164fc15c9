// Lock-out after failed password logins (PROTOCOL.md §11), as pure rules
// with the time passed in, over a store that counts: after `threshold`
// failures a key waits, and each further failure doubles the wait, from 1 s
// to 15 minutes. An attempt refused while locked is not a failure (it never
// reaches scrypt), so it does not extend the wait.

export type LockoutPolicy = {
	/** Failures allowed before the first wait. */
	threshold: number;
	firstWaitMs: number;
	maxWaitMs: number;
	/** A record is forgotten this long after its last failure's wait ends. */
	forgetAfterMs: number;
};

const common = {firstWaitMs: 1000, maxWaitMs: 15 * 60 * 1000, forgetAfterMs: 60 * 60 * 1000};
/** One address guessing one name's password. */
export const PAIR_POLICY: Readonly<LockoutPolicy> = {threshold: 5, ...common};
/** One address guessing across names. */
export const ADDRESS_POLICY: Readonly<LockoutPolicy> = {threshold: 20, ...common};

export type LockRecord = {failures: number; lockedUntil: number};

/** The wait after the `failures`th failure: none below the threshold, then 1 s, 2 s, 4 s, … up to the maximum. */
export function waitAfter(failures: number, policy: LockoutPolicy): number {
	if (failures < policy.threshold) return 0;
	const doublings = Math.min(failures - policy.threshold, 30);
	return Math.min(policy.firstWaitMs * 2 ** doublings, policy.maxWaitMs);
}

/** How long the store keeps a record after a failure: through the wait, and an hour past it. */
export function keepFor(failures: number, policy: LockoutPolicy): number {
	return waitAfter(failures, policy) + policy.forgetAfterMs;
}

/** The record after a failure that makes the count `failures`. */
export function afterFailure(failures: number, now: number, policy: LockoutPolicy): LockRecord {
	const wait = waitAfter(failures, policy);
	return {failures, lockedUntil: wait === 0 ? 0 : now + wait};
}

/** Whole seconds until `record` lets an attempt through, or 0 when it does now. */
export function secondsLocked(record: LockRecord | undefined, now: number): number {
	if (record === undefined || record.lockedUntil <= now) return 0;
	return Math.ceil((record.lockedUntil - now) / 1000);
}

/** Counts failures per key. Times are passed in, so the memory store is tested without fake timers. */
export type LockoutStore = {
	read(keys: readonly string[], now: number): Promise<Array<LockRecord | undefined>>;
	/** Adds a failure and sets the lock its new count earns, in one step; returns the new record. */
	fail(key: string, now: number, policy: LockoutPolicy): Promise<LockRecord>;
	clear(key: string): Promise<void>;
	close(): Promise<void>;
};

export type LockoutVerdict = {locked: false} | {locked: true; retry: number};

const pairKey = (address: string, nameKey: string) => `pair:${address}|${nameKey}`;
const addressOnlyKey = (address: string) => `addr:${address}`;

/** The two counters of §11 over one store. `address` is an addressKey(), `nameKey` a nameKey(). */
export class Lockout {
	readonly #store: LockoutStore;

	constructor(store: LockoutStore) {
		this.#store = store;
	}

	/** Whether a password attempt may go ahead now; when not, the seconds to wait (the longer of the two locks). */
	async check(nameKey: string, address: string, now: number): Promise<LockoutVerdict> {
		const [pair, whole] = await this.#store.read([pairKey(address, nameKey), addressOnlyKey(address)], now);
		const retry = Math.max(secondsLocked(pair, now), secondsLocked(whole, now));
		return retry === 0 ? {locked: false} : {locked: true, retry};
	}

	async recordFailure(nameKey: string, address: string, now: number): Promise<void> {
		await Promise.all([this.#store.fail(pairKey(address, nameKey), now, PAIR_POLICY), this.#store.fail(addressOnlyKey(address), now, ADDRESS_POLICY)]);
	}

	/**
	 * A right password resets its pair. Not the address's count across
	 * names: else one account of one's own would reset it between guesses.
	 */
	async recordSuccess(nameKey: string, address: string): Promise<void> {
		await this.#store.clear(pairKey(address, nameKey));
	}

	async close(): Promise<void> {
		await this.#store.close();
	}
}
