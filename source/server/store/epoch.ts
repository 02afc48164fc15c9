// Epochs and id fingerprints: small values every backend makes the same way.
import {createHash, randomBytes} from 'node:crypto';

/** A fresh epoch: 72 random bits, URL-safe, so it never needs escaping in JSON or Lua. */
export function newEpoch(): string {
	return randomBytes(9).toString('base64url');
}

/**
 * What an id is compared against when it comes back: the sender and the text,
 * hashed, so a store keeps 22 characters per id rather than a second copy of
 * the message. The NUL cannot occur in a valid user name.
 */
export function fingerprint(user: string, msg: string): string {
	return createHash('sha256').update(user).update('\0').update(msg).digest('base64url').slice(0, 22);
}
