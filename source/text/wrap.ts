// Wrapping by terminal columns. Widths come from string-width (wide CJK and
// emoji take two columns) and text is cut only between graphemes, so an emoji
// sequence or a letter with its accents is never split across rows. Every
// function here takes time linear in the length of its text (see graphemes.ts).
import stringWidth from 'string-width';
import {graphemes, SEGMENT_WINDOW} from './graphemes.js';

const printableAscii = /^[\x20-\x7e]*$/;

/** Columns `text` takes on a terminal. Expects sanitised text (no controls). */
export function textWidth(text: string): number {
	if (printableAscii.test(text)) return text.length;
	// string-width segments its whole argument at once, which is slow on long text.
	if (text.length <= SEGMENT_WINDOW) return stringWidth(text);
	let width = 0;
	for (const grapheme of graphemes(text)) width += graphemeWidth(grapheme);
	return width;
}

/**
 * Widths of graphemes met lately. string-width costs microseconds a call
 * (it segments and runs Unicode-property regexes), which is most of the time
 * of a layout; chat text reuses few distinct graphemes. Cleared when full,
 * so text made of ever new graphemes cannot grow it.
 */
const widthCache = new Map<string, number>();
const WIDTH_CACHE_SIZE = 4096;

function graphemeWidth(grapheme: string): number {
	const code = grapheme.charCodeAt(0);
	if (grapheme.length === 1 && code >= 0x20 && code < 0x7f) return 1;
	let width = widthCache.get(grapheme);
	if (width === undefined) {
		width = stringWidth(grapheme);
		if (widthCache.size >= WIDTH_CACHE_SIZE) widthCache.clear();
		widthCache.set(grapheme, width);
	}
	return width;
}

/**
 * Wraps one paragraph (no newlines) onto `rows`, each of at most
 * `columnsOf(rows.length)` columns: at spaces when it can, hard-broken inside
 * a word longer than a row. The spaces a row is broken at are dropped.
 * Always adds at least one row.
 */
function wrapParagraph(paragraph: string, rows: string[], columnsOf: (row: number) => number): void {
	if (paragraph.length <= columnsOf(rows.length) && printableAscii.test(paragraph)) {
		rows.push(paragraph);
		return;
	}

	const firstRow = rows.length;
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

	for (const segment of graphemes(paragraph)) {
		const width = graphemeWidth(segment);
		let brokeAtThisSpace = false;
		// A loop, not an if: the word carried over may still leave no room for a wide grapheme.
		while (rowWidth + width > columnsOf(rows.length) && parts.length > 0) {
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
		if (segment === ' ' && parts.length === 0 && rows.length > firstRow) continue;
		if (segment === ' ') lastSpace = parts.length;
		parts.push(segment);
		widths.push(width);
		rowWidth += width;
	}
	rows.push(parts.join(''));
}

/**
 * Wraps sanitised text into rows no wider than `columns` (the first row no
 * wider than `firstRowColumns`), keeping its newlines as row breaks. Widths
 * below 1 are treated as 1; a grapheme wider than the row (an emoji in one
 * column) gets a row of its own.
 */
export function wrapText(text: string, columns: number, firstRowColumns = columns): string[] {
	const first = Math.max(1, Math.floor(firstRowColumns));
	const rest = Math.max(1, Math.floor(columns));
	const columnsOf = (row: number) => (row === 0 ? first : rest);
	const rows: string[] = [];
	for (const paragraph of text.split('\n')) wrapParagraph(paragraph, rows, columnsOf);
	return rows;
}

/**
 * Cuts a single line to `columns`, ending it with "…" when it was cut.
 * Reads only as far as the cut, however long the line.
 */
export function truncate(text: string, columns: number): string {
	if (columns <= 0) return '';
	if (printableAscii.test(text)) return text.length <= columns ? text : text.slice(0, columns - 1) + '…';
	// Where the text would be cut for the "…", kept until the text turns out to be too wide.
	let cut = 0;
	let offset = 0;
	let width = 0;
	for (const grapheme of graphemes(text)) {
		width += graphemeWidth(grapheme);
		if (width > columns) return text.slice(0, cut) + '…';
		offset += grapheme.length;
		if (width <= columns - 1) cut = offset;
	}
	return text;
}

/** Pads a line with spaces to exactly `columns` (after truncating it if longer). */
export function padEnd(text: string, columns: number): string {
	const cut = truncate(text, columns);
	return cut + ' '.repeat(Math.max(0, columns - textWidth(cut)));
}
