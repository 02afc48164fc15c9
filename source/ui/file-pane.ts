// The shared file's pane, without React: the file as a synthetic code block
// (its language from its name), highlighted once per version, and the rows
// of the window in view: a mark in the first column on the lines the last
// update changed, the line number, the code clipped at the pane's edge. Only
// the rows shown are laid out, so a 48 KiB file scrolls as cheaply as a
// short one. FilePane.tsx draws them; use-shared-file.ts owns the scroll.
import stringWidth from 'string-width';
import {THEME, type HighlightedLine} from '../text/code-theme.js';
import {graphemes} from '../text/graphemes.js';
import {highlightBlock} from '../text/highlighter.js';
import {languageFromPath} from '../text/languages.js';
import type {CodeBlock} from '../text/markup.js';
import {sanitize} from '../text/sanitize.js';
import {splitLines} from '../files/line-changes.js';
import type {Row, Segment} from './row.js';

/** The mark before a changed line; a space before the others, so the code lines up. */
export const CHANGED_MARK = '▌';
const MORE = '…';

/**
 * A block for the highlighter. `name` picks the language by its extension
 * only; it is never opened or used as a path.
 */
export function fileBlock(name: string, text: string): CodeBlock {
	return {kind: 'code', info: name, language: languageFromPath(name), lines: splitLines(text), open: '', close: ''};
}

const printableAscii = /^[\x20-\x7e]*$/;
const columns = (text: string) => (printableAscii.test(text) ? text.length : stringWidth(text));

/** One line's tokens as segments, sanitised, cut at `room` columns with "…" when longer. */
function clippedLine(line: HighlightedLine, room: number): Segment[] {
	const segments: Segment[] = [];
	let used = 0;
	for (const token of line) {
		const text = sanitize(token.text).replaceAll('\n', ' ');
		const style = THEME[token.scope];
		const width = columns(text);
		if (used + width <= room) {
			segments.push({...style, text});
			used += width;
			continue;
		}

		let taken = '';
		for (const grapheme of graphemes(text)) {
			const cell = columns(grapheme);
			if (used + cell > room - 1) break;
			taken += grapheme;
			used += cell;
		}

		if (taken !== '') segments.push({...style, text: taken});
		segments.push({...THEME.more, text: MORE});
		return segments;
	}

	return segments;
}

/** The rows of lines `top`… (at most `count`), each a line of the file, at most `width` columns. */
export function filePaneRows(block: CodeBlock, changed: ReadonlySet<number>, width: number, top = 0, count = block.lines.length): Row[] {
	const {lines} = highlightBlock(block);
	const digits = String(Math.max(1, block.lines.length)).length;
	// Mark, number, two spaces: the code gets the rest, at least a column.
	const room = Math.max(1, width - 1 - digits - 2);
	const end = Math.min(block.lines.length, top + count);
	const rows: Row[] = [];
	for (let index = top; index < end; index++) {
		const mark: Segment = changed.has(index) ? {text: CHANGED_MARK, color: 'green', bold: true} : {text: ' '};
		rows.push([mark, {...THEME.lineNumber, text: String(index + 1).padStart(digits) + '  '}, ...clippedLine(lines[index] ?? [], room)]);
	}

	return rows;
}

/** From this many columns the file goes beside the chat; below, under it. */
export const FILE_BESIDE_MIN_COLUMNS = 100;

type Area = {readonly width: number; readonly height: number};

/** The rule between the chat and the file beside it, as the sidebar's: a column of its own. */
export const FILE_RULE_COLUMNS = 1;

/**
 * How the pane area is shared between the chat and the file, when the file
 * is shown. Beside the chat, the file's area is its text's: the rule that
 * parts them takes FILE_RULE_COLUMNS more.
 */
export function splitPane(width: number, height: number, fileShown: boolean): {chat: Area; file?: Area; beside: boolean} {
	if (!fileShown) return {chat: {width, height}, beside: false};
	if (width >= FILE_BESIDE_MIN_COLUMNS) {
		const chat = Math.ceil(width / 2);
		return {chat: {width: chat, height}, file: {width: width - chat - FILE_RULE_COLUMNS, height}, beside: true};
	}

	// Too short to share: the file takes the whole area until it is hidden again.
	if (height < 6) return {chat: {width, height: 0}, file: {width, height}, beside: false};
	const file = Math.floor(height / 2);
	return {chat: {width, height: height - file}, file: {width, height: file}, beside: false};
}
