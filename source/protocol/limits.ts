// Every protocol limit with its name and default (PROTOCOL.md §1–§2).

/** The server rejects a frame larger than this (bytes). */
export const DEFAULT_SERVER_MAX_FRAME = 64 * 1024;
/** The client accepts frames up to this (bytes). */
export const DEFAULT_CLIENT_MAX_FRAME = 1024 * 1024;
/** Longest chat message, in characters (code points). */
export const MAX_MESSAGE_CHARS = 4096;
/** Longest user name, in characters. */
export const MAX_USERNAME_CHARS = 32;
export const DEFAULT_PORT = 8080;

const usernamePattern = /^[\p{L}\p{N}_.-]{1,32}$/u;

/** Returns why `name` is not a valid user name, or undefined when it is. */
export function usernameProblem(name: unknown): string | undefined {
	if (typeof name !== 'string' || name.length === 0) return 'a user name is required';
	if ([...name].length > MAX_USERNAME_CHARS) return `user name is longer than ${MAX_USERNAME_CHARS} characters`;
	if (!usernamePattern.test(name)) return 'user name may hold only letters, digits, "_", "-" and "."';
	return undefined;
}

/** Returns why `text` is not a valid chat message, or undefined when it is. */
export function messageProblem(text: unknown): string | undefined {
	if (typeof text !== 'string') return 'message text must be a string';
	if (text.trim().length === 0) return 'message is empty';
	const chars = countChars(text);
	if (chars > MAX_MESSAGE_CHARS) return `message is ${chars} characters; the limit is ${MAX_MESSAGE_CHARS}`;
	return undefined;
}

/** Counts code points, so an emoji counts as one character, as a person would count it. */
export function countChars(text: string): number {
	let count = 0;
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		// A high surrogate followed by a low one is one code point.
		if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
		}
		count++;
	}
	return count;
}

/** Names are unique case-insensitively (§2): this is the key they are compared by. */
export function nameKey(name: string): string {
	// Upper then lower: a simple case fold, so "ΑΣ" and "ασ" (final sigma) are one name.
	return name.toUpperCase().toLowerCase();
}
