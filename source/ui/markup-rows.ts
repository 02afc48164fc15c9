// A chat message's text as pane rows: its paragraphs wrapped, with inline
// code and URLs styled, and its fenced code blocks boxed and highlighted.
// The first row follows the prefix (time and nick); every other row is
// indented under the text. Pure: the pane layout caches what this returns.
import {codeBlockRows, CODE_BLOCK_MAX_LINES, type MarkupSegment} from '../text/code-block.js';
import {plainLines, THEME, type MarkupStyle} from '../text/code-theme.js';
import {highlightBlock} from '../text/highlighter.js';
import {linkTarget} from '../text/hyperlink.js';
import type {CodeBlock, InlineSpan} from '../text/markup.js';
import {markupOf} from '../text/markup.js';
import {sanitize} from '../text/sanitize.js';
import {wrapText} from '../text/wrap.js';
import type {Row, Segment} from './row.js';

export type SegmentStyle = Omit<Segment, 'text'>;

/** Where a code block's box is among an entry's rows, for the viewer key. */
export type CodeBlockPlace = {
	readonly block: CodeBlock;
	/** Index of the box's top row among the entry's rows. */
	readonly firstRow: number;
	/** Rows the box takes. */
	readonly rowCount: number;
	/** The pane leaves lines out ("… N more lines") or cuts one sideways. */
	readonly cut: boolean;
};

/**
 * Whether code that has a language was laid out plain, and why: 'loading',
 * the highlighter is not there yet (lay it out again once it is);
 * 'measured', only its rows were wanted (lay it out again before drawing).
 */
export type PlainCode = 'none' | 'loading' | 'measured';

export type MarkupLayout = {
	readonly rows: Row[];
	readonly codeBlocks: CodeBlockPlace[];
	readonly plainCode: PlainCode;
};

export type MarkupRowOptions = {
	/** The pane's width in columns. */
	readonly width: number;
	/** Columns of the prefix, and the indent of every row after the first. */
	readonly prefixWidth: number;
	readonly indent: number;
	/** The style of the text (dim while pending, bold for a mention); code keeps its own colours. */
	readonly style: SegmentStyle;
	/** Dims the code too (an own message not yet sent). */
	readonly dimCode: boolean;
	/** The key that shows a cut block whole, named in its bottom border ("Ctrl-V"). */
	readonly viewKey: string;
	/** Text added after the last block, in `style` (" …" while pending). @default '' */
	readonly suffix?: string;
	/**
	 * Highlight the code. Off when only the rows are counted (scrolling past
	 * entries that are never drawn): a box has the same rows either way.
	 * @default true
	 */
	readonly highlight?: boolean;
};

function themed(style: MarkupStyle, base: SegmentStyle): SegmentStyle {
	return {...base, ...THEME[style]};
}

/** A paragraph's spans, sanitised one by one and joined, with where each one lies in the joined text. */
type Piece = {readonly start: number; readonly end: number; readonly span: InlineSpan};

function sanitisedPieces(spans: readonly InlineSpan[], suffix: string): {text: string; pieces: Piece[]} {
	let text = '';
	const pieces: Piece[] = [];
	const all: InlineSpan[] = suffix === '' ? [...spans] : [...spans, {kind: 'text', text: suffix}];
	for (const span of all) {
		const shown = sanitize(span.text);
		pieces.push({start: text.length, end: text.length + shown.length, span});
		text += shown;
	}
	return {text, pieces};
}

function styleOf(span: InlineSpan, base: SegmentStyle): SegmentStyle {
	switch (span.kind) {
		case 'text':
			return base;
		case 'code':
			return themed('inlineCode', base);
		case 'url':
			return themed('url', base);
		default: {
			const unknown: never = span;
			throw new Error(`unexpected span ${JSON.stringify(unknown)}`);
		}
	}
}

/**
 * The segments of text[from, to): one per piece it overlaps. A URL links
 * only when the whole of it is on this row, so no row shows part of an
 * address that opens all of it.
 */
function rowSegments(text: string, pieces: readonly Piece[], cursor: {piece: number}, from: number, to: number, base: SegmentStyle): Segment[] {
	const segments: Segment[] = [];
	while (cursor.piece < pieces.length && pieces[cursor.piece]!.end <= from) cursor.piece++;
	for (let index = cursor.piece; index < pieces.length && pieces[index]!.start < to; index++) {
		const piece = pieces[index]!;
		const start = Math.max(from, piece.start);
		const end = Math.min(to, piece.end);
		if (end <= start) continue;
		const style = styleOf(piece.span, base);
		const whole = piece.start >= from && piece.end <= to;
		const href = piece.span.kind === 'url' && whole ? linkTarget(piece.span.text) : undefined;
		segments.push(href === undefined ? {...style, text: text.slice(start, end)} : {...style, text: text.slice(start, end), href});
	}
	return segments;
}

/**
 * Wraps a paragraph and maps each row back to the spans it shows. Each line
 * is wrapped on its own (as wrapText does), so within a line the rows are
 * its text in order with only the spaces at the breaks left out.
 */
function paragraphRows(spans: readonly InlineSpan[], firstColumns: number, columns: number, base: SegmentStyle, suffix: string): Segment[][] {
	const {text, pieces} = sanitisedPieces(spans, suffix);
	const rows: Segment[][] = [];
	const cursor = {piece: 0};
	let lineStart = 0;
	while (lineStart <= text.length) {
		let lineEnd = text.indexOf('\n', lineStart);
		if (lineEnd === -1) lineEnd = text.length;
		const wrapped = wrapText(text.slice(lineStart, lineEnd), columns, rows.length === 0 ? firstColumns : columns);
		let at = lineStart;
		wrapped.forEach((row, index) => {
			// wrapText drops the spaces a line is broken at, and a continuation row never starts with one.
			if (index > 0) while (text.charCodeAt(at) === 0x20 && at < lineEnd) at++;
			rows.push(rowSegments(text, pieces, cursor, at, at + row.length, base));
			at += row.length;
		});
		lineStart = lineEnd + 1;
	}
	return rows;
}

/**
 * A code row as segments, neighbours of the same look merged (the spaces
 * between tokens, the padding): fewer segments are fewer Ink elements to
 * draw, and a scrolled pane of code redraws every one of them.
 */
function codeSegments(row: readonly MarkupSegment[], dim: boolean): Segment[] {
	const segments: Segment[] = [];
	let last: MarkupSegment | undefined;
	for (const segment of row) {
		const style = THEME[segment.style];
		const previous = segments.at(-1);
		if (previous && last && (THEME[last.style] === style || (segment.text.trim() === '' && !previous.underline))) {
			segments[segments.length - 1] = {...previous, text: previous.text + segment.text};
			continue;
		}
		segments.push(dim ? {...style, dim: true, text: segment.text} : {...style, text: segment.text});
		last = segment;
	}
	return segments;
}

/** Lays out `raw` (the message's text, already clipped to what the pane shows) after `prefix`. */
export function markupRows(prefix: readonly Segment[], raw: string, options: MarkupRowOptions): MarkupLayout {
	const {width, prefixWidth, indent, style, suffix = ''} = options;
	const columns = Math.max(1, width - indent);
	const pad: Segment = {text: ' '.repeat(indent)};
	const blocks = markupOf(raw);
	const rows: Row[] = [];
	const codeBlocks: CodeBlockPlace[] = [];
	let plainCode: PlainCode = 'none';
	const highlight = options.highlight ?? true;
	// The first row is the prefix's until a paragraph fills it.
	let prefixRow: Segment[] | undefined = [...prefix];
	const push = (segments: readonly Segment[]) => {
		if (prefixRow) {
			rows.push([...prefixRow, ...segments]);
			prefixRow = undefined;
		} else {
			rows.push([pad, ...segments]);
		}
	};

	blocks.forEach((block, index) => {
		const last = index === blocks.length - 1;
		switch (block.kind) {
			case 'paragraph': {
				if (prefixRow && width - prefixWidth < 1) {
					// No room after the prefix: it stands alone, and the text starts under it.
					rows.push(prefixRow);
					prefixRow = undefined;
				}
				const first = prefixRow ? width - prefixWidth : columns;
				for (const segments of paragraphRows(block.spans, first, columns, style, last ? suffix : '')) push(segments);
				return;
			}
			case 'code': {
				// A box never shares the nick's row: it starts under it, at the text's indent.
				if (prefixRow) {
					rows.push(prefixRow);
					prefixRow = undefined;
				}
				let lines;
				if (highlight) {
					const highlighted = highlightBlock(block, CODE_BLOCK_MAX_LINES);
					lines = highlighted.lines;
					if (highlighted.pending) plainCode = 'loading';
				} else {
					lines = plainLines(block.lines.slice(0, CODE_BLOCK_MAX_LINES));
					if (block.language !== undefined) plainCode = 'measured';
				}
				const box = codeBlockRows(block, lines, columns, {viewKey: options.viewKey});
				codeBlocks.push({block, firstRow: rows.length, rowCount: box.rows.length, cut: box.cut});
				for (const row of box.rows) push(codeSegments(row, options.dimCode));
				if (last && suffix !== '') push([{...style, text: suffix.trimStart()}]);
				return;
			}
			default: {
				const unknown: never = block;
				throw new Error(`unexpected block ${JSON.stringify(unknown)}`);
			}
		}
	});
	if (prefixRow) rows.push(prefixRow);
	return {rows, codeBlocks, plainCode};
}
