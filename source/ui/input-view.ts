// What the input box shows for an editor state: the rows of the draft that
// fit (it grows with its content up to `maxRows`, then scrolls inside itself
// to keep the cursor in sight), the length counter and the notice. Each
// grapheme is drawn as the message pane would show it (input-glyphs.ts), so
// nothing typed or pasted reaches the terminal raw. Pure, so the InputLine
// component only draws it.
import {countChars, MAX_MESSAGE_CHARS} from '../protocol/limits.js';
import {textWidth} from '../text/wrap.js';
import {COUNTER_THRESHOLD, lengthProblem, lineCount, type EditorState} from './input-editor.js';
import {glyphsOf} from './input-glyphs.js';
import {inputRows, rowOfCursor} from './input-rows.js';

export type InputViewRow = {
	/** "> " on the draft's first row, "  " on the others, "↑ "/"↓ " where rows are hidden above/below. */
	readonly prefix: string;
	/** The row's text before the cursor, or all of it on a row without the cursor. */
	readonly before: string;
	/** The grapheme under the cursor as drawn (a space at a line's end); only on the cursor's row. */
	readonly atCursor?: string;
	readonly after: string;
};

export type InputView = {
	/** At least one row. */
	readonly rows: readonly InputViewRow[];
	/** Index of the first row shown, among all the draft's rows: pass it back as `top` next time. */
	readonly top: number;
	/** "3,980/4,096", near or past the limit. */
	readonly counter?: string;
	readonly overLimit: boolean;
	/** Why sending is blocked, or why the last Enter did nothing. */
	readonly notice?: string;
};

export type InputViewOptions = {
	/** Width of the box, prompt included. */
	readonly columns: number;
	/** Most rows the text may take. @default 1 */
	readonly maxRows?: number;
	/** The first row shown last time, so the window moves only when the cursor leaves it. @default 0 */
	readonly top?: number;
	/** @default "> " */
	readonly prompt?: string;
	/** What unfolds a folded paste, for its hint ("Ctrl-O"). */
	readonly unfoldKey?: string;
};

const number = new Intl.NumberFormat('en-US');

/** The counter text once the text is long enough to need one. */
function counterFor(text: string): string | undefined {
	const chars = countChars(text);
	return chars >= COUNTER_THRESHOLD ? `${number.format(chars)}/${number.format(MAX_MESSAGE_CHARS)}` : undefined;
}

/** Cells a row of the draft has in a box `columns` wide: less the prompt, and the counter once it shows. */
export function textColumns(text: string, columns: number, prompt = '> '): number {
	const counter = counterFor(text);
	return Math.max(1, columns - textWidth(prompt) - (counter ? counter.length + 1 : 0));
}

/** The view of `state` in a box `columns` wide. */
export function inputView(state: EditorState, options: InputViewOptions): InputView {
	const prompt = options.prompt ?? '> ';
	const maxRows = Math.max(1, options.maxRows ?? 1);
	const counter = counterFor(state.text);
	const problem = lengthProblem(state.text);
	const notice = state.notice ?? problem;
	const overLimit = problem !== undefined;
	const room = textColumns(state.text, options.columns, prompt);

	if (state.folded) {
		const hint = options.unfoldKey ? ` (${options.unfoldKey} shows them, Enter sends)` : '';
		return {rows: [{prefix: prompt, before: `[pasted ${lineCount(state.text)} lines]${hint}`, atCursor: ' ', after: ''}], top: 0, counter, overLimit, notice};
	}

	const {parts} = state;
	const glyphs = glyphsOf(parts);
	const rows = inputRows(parts, glyphs.map(glyph => glyph.width), room);
	const cursor = Math.min(state.cursor, parts.length);
	const cursorRow = rowOfCursor(rows, cursor);

	// The window moves only as far as it must to keep the cursor's row in it.
	const height = Math.min(rows.length, maxRows);
	const lowest = rows.length - height;
	const top = Math.min(lowest, Math.max(0, cursorRow - height + 1, Math.min(options.top ?? 0, cursorRow)));

	const shown: InputViewRow[] = [];
	for (let index = top; index < top + height; index++) {
		const row = rows[index]!;
		let prefix = index === 0 ? prompt : ' '.repeat(textWidth(prompt));
		if (index === top && top > 0) prefix = '↑ ';
		if (index === top + height - 1 && index < rows.length - 1) prefix = '↓ ';
		const text = (from: number, to: number) => glyphs.slice(from, to).map(glyph => glyph.shown).join('');
		if (index === cursorRow) {
			const atCursor = cursor < row.end ? glyphs[cursor]!.shown : ' ';
			shown.push({prefix, before: text(row.start, cursor), atCursor, after: text(Math.min(row.end, cursor + 1), row.end)});
		} else {
			shown.push({prefix, before: text(row.start, row.end), after: ''});
		}
	}
	return {rows: shown, top, counter, overLimit, notice};
}
