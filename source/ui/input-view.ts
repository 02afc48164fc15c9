// What the input line shows for an editor state in a given width: a window
// of the text that keeps the cursor in sight, the length counter and notice.
// Pure, so the InputLine component only draws it.
import {countChars, MAX_MESSAGE_CHARS} from '../protocol/limits.js';
import {textWidth} from '../text/wrap.js';
import {COUNTER_THRESHOLD, graphemesOf, lengthProblem, lineCount, type EditorState} from './input-editor.js';

export type InputView = {
	/** Text left of the cursor (with "…" in front when the window is scrolled). */
	readonly before: string;
	/** The grapheme under the cursor, or a space at the end. */
	readonly atCursor: string;
	readonly after: string;
	/** "3,980/4,096", near or past the limit. */
	readonly counter?: string;
	readonly overLimit: boolean;
	/** Why sending is blocked, or why the last Enter did nothing. */
	readonly notice?: string;
};

const number = new Intl.NumberFormat('en-US');

/** The counter text once the text is long enough to need one. */
function counterFor(text: string): string | undefined {
	const chars = countChars(text);
	return chars >= COUNTER_THRESHOLD ? `${number.format(chars)}/${number.format(MAX_MESSAGE_CHARS)}` : undefined;
}

/**
 * The view of `state` in `columns` columns (the prompt is not included). A
 * multi-line paste shows as "[pasted N lines]" until it is sent, so it
 * cannot be mistaken for N messages.
 */
export function inputView(state: EditorState, columns: number): InputView {
	const counter = counterFor(state.text);
	const problem = lengthProblem(state.text);
	const notice = state.notice ?? problem;
	const room = Math.max(1, columns - (counter ? counter.length + 1 : 0));

	const lines = lineCount(state.text);
	if (lines > 1) {
		return {before: `[pasted ${lines} lines]`, atCursor: ' ', after: '', counter, overLimit: problem !== undefined, notice};
	}

	const parts = graphemesOf(state.text);
	const widths = parts.map(textWidth);
	const cursor = Math.min(state.cursor, parts.length);
	const widthUpTo = (from: number, to: number) => {
		let sum = 0;
		for (let i = from; i < to; i++) sum += widths[i]!;
		return sum;
	};

	// Scroll only when the cursor would leave the window; then put it two thirds across.
	let start = 0;
	if (widthUpTo(0, cursor) + 1 > room) {
		const target = Math.max(1, Math.floor((room * 2) / 3));
		start = cursor;
		let width = 1; // the cursor cell, plus the "…" in front
		while (start > 0 && width + widths[start - 1]! + 1 <= target) {
			width += widths[start - 1]!;
			start--;
		}
	}
	const prefix = start > 0 ? '…' : '';
	const before = prefix + parts.slice(start, cursor).join('');
	const atCursor = parts[cursor] ?? ' ';
	let used = textWidth(before) + textWidth(atCursor);
	let end = cursor + 1;
	while (end < parts.length && used + widths[end]! <= room) {
		used += widths[end]!;
		end++;
	}
	const after = parts.slice(cursor + 1, end).join('');
	return {before, atCursor, after, counter, overLimit: problem !== undefined, notice};
}
