// What the input box draws for each grapheme of the draft. The draft keeps
// what was typed (that is what is sent); the screen gets what the message
// pane would show for it (sanitize.ts): an invisible or reordering character
// becomes its placeholder, so it cannot hide the end of the row, and the
// cursor moves over the placeholder's cells, not over nothing.
import {sanitize} from '../text/sanitize.js';
import {textWidth} from '../text/wrap.js';

export type Glyph = {
	/** The grapheme as the pane shows it: itself, or a placeholder such as "<U+3164>". */
	readonly shown: string;
	/** Terminal cells `shown` takes. */
	readonly width: number;
};

const LINE_BREAK: Glyph = {shown: '', width: 0};

/**
 * Glyphs met lately. Measuring costs microseconds (string-width segments its
 * argument), a draft repeats few distinct graphemes, and the view is drawn
 * on every key. Cleared when full, so a draft of ever new graphemes costs
 * time, never memory.
 */
const recent = new Map<string, Glyph>();
const MAX_RECENT = 4096;

/** A joiner is kept or shown depending on its neighbours, as in the pane. */
const hasJoiner = (part: string) => part.includes('\u200c') || part.includes('\u200d');

function measure(part: string, next: string | undefined): Glyph {
	if (!hasJoiner(part) || next === undefined) {
		const shown = sanitize(part);
		return {shown, width: textWidth(shown)};
	}
	// The character after a joiner decides whether it joins: sanitise the two together and
	// take off what the neighbour became on its own (a non-joiner's form does not depend on context).
	const neighbour = String.fromCodePoint(next.codePointAt(0)!);
	const alone = sanitize(neighbour);
	const together = sanitize(part + neighbour);
	const shown = hasJoiner(neighbour) || !together.endsWith(alone) ? sanitize(part) : together.slice(0, together.length - alone.length);
	return {shown, width: textWidth(shown)};
}

/** The glyph of grapheme `part`, followed in the draft by `next`. A line break draws nothing. */
export function glyphOf(part: string, next: string | undefined): Glyph {
	if (part === '\n') return LINE_BREAK;
	const key = hasJoiner(part) && next !== undefined ? `${part}\u0000${next}` : part;
	let glyph = recent.get(key);
	if (glyph === undefined) {
		glyph = measure(part, next);
		if (recent.size >= MAX_RECENT) recent.clear();
		recent.set(key, glyph);
	}
	return glyph;
}

/** The glyphs of a whole draft, one per grapheme. */
export function glyphsOf(parts: readonly string[]): Glyph[] {
	return parts.map((part, index) => glyphOf(part, parts[index + 1]));
}
