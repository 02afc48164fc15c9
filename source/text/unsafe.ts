// The one definition of a code point that must not reach a terminal raw
// (PROTOCOL.md §7). The TUI and plain output show it as a placeholder
// (sanitize.ts), --json escapes it as \uXXXX, the server log as \u{…}.
//
// Unsafe are: controls (C0, DEL, C1: a terminal acts on them); every format
// character (Cf: bidi controls reorder text, zero-width ones and tags hide
// it); the line and paragraph separators (terminals disagree on them);
// surrogates (a lone one is not text); noncharacters; and the
// default-ignorable code points that are not combining marks: the Hangul
// fillers, which width tables count as nothing while terminals draw up to two
// columns, and the code points Unicode keeps for future invisible characters.
// Default-ignorable combining marks (variation selectors, the grapheme joiner)
// stay: they attach to the letter before them, and emoji need U+FE0F.

const unsafePattern =
	'[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Noncharacter_Code_Point}]|(?!\\p{Mn})\\p{Default_Ignorable_Code_Point}';
const unsafeOne = new RegExp(`^(?:${unsafePattern})$`, 'u');
const unsafeAny = new RegExp(unsafePattern, 'u');
const unsafeAnyButNewline = new RegExp(`(?!\\n)(?:${unsafePattern})`, 'u');

/**
 * True when some code point of `text` must not reach a terminal raw (a
 * newline aside, with `exceptNewline`): one pass of one regular expression,
 * so that text with nothing to escape costs little to check.
 */
export function hasUnsafe(text: string, exceptNewline = false): boolean {
	return (exceptNewline ? unsafeAnyButNewline : unsafeAny).test(text);
}

/** True when `code` must not reach a terminal raw. */
export function isUnsafeCodePoint(code: number): boolean {
	if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
	// Nothing else below the soft hyphen is unsafe: the common case stays cheap.
	if (code < 0xad) return false;
	return unsafeOne.test(code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code));
}

// `replace` starts a global pattern at 0 and leaves lastIndex at 0, so one instance serves every call.
const unsafeEach = new RegExp(unsafePattern, 'gu');

/** Replaces each unsafe code point of `text` (a lone surrogate too) by what `escape` makes of it. */
export function replaceUnsafe(text: string, escape: (char: string) => string): string {
	return text.replace(unsafeEach, escape);
}
