// Grapheme clusters in time linear in the text's length. Intl.Segmenter's
// cost per cluster grows with the length of the string it was given (on
// Node 20 a 50,000-character string takes over a second, a 200,000 one
// minutes), so it is only ever handed short windows, and the common case,
// printable ASCII, does not need it at all.

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/**
 * The most code units handed to Intl.Segmenter at once: short enough that
 * its cost per character stays flat (measured: about the same from 32 to 256,
 * twice that at 4,096). A cluster longer than this (a letter under hundreds
 * of combining marks) is cut into pieces of this size; no terminal draws
 * such a thing as one character anyway.
 */
export const SEGMENT_WINDOW = 256;

function isPlainAscii(code: number): boolean {
	return code >= 0x20 && code < 0x7f;
}

/**
 * True when a grapheme boundary at `index` is certain without looking
 * further: between two printable ASCII characters nothing joins (UAX #29:
 * no ASCII printable character is Extend, ZWJ, SpacingMark or Prepend).
 */
function isSureBoundary(text: string, index: number): boolean {
	return index === 0 || index === text.length || (isPlainAscii(text.charCodeAt(index - 1)) && isPlainAscii(text.charCodeAt(index)));
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The grapheme clusters of `text`, in order; joined, they are `text`.
 * Each window starts at a boundary of the whole text, so segmenting it
 * alone gives the same clusters as segmenting the whole text would.
 */
export function* graphemes(text: string): Generator<string, void, undefined> {
	let start = 0;
	while (start < text.length) {
		if (isSureBoundary(text, start + 1)) {
			yield text.slice(start, start + 1);
			start++;
			continue;
		}

		// The window runs to the next sure boundary, or to its size limit.
		let end = start + 1;
		while (end < text.length && end - start < SEGMENT_WINDOW && !isSureBoundary(text, end)) end++;
		const sure = isSureBoundary(text, end);
		// Never end a window between the two halves of a surrogate pair.
		if (!sure && isHighSurrogate(text.charCodeAt(end - 1)) && end - start > 1) end--;

		const clusters = [...segmenter.segment(text.slice(start, end))];
		// At the size limit the last cluster may go on past the window: it starts the next one,
		// unless it is the only cluster (one longer than the window, cut here).
		const keep = sure || clusters.length === 1 ? clusters.length : clusters.length - 1;
		for (let i = 0; i < keep; i++) yield clusters[i]!.segment;
		start = keep === clusters.length ? end : start + clusters[keep]!.index;
	}
}

/**
 * The start of the grapheme cluster that `index` falls in (`index` itself
 * when it is a boundary), looking back at most one window, so that a text
 * cut there keeps whole characters.
 */
export function graphemeStart(text: string, index: number): number {
	if (index <= 0 || index >= text.length || isSureBoundary(text, index)) return Math.max(0, Math.min(index, text.length));
	const from = Math.max(0, index - SEGMENT_WINDOW);
	const window = text.slice(from, Math.min(text.length, index + SEGMENT_WINDOW));
	return from + segmenter.segment(window).containing(index - from)!.index;
}
