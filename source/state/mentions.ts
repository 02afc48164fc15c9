// Does a message mention a name? The name must stand as a whole word,
// compared case-insensitively. A message mentions you when it names you or
// one of your highlight words (--highlight, the config file): mentionsMe is
// the one definition the reducer uses.
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

let cachedKey: string | undefined;
let cachedPattern: RegExp | undefined;

/** One pattern for any of `names` (none empty). */
function patternFor(names: readonly string[]): RegExp {
	// A one-entry cache: `me` and the words rarely change, messages arrive in floods.
	const key = names.join('\0');
	if (key !== cachedKey || cachedPattern === undefined) {
		const alternatives = names.map(name => name.replace(SYNTAX_CHARS, '\\$&')).join('|');
		cachedPattern = new RegExp(`(?<!${WORD_CHAR})(?:${alternatives})(?!${WORD_CHAR})`, 'iu');
		cachedKey = key;
	}

	return cachedPattern;
}

/** True when `text` names `name` as a whole word, ignoring case. An empty name is never mentioned. */
export function mentionsName(text: string, name: string): boolean {
	return mentionsAny(text, [name]);
}

/** True when `text` names you (`me`) or one of your highlight words, each as a whole word, ignoring case. */
export function mentionsMe(text: string, me: string, highlights: readonly string[] = []): boolean {
	return mentionsAny(text, highlights.length === 0 ? [me] : [me, ...highlights]);
}

function mentionsAny(text: string, names: readonly string[]): boolean {
	const given = names.filter(name => name.length > 0);
	if (given.length === 0 || text.length === 0) return false;
	return patternFor(given).test(text);
}
