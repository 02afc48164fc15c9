// The one sanitiser every network string passes before it is rendered
// (PROTOCOL.md §7). Ink strips some escape sequences but keeps OSC (title,
// hyperlinks, clipboard), so this is the only defence: nothing that a
// terminal could act on, and nothing invisible that could reorder or hide
// text, survives (what counts as unsafe is defined once, in unsafe.ts). Each
// such character becomes visible text instead of being dropped, so that a
// reader can see that something was there.

import {hasUnsafe, isUnsafeCodePoint} from './unsafe.js';

/** Plain printable ASCII (plus newline for multi-line text): the common case, returned as is. */
const plainText = /^[\x20-\x7e\n]*$/;
const plainLine = /^[\x20-\x7e]*$/;

/** Spaces a tab becomes; there is no tab stop to align to inside a chat line. */
const TAB_SPACES = '    ';

/** Shown for a newline in single-line contexts (names, status bar). */
export const LINE_BREAK_MARK = '⏎';

const ZWNJ = 0x200c;
const ZWJ = 0x200d;

const pictographic = /^\p{Extended_Pictographic}$/u;
const emojiModifierOrSelector = /^[\u{1F3FB}-\u{1F3FF}\uFE0F]$/u;
const letterOrMark = /^[\p{L}\p{M}]$/u;

export type SanitizeOptions = {
	/**
	 * Single-line context: newline becomes "⏎", and every format character is
	 * shown, even a joiner (names must not hide invisible differences).
	 * @default false
	 */
	readonly singleLine?: boolean;
};

/** Caret form of a C0 control or DEL: ESC -> "^[", BEL -> "^G", DEL -> "^?". */
function caret(code: number): string {
	return code === 0x7f ? '^?' : '^' + String.fromCharCode(code + 0x40);
}

/** "<U+202E>" */
function placeholder(code: number): string {
	return '<U+' + code.toString(16).toUpperCase().padStart(4, '0') + '>';
}

/**
 * A joiner between two parts that it really joins is kept in multi-line
 * text: ZWJ inside an emoji sequence (👨‍👩‍👧), and ZWJ/ZWNJ between letters
 * (Persian, Indic scripts need them). Anywhere else it is only hiding something.
 */
function isJoinerInContext(code: number, previous: number | undefined, next: number | undefined): boolean {
	// A neighbour that is itself shown as a placeholder (a Hangul filler is a letter) joins nothing.
	if (previous === undefined || next === undefined || isUnsafeCodePoint(previous) || isUnsafeCodePoint(next)) return false;
	const before = String.fromCodePoint(previous);
	const after = String.fromCodePoint(next);
	if (code === ZWJ && (pictographic.test(before) || emojiModifierOrSelector.test(before)) && pictographic.test(after)) {
		return true;
	}
	return previous > 0x7f && next > 0x7f && letterOrMark.test(before) && letterOrMark.test(after);
}

/**
 * Makes untrusted text safe to print: C0 controls (but newline) in caret form,
 * tab as spaces, DEL as "^?", lone surrogates as U+FFFD, and every other
 * unsafe code point (C1 controls, bidi and invisible format characters, Hangul
 * fillers) as "<U+XXXX>". Every placeholder is ASCII or one column wide
 * ("⏎", "\ufffd"), so it takes on screen the columns the layout counts.
 */
export function sanitize(text: string, options: SanitizeOptions = {}): string {
	const singleLine = options.singleLine ?? false;
	if ((singleLine ? plainLine : plainText).test(text)) return text;
	// Beyond ASCII with nothing unsafe in it (most text in other scripts, emoji without joiners): nothing to change either.
	if (!hasUnsafe(text, !singleLine)) return text;

	let out = '';
	let previous: number | undefined;
	for (let i = 0; i < text.length; i++) {
		let code = text.charCodeAt(i);
		let char: string;
		if (code >= 0xd800 && code <= 0xdfff) {
			const next = text.charCodeAt(i + 1);
			if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
				code = text.codePointAt(i)!;
				char = text.slice(i, i + 2);
				i++;
			} else {
				code = 0xfffd;
				char = '\ufffd';
			}
		} else {
			char = text[i]!;
		}

		if (code === 0x0a) {
			out += singleLine ? LINE_BREAK_MARK : '\n';
		} else if (code === 0x09) {
			out += TAB_SPACES;
		} else if (code < 0x20 || code === 0x7f) {
			out += caret(code);
		} else if (isUnsafeCodePoint(code)) {
			const isJoiner = code === ZWJ || code === ZWNJ;
			if (!singleLine && isJoiner && isJoinerInContext(code, previous, text.codePointAt(i + 1))) {
				out += char;
			} else {
				out += placeholder(code);
			}
		} else {
			out += char;
		}
		previous = code;
	}
	return out;
}

/** Sanitises for one line (names, the status bar): newline shows as "⏎". */
export function sanitizeLine(text: string): string {
	return sanitize(text, {singleLine: true});
}
