// Every protocol limit with its name and default (PROTOCOL.md §1–§2).
import {confusableSkeleton} from './names.js';

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
// Letters that draw as nothing, or as blank space, though they count as
// letters: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) are all of them.
const invisibleLetter = /\p{Default_Ignorable_Code_Point}/u;

/** Returns why `name` is not a valid user name, or undefined when it is. */
export function usernameProblem(name: unknown): string | undefined {
	if (typeof name !== 'string' || name.length === 0) return 'a user name is required';
	if ([...name].length > MAX_USERNAME_CHARS) return `user name is longer than ${MAX_USERNAME_CHARS} characters`;
	if (!usernamePattern.test(name)) return 'user name may hold only letters, digits, "_", "-" and "."';
	const invisible = invisibleLetter.exec(name);
	if (invisible) {
		const code = invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
		return `user name holds an invisible character (U+${code}); use only visible letters, digits, "_", "-" and "."`;
	}

	return undefined;
}

// What a message may hold and still show nothing: white space, default-ignorable
// and format characters (zero-width spaces, Hangul fillers), the Braille blank.
const blankMessage = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\u2800]*$/u;

/** Returns why `text` is not a valid chat message, or undefined when it is. */
export function messageProblem(text: unknown): string | undefined {
	if (typeof text !== 'string') return 'message text must be a string';
	if (blankMessage.test(text)) return 'message is empty';
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

/** Upper then lower: a simple case fold, so "ΑΣ" and "ασ" (final sigma) are one name. */
export function foldCase(text: string): string {
	return text.toUpperCase().toLowerCase();
}

/**
 * The key names are compared by (§2): names are unique case-insensitively and
 * by their confusable skeleton, so "Alice", "alice" and "аlice" (Cyrillic а)
 * are one name. Case is folded first, so that names differing only in case
 * always share a key; the skeleton of the folded name is folded again, since
 * prototypes may be capitals ("0" → "O"). One key, not Ergo's two (casefold,
 * skeleton of the original): folding first loses look-alikes that exist only
 * in capitals ("I" and "l"), which a single key cannot keep without also
 * merging "i" and "l".
 */
export function nameKey(name: string): string {
	const known = recentKeys.get(name);
	if (known !== undefined) return known;
	const key = foldCase(confusableSkeleton(foldCase(name)));
	if (name.length <= MAX_CACHED_NAME_UNITS) {
		if (recentKeys.size >= MAX_CACHED_KEYS) recentKeys.clear();
		recentKeys.set(name, key);
	}

	return key;
}

// Rosters look the same few names up again and again, and a skeleton costs
// microseconds: keys are remembered, up to a bound that a hostile server
// sending endless new names cannot pass.
const MAX_CACHED_KEYS = 4096;
const MAX_CACHED_NAME_UNITS = 64;
const recentKeys = new Map<string, string>();
