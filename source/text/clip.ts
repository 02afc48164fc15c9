// Bounds how much of one untrusted text is shown. A server may send a
// message of up to the client's frame limit (1 MiB); laying out and drawing
// all of it would cost time in proportion and bury the pane, so only a head
// of it is kept and the rest is counted.
import {graphemeStart} from './graphemes.js';

export type ClipLimits = {
	/** Most characters (code points) kept. */
	readonly maxCharacters: number;
	/** Most lines kept: the text is cut before the newline that would start one more. */
	readonly maxLines: number;
};

export type Clipped = {
	/** The head of the text that is shown; whole characters, never half a grapheme. */
	readonly shown: string;
	/** Characters (code points) left out; 0 when the text is whole. */
	readonly hiddenCharacters: number;
};

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

/** Code points in `text` from `start` on; a lone surrogate counts as one. */
function codePointsFrom(text: string, start: number): number {
	let count = 0;
	for (let i = start; i < text.length; i++) {
		if (!(isLowSurrogate(text.charCodeAt(i)) && i > start && isHighSurrogate(text.charCodeAt(i - 1)))) count++;
	}
	return count;
}

/**
 * How much of one entry's text is laid out; the rest is counted on a
 * "… N more characters" row. A server may send up to the client's frame
 * limit (1 MiB) in one message, which would take seconds to lay out and bury
 * the pane under thousands of rows. Four times the protocol's message limit
 * (4,096) shows any message a conforming server relays in full, even one
 * full of wide characters, and is still only some 200 rows of 80 columns;
 * 500 lines is more than any message within the protocol's limit needs,
 * unless it is mostly empty lines.
 */
export const SHOWN_TEXT_LIMITS: ClipLimits = {maxCharacters: 16_384, maxLines: 500};

/** The head of `text` within the limits, and how many characters were left out. Reads only the head, and counts the rest. */
export function clipText(text: string, limits: ClipLimits): Clipped {
	// Fewer code units than either limit: whole, without a walk over it (the common case, every message laid out or searched).
	if (text.length <= limits.maxCharacters && text.length < limits.maxLines) return {shown: text, hiddenCharacters: 0};
	let characters = 0;
	let lines = 1;
	let cut = 0;
	while (cut < text.length) {
		const code = text.charCodeAt(cut);
		if (code === 0x0a && lines === limits.maxLines) break;
		if (characters === limits.maxCharacters) break;
		if (code === 0x0a) lines++;
		characters++;
		cut += isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(cut + 1)) ? 2 : 1;
	}

	if (cut >= text.length) return {shown: text, hiddenCharacters: 0};
	// Back to the start of the character the cut falls in, so an accent or an emoji sequence is not torn.
	cut = graphemeStart(text, cut);
	return {shown: text.slice(0, cut), hiddenCharacters: codePointsFrom(text, cut)};
}
