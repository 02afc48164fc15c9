// Login tokens: 256 random bits, base64url, given to the client once. Only
// their SHA-256 is stored, so a copy of the database logs no one in; a plain
// hash suffices (no salt, no scrypt) because the secret is random, not
// guessable like a password.
import {createHash, randomBytes} from 'node:crypto';

const TOKEN_BYTES = 32;
/** §11: at most this many tokens per account; a new one drops the least recently used. */
export const MAX_TOKENS_PER_ACCOUNT = 20;
/** §11: a token unused this long is forgotten. */
export const TOKEN_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** A token's last-use time is written at most this often, so a reconnect storm is not a write storm. */
export const TOKEN_TOUCH_INTERVAL_MS = 60 * 60 * 1000;

const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export type NewToken = {
	/** The secret, for the client only: never stored, never logged. */
	token: string;
	/** What the store keeps: SHA-256 of the secret, hex. */
	digest: string;
};

export function newToken(): NewToken {
	const token = randomBytes(TOKEN_BYTES).toString('base64url');
	return {token, digest: tokenDigest(token)};
}

export function tokenDigest(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Whether a string from the wire can be one of our tokens at all (else it is not looked up). */
export function isTokenShaped(token: unknown): token is string {
	return typeof token === 'string' && tokenPattern.test(token);
}

/** A stored token is still good when it was used within TOKEN_IDLE_MS. */
export function tokenExpired(lastUsed: number, now: number): boolean {
	return now - lastUsed >= TOKEN_IDLE_MS;
}

/** Whether a use at `now` should be written back (coarse: once per TOKEN_TOUCH_INTERVAL_MS). */
export function tokenNeedsTouch(lastUsed: number, now: number): boolean {
	return now - lastUsed >= TOKEN_TOUCH_INTERVAL_MS;
}
