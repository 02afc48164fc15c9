// Does a message mention a name? The name must stand as a whole word,
// compared case-insensitively.
//
// "Whole word" is Unicode-aware: the name must not be preceded or followed by
// a letter, a digit, a combining mark or "_" (so "bob" is named in "@bob:",
// "bob's" and "BOB!", but not in "bobby", "_bob" or "bob2"; "bób" is not
// "bob" either). Combining marks are included beyond letters and digits
// because "bob" followed by U+0301 reads as "bób". The name is escaped, so
// names with regex metacharacters ("a.b", "x+y" from a permissive server)
// match only literally.

const WORD_CHAR = String.raw`[\p{L}\p{N}\p{M}_]`;
// Outside a character class, with the u flag, only syntax characters may be escaped.
const SYNTAX_CHARS = /[\^$\\.*+?()[\]{}|/]/g;

let cachedName: string | undefined;
let cachedPattern: RegExp | undefined;

function patternFor(name: string): RegExp {
	// A one-entry cache: `me` rarely changes, messages arrive in floods.
	if (name !== cachedName || cachedPattern === undefined) {
		const escaped = name.replace(SYNTAX_CHARS, '\\$&');
		cachedPattern = new RegExp(`(?<!${WORD_CHAR})${escaped}(?!${WORD_CHAR})`, 'iu');
		cachedName = name;
	}

	return cachedPattern;
}

/** True when `text` names `name` as a whole word, ignoring case. An empty name is never mentioned. */
export function mentionsName(text: string, name: string): boolean {
	if (name.length === 0 || text.length === 0) return false;
	return patternFor(name).test(text);
}
