// What a password must be (PROTOCOL.md §11: 8–1,024 characters), shared by the
// server, which refuses others, and the client, which checks before sending.
import {countChars} from './limits.js';

export const MIN_PASSWORD_CHARS = 8;
export const MAX_PASSWORD_CHARS = 1024;

/** Why `password` cannot be a password, or undefined. Never quotes the password. */
export function passwordProblem(password: unknown): string | undefined {
	if (typeof password !== 'string') return 'a password must be a string';
	const chars = countChars(password);
	if (chars < MIN_PASSWORD_CHARS || chars > MAX_PASSWORD_CHARS) return `a password has ${MIN_PASSWORD_CHARS} to ${MAX_PASSWORD_CHARS.toLocaleString('en')} characters`;
	return undefined;
}
