// The input box as a pure reducer: the draft as a list of graphemes (lines
// separated by "\n" parts), a cursor counted in graphemes (so an emoji or an
// accented letter is one step), history and tab completion. An edit changes
// the list where it happens and segments only the text around it, so a key
// costs the same in a long draft as in a short one. Tested without
// rendering; the useInputEditor hook wraps it.
import {countChars, MAX_MESSAGE_CHARS, nameKey} from '../protocol/limits.js';
import {graphemes} from '../text/graphemes.js';
import {glyphsOf} from './input-glyphs.js';
import {columnOf, indexAtColumn, inputRows, rowOfCursor} from './input-rows.js';

/** Past this many characters the length counter appears. */
export const COUNTER_THRESHOLD = MAX_MESSAGE_CHARS - 256;
/**
 * The most characters a draft may hold: four messages' worth, room enough to
 * paste and cut down. More could not be sent anyway, and every frame of the
 * input box would cost more.
 */
export const MAX_DRAFT_CHARS = 4 * MAX_MESSAGE_CHARS;
/** History entries kept. */
export const HISTORY_LIMIT = 500;

type Completion = {
	/** Grapheme index where the completed word starts. */
	readonly start: number;
	readonly candidates: readonly string[];
	readonly index: number;
	/** What Tab appends after a candidate: ": " for a nick at the start of the line, else " ". */
	readonly suffix: string;
};

export type EditorState = {
	/** The draft: `parts` joined, kept beside them for the readers that want a string. */
	readonly text: string;
	/** The draft's grapheme clusters, in order. */
	readonly parts: readonly string[];
	/** Cursor position in graphemes, 0..parts.length. */
	readonly cursor: number;
	/** What you sent, oldest first. */
	readonly history: readonly string[];
	/** Which history entry is shown, or undefined while editing your own draft. */
	readonly historyIndex?: number;
	/** The draft put aside while walking through history; restored when you come back down. */
	readonly draft: string;
	/** Set while repeated Tab presses cycle through the candidates. */
	readonly completion?: Completion;
	/** Why the last Enter did not send; cleared by the next edit. */
	readonly notice?: string;
	/** A paste taller than the box shows as "[pasted N lines]" until unfolded or edited. */
	readonly folded?: boolean;
};

export type EditorAction =
	/** Typed text (may be several characters when typed fast). */
	| {type: 'insert'; text: string}
	/** A paste: may hold newlines, and becomes one message however many lines it has. Folds when it has more than `foldAbove` lines. */
	| {type: 'paste'; text: string; foldAbove?: number}
	/** The draft from an external editor, in place of the one there was (unsent). */
	| {type: 'replace'; text: string}
	/** Show a folded paste. */
	| {type: 'unfold'}
	/** Ctrl-C on a draft: it goes, as in a shell. */
	| {type: 'clear'}
	/** A line to show above the draft until the next edit (undefined removes it). */
	| {type: 'notice'; text?: string}
	/** Alt-Enter: a line break inside the message. */
	| {type: 'newline'}
	| {type: 'left'}
	| {type: 'right'}
	/** Start and end of the current line of the message. */
	| {type: 'home'}
	| {type: 'end'}
	/** ↑/↓: a row up or down in a draft of several rows; history from the first/last row. `columns`: the box's width. */
	| {type: 'rowUp'; columns: number}
	| {type: 'rowDown'; columns: number}
	| {type: 'wordLeft'}
	| {type: 'wordRight'}
	| {type: 'backspace'}
	| {type: 'delete'}
	/** Ctrl-W: the word before the cursor. */
	| {type: 'deleteWordBefore'}
	/** Ctrl-U: from the start of the line to the cursor (at a line's start, the line break before it). */
	| {type: 'killToStart'}
	/** Ctrl-K: from the cursor to the end of the line (at a line's end, the line break after it). */
	| {type: 'killToEnd'}
	| {type: 'historyPrev'}
	| {type: 'historyNext'}
	/**
	 * Tab (Shift-Tab: `backwards`). `nicks` in the order to offer them (the
	 * most recent speakers first); `commands` are the slash-command names with their slash.
	 */
	| {type: 'complete'; nicks: readonly string[]; commands: readonly string[]; me?: string; backwards?: boolean}
	/** Enter. */
	| {type: 'submit'};

export type EditResult = {
	readonly state: EditorState;
	/** The text to send, when the action was a successful Enter. */
	readonly submitted?: string;
};

export const initialEditorState: EditorState = {text: '', parts: [], cursor: 0, history: [], draft: ''};

/** The grapheme clusters of `text`, in time linear in its length. */
export function graphemesOf(text: string): string[] {
	return Array.from(graphemes(text));
}

const number = new Intl.NumberFormat('en-US');

/** Why `added` characters in place of `removed` ones would not fit in the draft, or undefined. */
function draftLimitProblem(state: EditorState, added: string, removed = 0): string | undefined {
	const total = countChars(state.text) - removed + countChars(added);
	if (total <= MAX_DRAFT_CHARS) return undefined;
	return `it would make the draft ${number.format(total)} characters; a draft holds ${number.format(MAX_DRAFT_CHARS)} at most`;
}

/** Lines in a multi-line text; 1 for an ordinary line. */
export function lineCount(text: string): number {
	let count = 1;
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
	return count;
}

/** Why the text cannot be sent as it is, for the red counter; undefined when it can. */
export function lengthProblem(text: string): string | undefined {
	const chars = countChars(text);
	if (chars > MAX_MESSAGE_CHARS) {
		return `${chars - MAX_MESSAGE_CHARS} characters over the ${MAX_MESSAGE_CHARS}-character limit: shorten it to send`;
	}
	return undefined;
}

/**
 * A paste as message text: CR LF and CR become LF (terminals send CR for a
 * newline), tabs become four spaces (as the sanitiser shows them, and so the
 * input line's width is right), other control characters go, and trailing
 * newlines (a copied line's own end) are dropped.
 */
export function normalisePaste(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.replace(/\t/g, '    ')
		.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '')
		.replace(/\n+$/, '');
}

const isSpace = (grapheme: string | undefined) => grapheme !== undefined && /^\s$/.test(grapheme);

/** Start of the word before `cursor` (skipping the spaces just before it), readline style. */
function wordStartBefore(parts: readonly string[], cursor: number): number {
	let i = cursor;
	while (i > 0 && isSpace(parts[i - 1])) i--;
	while (i > 0 && !isSpace(parts[i - 1])) i--;
	return i;
}

/** End of the word after `cursor` (skipping the spaces just after it). */
function wordEndAfter(parts: readonly string[], cursor: number): number {
	let i = cursor;
	while (i < parts.length && isSpace(parts[i])) i++;
	while (i < parts.length && !isSpace(parts[i])) i++;
	return i;
}

/**
 * Replaces graphemes [from, to) with `insert`; returns the new parts and the
 * position just after the insert. Only the text around the edit is
 * segmented again: the grapheme on either side (an accent typed after its
 * letter joins it, a deletion can join the two sides), and on the right as
 * long as the joins go on (an emoji after a joiner).
 */
export function spliceParts(parts: readonly string[], from: number, to: number, insert: string): {parts: string[]; cursor: number} {
	const start = Math.max(0, from - 1);
	let end = Math.min(parts.length, to + 1);
	const head = parts.slice(start, from).join('');
	let clusters = graphemesOf(head + insert + parts.slice(to, end).join(''));
	while (end < parts.length && clusters.length > 0) {
		const last = clusters[clusters.length - 1]!;
		const joined = graphemesOf(last + parts[end]!);
		if (joined.length === 2 && joined[0] === last) break;
		clusters = clusters.slice(0, -1).concat(joined);
		end++;
	}
	// The cursor goes after the inserted text, or after the cluster it joined.
	const units = head.length + insert.length;
	let count = 0;
	for (let seen = 0; count < clusters.length && seen < units; count++) seen += clusters[count]!.length;
	return {parts: parts.slice(0, start).concat(clusters, parts.slice(end)), cursor: start + count};
}

/** The state with a new draft (and the cursor in it). */
function withParts(state: EditorState, parts: readonly string[], cursor: number): EditorState {
	return {...state, parts, text: parts.join(''), cursor};
}

/** Replaces graphemes [from, to) with `insert` and puts the cursor after it. */
function splice(state: EditorState, from: number, to: number, insert: string): EditorState {
	const next = spliceParts(state.parts, from, to, insert);
	return {...withParts(state, next.parts, next.cursor), completion: undefined, notice: undefined};
}

function withCursor(state: EditorState, cursor: number): EditorState {
	return {...state, cursor, completion: undefined};
}

/** Start of the line of the message that holds `cursor`. */
function lineStartOf(parts: readonly string[], cursor: number): number {
	let i = cursor;
	while (i > 0 && parts[i - 1] !== '\n') i--;
	return i;
}

/** End of the line of the message that holds `cursor` (the index of its "\n", or the text's end). */
function lineEndOf(parts: readonly string[], cursor: number): number {
	let i = cursor;
	while (i < parts.length && parts[i] !== '\n') i++;
	return i;
}

/** The cursor a row up (-1) or down (+1), or undefined when it is on the first/last row already. */
function cursorOnNextRow(parts: readonly string[], cursor: number, columns: number, direction: -1 | 1): number | undefined {
	// The cells each grapheme takes as drawn (a placeholder's, for an invisible one), as the view counts them.
	const widths = glyphsOf(parts).map(glyph => glyph.width);
	const rows = inputRows(parts, widths, columns);
	const row = rowOfCursor(rows, cursor);
	const target = rows[row + direction];
	if (!target) return undefined;
	return indexAtColumn(widths, target, columnOf(widths, rows[row]!, cursor));
}

/** A history entry (or the draft) in the box, with the cursor at its end. */
function showText(state: EditorState, text: string, historyIndex: number | undefined, draft: string): EditorState {
	const parts = graphemesOf(text);
	return {...withParts(state, parts, parts.length), historyIndex, draft, completion: undefined, notice: undefined, folded: undefined};
}

function historyPrev(state: EditorState): EditorState {
	if (state.history.length === 0) return state;
	const index = state.historyIndex === undefined ? state.history.length - 1 : Math.max(0, state.historyIndex - 1);
	const draft = state.historyIndex === undefined ? state.text : state.draft;
	return showText(state, state.history[index]!, index, draft);
}

function historyNext(state: EditorState): EditorState {
	if (state.historyIndex === undefined) return state;
	const index = state.historyIndex + 1;
	if (index >= state.history.length) return showText(state, state.draft, undefined, '');
	return showText(state, state.history[index]!, index, state.draft);
}

function complete(state: EditorState, action: Extract<EditorAction, {type: 'complete'}>): EditorState {
	const {parts} = state;
	// Tab again: the next candidate, in place of the one put in last time.
	if (state.completion) {
		const {start, candidates, index, suffix} = state.completion;
		const next = (index + (action.backwards ? candidates.length - 1 : 1)) % candidates.length;
		const replaced = splice(state, start, state.cursor, candidates[next]! + suffix);
		return {...replaced, completion: {start, candidates, index: next, suffix}};
	}

	let start = state.cursor;
	while (start > 0 && !isSpace(parts[start - 1])) start--;
	const word = parts.slice(start, state.cursor).join('');
	if (word === '') return state;

	let candidates: string[];
	let suffix = ' ';
	if (start === 0 && word.startsWith('/')) {
		const lower = word.toLowerCase();
		candidates = action.commands.filter(name => name.toLowerCase().startsWith(lower));
	} else {
		// "@al" completes to "@alice": keep the @, complete the name.
		const at = word.startsWith('@') ? '@' : '';
		const key = nameKey(word.slice(at.length));
		const me = action.me === undefined ? undefined : nameKey(action.me);
		candidates = action.nicks
			.filter(nick => nameKey(nick).startsWith(key) && nameKey(nick) !== me)
			.map(nick => at + nick);
		if (start === 0) suffix = ': ';
	}
	if (candidates.length === 0) return state;
	// Shift-Tab starts from the other end of the list.
	const index = action.backwards ? candidates.length - 1 : 0;
	const replaced = splice(state, start, state.cursor, candidates[index]! + suffix);
	return {...replaced, completion: {start, candidates, index, suffix}};
}

function submit(state: EditorState): EditResult {
	const text = state.text;
	if (text.trim() === '') return {state};
	const problem = lengthProblem(text);
	if (problem) return {state: {...state, notice: `not sent: ${problem}`, completion: undefined}};
	const last = state.history[state.history.length - 1];
	const history = last === text ? state.history : [...state.history, text].slice(-HISTORY_LIMIT);
	return {state: {...initialEditorState, history}, submitted: text};
}

/** Applies one editing action. Pure. */
export function editInput(state: EditorState, action: EditorAction): EditResult {
	// A fold is only a view: anything but Enter shows the text again before it acts, so nothing unseen is edited.
	if (state.folded && action.type !== 'submit' && action.type !== 'paste' && action.type !== 'notice') state = {...state, folded: undefined};
	const {parts, cursor} = state;
	switch (action.type) {
		case 'insert': {
			// Typed text never carries control characters into the message.
			const text = action.text.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
			if (text === '') return {state};
			const tooLong = draftLimitProblem(state, text);
			if (tooLong) return {state: {...state, notice: `typed text not taken: ${tooLong}`}};
			return {state: splice(state, cursor, cursor, text)};
		}
		case 'paste': {
			const text = normalisePaste(action.text);
			if (text === '') return {state};
			const tooLong = draftLimitProblem(state, text);
			if (tooLong) return {state: {...state, notice: `paste not taken: ${tooLong}`}};
			const next = splice(state, cursor, cursor, text);
			const fold = action.foldAbove !== undefined && lineCount(next.text) > action.foldAbove;
			return {state: {...next, folded: fold || undefined}};
		}
		case 'replace': {
			const text = normalisePaste(action.text);
			const tooLong = draftLimitProblem(state, text, countChars(state.text));
			if (tooLong) return {state: {...state, notice: `the editor's text is not taken: ${tooLong}`}};
			return {state: showText(state, text, undefined, '')};
		}
		case 'unfold':
			return {state};
		case 'clear':
			return {state: {...initialEditorState, history: state.history}};
		case 'notice':
			return {state: {...state, notice: action.text}};
		case 'newline':
			return {state: splice(state, cursor, cursor, '\n')};
		case 'left':
			return {state: withCursor(state, Math.max(0, cursor - 1))};
		case 'right':
			return {state: withCursor(state, Math.min(parts.length, cursor + 1))};
		case 'home':
			return {state: withCursor(state, lineStartOf(parts, cursor))};
		case 'end':
			return {state: withCursor(state, lineEndOf(parts, cursor))};
		case 'rowUp': {
			const next = cursorOnNextRow(parts, cursor, action.columns, -1);
			return {state: next === undefined ? historyPrev(state) : withCursor(state, next)};
		}
		case 'rowDown': {
			const next = cursorOnNextRow(parts, cursor, action.columns, 1);
			return {state: next === undefined ? historyNext(state) : withCursor(state, next)};
		}
		case 'wordLeft':
			return {state: withCursor(state, wordStartBefore(parts, cursor))};
		case 'wordRight':
			return {state: withCursor(state, wordEndAfter(parts, cursor))};
		case 'backspace':
			return {state: cursor === 0 ? state : splice(state, cursor - 1, cursor, '')};
		case 'delete':
			return {state: cursor === parts.length ? state : splice(state, cursor, cursor + 1, '')};
		case 'deleteWordBefore':
			return {state: splice(state, wordStartBefore(parts, cursor), cursor, '')};
		case 'killToStart': {
			const from = lineStartOf(parts, cursor);
			return {state: splice(state, from === cursor ? Math.max(0, cursor - 1) : from, cursor, '')};
		}
		case 'killToEnd': {
			const to = lineEndOf(parts, cursor);
			return {state: splice(state, cursor, to === cursor ? Math.min(parts.length, cursor + 1) : to, '')};
		}
		case 'historyPrev':
			return {state: historyPrev(state)};
		case 'historyNext':
			return {state: historyNext(state)};
		case 'complete':
			return {state: complete(state, action)};
		case 'submit':
			return submit(state);
		default: {
			const unknown: never = action;
			return unknown;
		}
	}
}
