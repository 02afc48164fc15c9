// Wrapping by terminal columns. Widths come from string-width (wide CJK and
// emoji take two columns) and text is cut only between graphemes, so an emoji
// sequence or a letter with its accents is never split across rows.
import stringWidth from 'string-width';

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const printableAscii = /^[\x20-\x7e]*$/;

/** Columns `text` takes on a terminal. Expects sanitised text (no controls). */
export function textWidth(text: string): number {
	return printableAscii.test(text) ? text.length : stringWidth(text);
}

function graphemeWidth(grapheme: string): number {
	const code = grapheme.charCodeAt(0);
	if (grapheme.length === 1 && code >= 0x20 && code < 0x7f) return 1;
	return stringWidth(grapheme);
}

/**
 * Wraps one paragraph (no newlines) into rows of at most `columns` columns:
 * at spaces when it can, hard-broken inside a word longer than a row. The
 * spaces a row is broken at are dropped. Never returns an empty array.
 */
function wrapParagraph(paragraph: string, columns: number): string[] {
	if (paragraph.length <= columns && printableAscii.test(paragraph)) return [paragraph];

	const rows: string[] = [];
	// The current row as graphemes with their widths, so a break can go back to the last space.
	let parts: string[] = [];
	let widths: number[] = [];
	let rowWidth = 0;
	let lastSpace = -1;

	const emit = (end: number) => {
		// Drop the spaces at the break.
		let cut = end;
		while (cut > 0 && parts[cut - 1] === ' ') cut--;
		rows.push(parts.slice(0, cut).join(''));
	};

	for (const {segment} of graphemes.segment(paragraph)) {
		const width = graphemeWidth(segment);
		let brokeAtThisSpace = false;
		// A loop, not an if: the word carried over may still leave no room for a wide grapheme.
		while (rowWidth + width > columns && parts.length > 0) {
			if (segment === ' ') {
				// The break falls on this space: end the row, and the space goes with it.
				emit(parts.length);
				parts = [];
				widths = [];
				rowWidth = 0;
				lastSpace = -1;
				brokeAtThisSpace = true;
				break;
			}
			if (lastSpace >= 0) {
				// Carry the word after the last space onto the next row.
				emit(lastSpace);
				parts = parts.slice(lastSpace + 1);
				widths = widths.slice(lastSpace + 1);
				rowWidth = widths.reduce((sum, w) => sum + w, 0);
			} else {
				// A word longer than the row: hard break.
				emit(parts.length);
				parts = [];
				widths = [];
				rowWidth = 0;
			}
			lastSpace = -1;
		}
		if (brokeAtThisSpace) continue;
		// A space at the start of a continuation row would only misalign it.
		if (segment === ' ' && parts.length === 0 && rows.length > 0) continue;
		if (segment === ' ') lastSpace = parts.length;
		parts.push(segment);
		widths.push(width);
		rowWidth += width;
	}
	rows.push(parts.join(''));
	return rows;
}

/**
 * Wraps sanitised text into rows no wider than `columns`, keeping its
 * newlines as row breaks. `columns` below 1 is treated as 1; a grapheme wider
 * than the row (an emoji in one column) gets a row of its own.
 */
export function wrapText(text: string, columns: number): string[] {
	const width = Math.max(1, Math.floor(columns));
	const rows: string[] = [];
	for (const paragraph of text.split('\n')) {
		for (const row of wrapParagraph(paragraph, width)) rows.push(row);
	}
	return rows;
}

/** Cuts a single line to `columns`, ending it with "…" when it was cut. */
export function truncate(text: string, columns: number): string {
	if (columns <= 0) return '';
	if (textWidth(text) <= columns) return text;
	let out = '';
	let width = 0;
	for (const {segment} of graphemes.segment(text)) {
		const w = graphemeWidth(segment);
		if (width + w > columns - 1) break;
		out += segment;
		width += w;
	}
	return out + '…';
}

/** Pads a line with spaces to exactly `columns` (after truncating it if longer). */
export function padEnd(text: string, columns: number): string {
	const cut = truncate(text, columns);
	return cut + ' '.repeat(Math.max(0, columns - textWidth(cut)));
}
