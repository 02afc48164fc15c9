// A code block as terminal rows: a box with the language in its top border,
// line numbers when the block has more than three lines, at most
// CODE_BLOCK_MAX_LINES lines with the rest counted in the bottom border, and
// long lines clipped with a mark (or wrapped, in the full-screen viewer);
// when anything is cut, the bottom border names the key that shows it whole.
// Every text is sanitised here, before it is measured: a tab is four columns
// and an escape shows as "^[", so the box lines up with what is drawn.
import stringWidth from 'string-width';
import type {HighlightedLine, MarkupStyle} from './code-theme.js';
import type {CodeBlock} from './markup.js';
import {sanitize, sanitizeLine} from './sanitize.js';

/** One run of text with a style from the theme. Text is sanitised; `href` is set only on a linkable URL. */
export type MarkupSegment = {readonly text: string; readonly style: MarkupStyle; readonly href?: string};
export type MarkupRow = readonly MarkupSegment[];

/** A block with more lines than this is cut in the message pane. */
export const CODE_BLOCK_MAX_LINES = 12;
/** Line numbers are shown only for blocks longer than this. */
export const NUMBER_LINES_OVER = 3;
/** Narrower than this inside the box, the box and numbers are dropped and lines are clipped bare. */
const MIN_CODE_COLUMNS = 4;

export type CodeLayoutOptions = {
	/**
	 * Most lines shown; the rest are counted in the bottom border
	 * ("… 8 more lines"). Infinity shows them all (the viewer).
	 * @default CODE_BLOCK_MAX_LINES
	 */
	readonly maxLines?: number;
	/**
	 * What a line wider than the box does: 'clip' ends it with "…" (the pane),
	 * 'wrap' continues it on the next rows (the viewer).
	 * @default 'clip'
	 */
	readonly overflow?: 'clip' | 'wrap';
	/**
	 * The key that shows the block whole, named in the bottom border when
	 * lines are left out or cut sideways ("… 8 more lines (Ctrl-V to view)").
	 * @default none
	 */
	readonly viewKey?: string;
};

export type CodeLayout = {
	/** Every row, each exactly as wide as the box (at most the width given). */
	readonly rows: MarkupRow[];
	/** Lines left out by maxLines. */
	readonly hiddenLines: number;
	/** Lines left out or cut sideways: the box is not all there, and its footer says so. */
	readonly cut: boolean;
};

const graphemes = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const printableAscii = /^[\x20-\x7e]*$/;

function columns(text: string): number {
	return printableAscii.test(text) ? text.length : stringWidth(text);
}

type Cell = {readonly text: string; readonly width: number};
type Token = {readonly text: string; readonly style: MarkupStyle; readonly width: number};

/** Cuts tokens at `limit` columns, between graphemes: what fits, its width, and the rest. */
function cut(tokens: readonly Token[], limit: number): {head: Token[]; width: number; rest: Token[]} {
	const head: Token[] = [];
	let width = 0;
	for (let index = 0; index < tokens.length; index++) {
		const token = tokens[index]!;
		if (width + token.width <= limit) {
			head.push(token);
			width += token.width;
			continue;
		}
		const {taken, takenWidth, left} = printableAscii.test(token.text) ? cutAscii(token.text, limit - width) : cutGraphemes(token.text, limit - width);
		if (taken !== '') head.push({text: taken, style: token.style, width: takenWidth});
		width += takenWidth;
		const rest = tokens.slice(index + 1);
		if (left !== '') rest.unshift({text: left, style: token.style, width: token.width - takenWidth});
		return {head, width, rest};
	}
	return {head, width, rest: []};
}

type Split = {taken: string; takenWidth: number; left: string};

/** Printable ASCII is a column a character: cut where the columns run out (most code, so most cuts). */
function cutAscii(text: string, limit: number): Split {
	const taken = text.slice(0, limit);
	return {taken, takenWidth: taken.length, left: text.slice(limit)};
}

/** Anything else is cut between graphemes, each measured. */
function cutGraphemes(text: string, limit: number): Split {
	let taken = '';
	let takenWidth = 0;
	const cells: Cell[] = [];
	for (const {segment} of graphemes.segment(text)) cells.push({text: segment, width: columns(segment)});
	let cell = 0;
	while (cell < cells.length && takenWidth + cells[cell]!.width <= limit) {
		taken += cells[cell]!.text;
		takenWidth += cells[cell]!.width;
		cell++;
	}
	return {taken, takenWidth, left: cells.slice(cell).map(part => part.text).join('')};
}

/** The first graphemes of `text` that fit in `limit` columns. */
function clip(text: string, limit: number): string {
	return cut([{text, style: 'plain', width: columns(text)}], limit).head[0]?.text ?? '';
}

function tokensOf(line: HighlightedLine): Token[] {
	return line.map(token => {
		const text = sanitize(token.text).replaceAll('\n', ' ');
		return {text, style: token.scope, width: columns(text)};
	});
}

/** The rows one line of code takes in `room` columns, each padded to `room`. */
function lineRows(tokens: readonly Token[], room: number, overflow: 'clip' | 'wrap'): {segments: MarkupSegment[]; width: number}[] {
	const rows: {segments: MarkupSegment[]; width: number}[] = [];
	let rest: readonly Token[] = tokens;
	do {
		let piece = cut(rest, room);
		if (overflow === 'clip' && piece.rest.length > 0) {
			piece = cut(rest, Math.max(1, room - 1));
			rows.push({segments: [...piece.head.map(plainSegment), {text: '…', style: 'more'}], width: piece.width + 1});
			return rows;
		}
		if (piece.head.length === 0 && piece.rest.length > 0) {
			// A character wider than the whole row (a CJK one in one column): a mark stands for it.
			rows.push({segments: [{text: '…', style: 'more'}], width: 1});
			rest = dropFirstGrapheme(piece.rest);
			continue;
		}
		rows.push({segments: piece.head.map(plainSegment), width: piece.width});
		rest = piece.rest;
	} while (rest.length > 0);
	return rows;
}

function dropFirstGrapheme(tokens: readonly Token[]): Token[] {
	const [first, ...others] = tokens;
	const [grapheme] = graphemes.segment(first!.text);
	const left = first!.text.slice(grapheme!.segment.length);
	return left === '' ? others : [{text: left, style: first!.style, width: columns(left)}, ...others];
}

const plainSegment = (token: Token): MarkupSegment => ({text: token.text, style: token.style});

/**
 * The bottom border's label: the longest of its wordings that fits in
 * `room` columns ("… 8 more lines (Ctrl-V to view)" down to "… 8 more"),
 * so that a narrow box shortens its words rather than cutting them; '' when
 * nothing is cut.
 */
function footerText(hidden: number, clipped: boolean, viewKey: string | undefined, room: number): string {
	const key = viewKey ? [viewKey] : [];
	let wordings: string[];
	if (hidden > 0) {
		const count = `… ${hidden.toLocaleString('en-US')} more`;
		const lines = `${count} ${hidden === 1 ? 'line' : 'lines'}`;
		wordings = [...key.flatMap(name => [`${lines} (${name} to view)`, `${count} (${name})`]), lines, count];
	} else {
		wordings = clipped ? key.flatMap(name => [`${name} to view`, name]) : [];
	}
	return wordings.find(text => columns(text) <= room) ?? wordings.at(-1) ?? '';
}

function lineWidth(tokens: readonly Token[]): number {
	return tokens.reduce((sum, token) => sum + token.width, 0);
}

/** "─ label ─────", exactly `width` columns; the label is cut if it does not fit. */
function border(label: string, width: number, style: MarkupStyle): MarkupSegment[] {
	if (label === '' || width < 6) return [{text: '─'.repeat(width), style: 'border'}];
	const shown = clip(label, width - 4);
	const shownWidth = columns(shown);
	return [
		{text: '─ ', style: 'border'},
		{text: shown, style},
		{text: ' ' + '─'.repeat(width - 3 - shownWidth), style: 'border'},
	];
}

/**
 * Lays out a block in at most `width` columns. `lines` are the block's
 * first lines as tokens (highlightBlock(block, maxLines)); the counts come
 * from the block itself, so `lines` may stop at what is shown.
 */
export function codeBlockRows(block: CodeBlock, lines: readonly HighlightedLine[], width: number, options: CodeLayoutOptions = {}): CodeLayout {
	const maxLines = options.maxLines ?? CODE_BLOCK_MAX_LINES;
	const overflow = options.overflow ?? 'clip';
	const shown = lines.slice(0, maxLines).map(tokensOf);
	const total = block.lines.length;
	const hiddenLines = Math.max(0, total - shown.length);
	width = Math.max(1, width);
	const widest = Math.max(0, ...shown.map(lineWidth));

	// Too narrow for a box: the lines alone, clipped.
	if (width - 4 < MIN_CODE_COLUMNS) {
		const rows = shown.flatMap(tokens => lineRows(tokens, width, overflow).map(row => row.segments));
		const clipped = overflow === 'clip' && widest > width;
		const footer = footerText(hiddenLines, clipped, options.viewKey, width);
		if (footer !== '') rows.push([{text: clip(footer, width), style: 'more'}]);
		return {rows, hiddenLines, cut: clipped || hiddenLines > 0};
	}

	const digits = String(total).length;
	let numbered = total > NUMBER_LINES_OVER;
	// Numbers go before code: in a narrow box they would leave no room for it.
	if (numbered && width - 4 - (digits + 2) < MIN_CODE_COLUMNS) numbered = false;
	const gutter = numbered ? digits + 2 : 0;

	const label = sanitizeLine(block.info);
	// The widest box has width - 4 columns inside, and its bottom border leaves two of them to the dashes.
	const clipped = overflow === 'clip' && gutter + widest > width - 4;
	const more = footerText(hiddenLines, clipped, options.viewKey, width - 6);
	// As wide as the code (or the labels) needs, never wider than the pane.
	const wanted = Math.max(gutter + widest, columns(label) + 2, columns(more) + 2, 1);
	const inner = Math.min(wanted, width - 4);
	const room = inner - gutter;

	const rows: MarkupRow[] = [];
	rows.push([{text: '╭', style: 'border'}, ...border(label, inner + 2, 'label'), {text: '╮', style: 'border'}]);
	shown.forEach((tokens, index) => {
		lineRows(tokens, room, overflow).forEach((row, part) => {
			const number = numbered ? [{text: (part === 0 ? String(index + 1) : '').padStart(digits) + '  ', style: 'lineNumber' as const}] : [];
			rows.push([
				{text: '│ ', style: 'border'},
				...number,
				...row.segments,
				{text: ' '.repeat(Math.max(0, room - row.width)), style: 'plain'},
				{text: ' │', style: 'border'},
			]);
		});
	});
	rows.push([{text: '╰', style: 'border'}, ...border(more, inner + 2, 'more'), {text: '╯', style: 'border'}]);
	return {rows, hiddenLines, cut: clipped || hiddenLines > 0};
}
