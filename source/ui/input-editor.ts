// The input line as a pure reducer: text, a cursor counted in graphemes (so
// an emoji or an accented letter is one step), history and tab completion.
// Tested without rendering (STYLE.md example 8); use-input-editor.ts wraps it.
import {countChars, MAX_MESSAGE_CHARS, nameKey} from '../protocol/limits.js';

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** Past this many characters the length counter appears. */
export const COUNTER_THRESHOLD = MAX_MESSAGE_CHARS - 256;
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
	readonly text: string;
	/** Cursor position in graphemes, 0..graphemeCount(text). */
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
};

export type EditorAction =
	/** Typed text (may be several characters when typed fast). */
	| {type: 'insert'; text: string}
	/** A paste: may hold newlines, and becomes one message however many lines it has. */
	| {type: 'paste'; text: string}
	/** Alt-Enter: a line break inside the message. */
	| {type: 'newline'}
	| {type: 'left'}
	| {type: 'right'}
	| {type: 'home'}
	| {type: 'end'}
	| {type: 'wordLeft'}
	| {type: 'wordRight'}
	| {type: 'backspace'}
	| {type: 'delete'}
	/** Ctrl-W: the word before the cursor. */
	| {type: 'deleteWordBefore'}
	/** Ctrl-U: from the start of the line to the cursor. */
	| {type: 'killToStart'}
	/** Ctrl-K: from the cursor to the end. */
	| {type: 'killToEnd'}
	| {type: 'historyPrev'}
	| {type: 'historyNext'}
	/** Tab. `commands` are the slash-command names with their slash. */
	| {type: 'complete'; nicks: readonly string[]; commands: readonly string[]; me?: string}
	/** Enter. */
	| {type: 'submit'};

export type EditResult = {
	readonly state: EditorState;
	/** The text to send, when the action was a successful Enter. */
	readonly submitted?: string;
};

export const initialEditorState: EditorState = {text: '', cursor: 0, history: [], draft: ''};

export function graphemesOf(text: string): string[] {
	// Plain ASCII has one grapheme per code unit except CR LF, which a typed line never holds.
	if (/^[\x20-\x7e]*$/.test(text)) return text.split('');
	return Array.from(segmenter.segment(text), s => s.segment);
}

/** Lines in a multi-line (pasted) text; 1 for an ordinary line. */
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

/** Replaces graphemes [from, to) with `insert` and puts the cursor after it. */
function splice(state: EditorState, parts: readonly string[], from: number, to: number, insert: string): EditorState {
	const text = parts.slice(0, from).join('') + insert + parts.slice(to).join('');
	const cursor = from + graphemesOf(insert).length;
	return {...state, text, cursor, completion: undefined, notice: undefined};
}

function withCursor(state: EditorState, cursor: number): EditorState {
	return {...state, cursor, completion: undefined};
}

function complete(state: EditorState, action: Extract<EditorAction, {type: 'complete'}>): EditorState {
	const parts = graphemesOf(state.text);
	// Tab again: the next candidate, in place of the one put in last time.
	if (state.completion) {
		const {start, candidates, index, suffix} = state.completion;
		const next = (index + 1) % candidates.length;
		const replaced = splice(state, parts, start, state.cursor, candidates[next]! + suffix);
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
			.sort((a, b) => (nameKey(a) < nameKey(b) ? -1 : nameKey(a) > nameKey(b) ? 1 : 0))
			.map(nick => at + nick);
		if (start === 0) suffix = ': ';
	}
	if (candidates.length === 0) return state;
	const replaced = splice(state, parts, start, state.cursor, candidates[0]! + suffix);
	return {...replaced, completion: {start, candidates, index: 0, suffix}};
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
	const parts = graphemesOf(state.text);
	const {cursor} = state;
	switch (action.type) {
		case 'insert': {
			// Typed text never carries control characters into the message.
			const text = action.text.replace(/[\x00-\x1f\x7f-\x9f]/g, '');
			if (text === '') return {state};
			return {state: splice(state, parts, cursor, cursor, text)};
		}
		case 'paste': {
			const text = normalisePaste(action.text);
			if (text === '') return {state};
			return {state: splice(state, parts, cursor, cursor, text)};
		}
		case 'newline':
			return {state: splice(state, parts, cursor, cursor, '\n')};
		case 'left':
			return {state: withCursor(state, Math.max(0, cursor - 1))};
		case 'right':
			return {state: withCursor(state, Math.min(parts.length, cursor + 1))};
		case 'home':
			return {state: withCursor(state, 0)};
		case 'end':
			return {state: withCursor(state, parts.length)};
		case 'wordLeft':
			return {state: withCursor(state, wordStartBefore(parts, cursor))};
		case 'wordRight':
			return {state: withCursor(state, wordEndAfter(parts, cursor))};
		case 'backspace':
			return {state: cursor === 0 ? state : splice(state, parts, cursor - 1, cursor, '')};
		case 'delete':
			return {state: cursor === parts.length ? state : splice(state, parts, cursor, cursor + 1, '')};
		case 'deleteWordBefore':
			return {state: splice(state, parts, wordStartBefore(parts, cursor), cursor, '')};
		case 'killToStart':
			return {state: splice(state, parts, 0, cursor, '')};
		case 'killToEnd':
			return {state: splice(state, parts, cursor, parts.length, '')};
		case 'historyPrev': {
			if (state.history.length === 0) return {state};
			const index = state.historyIndex === undefined ? state.history.length - 1 : Math.max(0, state.historyIndex - 1);
			const draft = state.historyIndex === undefined ? state.text : state.draft;
			const text = state.history[index]!;
			return {state: {...state, text, cursor: graphemesOf(text).length, historyIndex: index, draft, completion: undefined, notice: undefined}};
		}
		case 'historyNext': {
			if (state.historyIndex === undefined) return {state};
			const index = state.historyIndex + 1;
			if (index >= state.history.length) {
				const text = state.draft;
				return {state: {...state, text, cursor: graphemesOf(text).length, historyIndex: undefined, draft: '', completion: undefined, notice: undefined}};
			}
			const text = state.history[index]!;
			return {state: {...state, text, cursor: graphemesOf(text).length, historyIndex: index, completion: undefined, notice: undefined}};
		}
		case 'complete':
			return {state: complete(state, action)};
		case 'submit':
			return submit(state);
	}
}
