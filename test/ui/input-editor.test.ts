import {afterEach, describe, expect, it, vi} from 'vitest';
import fc from 'fast-check';
import {
	editInput,
	initialEditorState,
	lineCount,
	MAX_DRAFT_CHARS,
	normalisePaste,
	type EditorAction,
	type EditorState,
} from '../../source/ui/input-editor.js';
import {inputView} from '../../source/ui/input-view.js';
import {MAX_MESSAGE_CHARS} from '../../source/protocol/limits.js';
import {sanitize} from '../../source/text/sanitize.js';

/** Applies actions in order; returns the final state and everything submitted. */
function run(actions: EditorAction[], state: EditorState = initialEditorState) {
	const submitted: string[] = [];
	for (const action of actions) {
		const result = editInput(state, action);
		state = result.state;
		if (result.submitted !== undefined) submitted.push(result.submitted);
	}
	return {state, submitted};
}

const type = (text: string): EditorAction => ({type: 'insert', text});
const key = (name: Exclude<EditorAction['type'], 'insert' | 'paste' | 'complete' | 'replace' | 'notice' | 'rowUp' | 'rowDown'>): EditorAction => ({type: name} as EditorAction);
const up: EditorAction = {type: 'rowUp', columns: 40};
const down: EditorAction = {type: 'rowDown', columns: 40};

describe('editing', () => {
	it('inserts at the cursor and moves by graphemes', () => {
		const {state} = run([type('hllo'), key('home'), key('right'), type('e')]);
		expect(state.text).toBe('hello');
		expect(state.cursor).toBe(2);
		const emoji = run([type('a👨‍👩‍👧b'), key('left'), key('left'), key('backspace')]).state;
		expect(emoji.text).toBe('👨‍👩‍👧b');
		expect(emoji.cursor).toBe(0);
	});

	it('Home/End, Backspace and Delete at the edges do nothing harmful', () => {
		const {state} = run([key('backspace'), type('ab'), key('delete'), key('home'), key('backspace'), key('delete')]);
		expect(state.text).toBe('b');
		expect(state.cursor).toBe(0);
		expect(run([type('ab'), key('home'), key('end')]).state.cursor).toBe(2);
	});

	it('Ctrl-W deletes the word before the cursor, with its trailing spaces', () => {
		expect(run([type('hello big  world  '), key('deleteWordBefore')]).state.text).toBe('hello big  ');
		expect(run([type('one two'), key('wordLeft'), key('deleteWordBefore')]).state.text).toBe('two');
	});

	it('Ctrl-U and Ctrl-K kill before and after the cursor', () => {
		const start = run([type('hello world'), key('wordLeft')]).state;
		expect(run([key('killToStart')], start).state).toMatchObject({text: 'world', cursor: 0});
		expect(run([key('killToEnd')], start).state).toMatchObject({text: 'hello ', cursor: 6});
	});

	it('Alt-B/F move by words', () => {
		const {state} = run([type('one two three'), key('wordLeft'), key('wordLeft')]);
		expect(state.cursor).toBe(4);
		expect(run([key('wordRight')], state).state.cursor).toBe(7);
		expect(run([key('home'), key('wordRight')], state).state.cursor).toBe(3);
	});

	it('typed control characters never enter the text', () => {
		expect(run([type('a\x1b[31mb\x07')]).state.text).toBe('a[31mb');
	});

	it('keeps the cursor inside the text for any sequence of actions (property)', () => {
		const action = fc.oneof(
			fc.constantFrom('a', 'é', '世', '😀', ' ', 'xy z').map(type),
			fc.constantFrom<EditorAction['type']>(
				'left', 'right', 'home', 'end', 'wordLeft', 'wordRight', 'backspace', 'delete',
				'deleteWordBefore', 'killToStart', 'killToEnd', 'historyPrev', 'historyNext', 'submit',
			).map(name => ({type: name}) as EditorAction),
			fc.constantFrom<EditorAction>({type: 'newline'}, {type: 'rowUp', columns: 3}, {type: 'rowDown', columns: 3}, {type: 'clear'}),
		);
		fc.assert(
			fc.property(fc.array(action, {maxLength: 60}), actions => {
				const {state} = run(actions);
				const graphemes = [...new Intl.Segmenter().segment(state.text)].length;
				expect(state.cursor).toBeGreaterThanOrEqual(0);
				expect(state.cursor).toBeLessThanOrEqual(graphemes);
			}),
		);
	});
});

describe('submit and history', () => {
	it('Enter submits and clears; a blank line submits nothing', () => {
		const {state, submitted} = run([type('hi'), key('submit'), type('   '), key('submit')]);
		expect(submitted).toEqual(['hi']);
		expect(state.text).toBe('   ');
	});

	it('↑/↓ walk the history and bring the draft back', () => {
		const sent = run([type('first'), key('submit'), type('second'), key('submit'), type('draft')]).state;
		const up1 = run([key('historyPrev')], sent).state;
		expect(up1.text).toBe('second');
		const up2 = run([key('historyPrev'), key('historyPrev')], up1).state;
		expect(up2.text).toBe('first');
		const down = run([key('historyNext'), key('historyNext')], up2).state;
		expect(down.text).toBe('draft');
		expect(down.historyIndex).toBeUndefined();
		expect(run([key('historyNext')], down).state.text).toBe('draft');
	});

	it('keeps the history after a send, without repeating the same line twice in a row', () => {
		const {state} = run([type('a'), key('submit'), key('historyPrev'), key('submit'), type('b'), key('submit')]);
		expect(state.history).toEqual(['a', 'b']);
	});

	it('blocks sending past the limit, with the reason', () => {
		const long = 'x'.repeat(MAX_MESSAGE_CHARS + 3);
		const {state, submitted} = run([type(long), key('submit')]);
		expect(submitted).toEqual([]);
		expect(state.notice).toContain('3 characters over');
		const view = inputView(state, {columns: 40});
		expect(view.overLimit).toBe(true);
		expect(view.counter).toBe('4,099/4,096');
		// Back under the limit: it sends.
		expect(run([key('backspace'), key('backspace'), key('backspace'), key('submit')], state).submitted).toHaveLength(1);
	});
});

describe('paste', () => {
	it('a multi-line paste is one message, never several', () => {
		const {state, submitted} = run([{type: 'paste', text: 'one\r\ntwo\rthree\n'}, key('submit')]);
		expect(submitted).toEqual(['one\ntwo\nthree']);
		expect(state.text).toBe('');
	});

	it('folds to "[pasted N lines]" only when taller than the box; any edit shows it again', () => {
		expect(run([{type: 'paste', text: 'a\nb\nc', foldAbove: 3}]).state.folded).toBeUndefined();
		const {state} = run([{type: 'paste', text: 'a\nb\nc', foldAbove: 2}]);
		expect(inputView(state, {columns: 40}).rows.map(row => row.before)).toEqual(['[pasted 3 lines]']);
		// Enter sends it whole, still folded.
		expect(run([key('submit')], state).submitted).toEqual(['a\nb\nc']);
		// Backspace edits what you then see: nothing unseen is changed.
		const edited = run([key('backspace')], state).state;
		expect(edited).toMatchObject({text: 'a\nb\n', folded: undefined});
		expect(run([key('unfold')], state).state).toMatchObject({text: 'a\nb\nc', folded: undefined});
	});

	it('normalises line ends and drops control characters', () => {
		expect(normalisePaste('a\x1b[2Jb\r\nc\n\n')).toBe('a[2Jb\nc');
		expect(lineCount('a\nb')).toBe(2);
	});
});

describe('tab completion', () => {
	// Offered in the order given (the caller puts the most recent speakers first).
	const nicks = ['Albert', 'alice', 'bob'];
	const commands = ['/help', '/quit', '/reconnect', '/rename'];
	const tab: EditorAction = {type: 'complete', nicks, commands, me: 'bob'};

	it('completes a nick at the start of the line with ": "', () => {
		expect(run([type('ali'), tab]).state.text).toBe('alice: ');
	});

	it('completes a nick later in the line with a space, keeping @', () => {
		expect(run([type('hi @bo'), tab]).state.text).toBe('hi @bo');
		expect(run([type('hi AL'), tab]).state.text).toBe('hi Albert ');
		expect(run([type('hi @ali'), tab]).state.text).toBe('hi @alice ');
	});

	it('Shift-Tab cycles the other way', () => {
		const back: EditorAction = {...tab, backwards: true};
		const first = run([type('a'), back]).state;
		expect(first.text).toBe('alice: ');
		expect(run([back], first).state.text).toBe('Albert: ');
		expect(run([tab], first).state.text).toBe('Albert: ');
	});

	it('cycles through candidates on repeated Tab', () => {
		const first = run([type('al'), tab]).state;
		expect(first.text).toBe('Albert: ');
		const second = run([tab], first).state;
		expect(second.text).toBe('alice: ');
		expect(run([tab], second).state.text).toBe('Albert: ');
		// Any other key ends the cycle.
		expect(run([type('x'), tab], second).state.text).toBe('alice: x');
	});

	it('completes and cycles slash commands', () => {
		const first = run([type('/re'), tab]).state;
		expect(first.text).toBe('/reconnect ');
		expect(run([tab], first).state.text).toBe('/rename ');
	});

	it('does nothing without a match', () => {
		expect(run([type('zz'), tab]).state.text).toBe('zz');
	});
});

describe('multi-line drafts', () => {
	it('edits where the cursor is shown: first, Alt-Enter, second, BS BS ← ← ← X', () => {
		const {state, submitted} = run([
			type('first'), key('newline'), type('second'), key('backspace'), key('backspace'),
			key('left'), key('left'), key('left'), type('X'), key('submit'),
		]);
		expect(submitted).toEqual(['first\nsXeco']);
		expect(state.text).toBe('');
	});

	it('↑/↓ move between lines, keeping the column; history only from the first/last line', () => {
		const sent = run([type('old'), key('submit'), type('one'), key('newline'), type('second'), key('newline'), type('3')]).state;
		const row2 = run([up], sent).state;
		expect(row2).toMatchObject({text: 'one\nsecond\n3', cursor: 5});
		expect(row2.historyIndex).toBeUndefined();
		const row1 = run([up], row2).state;
		expect(row1.cursor).toBe(1);
		// From the first line, ↑ recalls history; ↓ from its last line brings the draft back.
		const recalled = run([up], row1).state;
		expect(recalled).toMatchObject({text: 'old', historyIndex: 0});
		expect(run([down], recalled).state.text).toBe('one\nsecond\n3');
		// ↓ on the last line of a draft that is not from history does nothing.
		expect(run([down], sent).state).toMatchObject({text: 'one\nsecond\n3', cursor: 12});
	});

	it('a recalled multi-line message is walked the same way', () => {
		const sent = run([type('a'), key('newline'), type('bb'), key('submit')]).state;
		const recalled = run([up], sent).state;
		expect(recalled).toMatchObject({text: 'a\nbb', cursor: 4});
		expect(run([up], recalled).state).toMatchObject({text: 'a\nbb', cursor: 1});
	});

	it('↑/↓ move by rows of a wrapped line too', () => {
		const {state} = run([type('abcdefghij')]);
		expect(run([{type: 'rowUp', columns: 4}], state).state.cursor).toBe(6);
	});

	it('Home/End and Ctrl-U/K act on the current line; at its edge they join lines', () => {
		const two = run([type('one'), key('newline'), type('two'), key('left')]).state;
		expect(run([key('home')], two).state.cursor).toBe(4);
		expect(run([key('killToStart')], two).state.text).toBe('one\no');
		expect(run([key('home'), key('killToStart')], two).state.text).toBe('onetwo');
		expect(run([key('home'), key('left'), key('killToEnd')], two).state.text).toBe('onetwo');
	});

	it('Ctrl-C clears the draft but keeps the history', () => {
		const {state} = run([type('a'), key('submit'), type('draft'), key('clear')]);
		expect(state).toMatchObject({text: '', cursor: 0, history: ['a']});
	});

	it('a draft from $EDITOR replaces the one there was, unsent, without its final newline', () => {
		const {state, submitted} = run([type('draft'), {type: 'replace', text: 'line 1\nline 2\n'}]);
		expect(submitted).toEqual([]);
		expect(state).toMatchObject({text: 'line 1\nline 2', cursor: 13});
	});
});

describe('inputView', () => {
	it('shows the whole short line with the cursor at the end', () => {
		const view = inputView(run([type('hello')]).state, {columns: 22});
		expect(view.rows).toEqual([{prefix: '> ', before: 'hello', atCursor: ' ', after: ''}]);
		expect(view.overLimit).toBe(false);
		expect(view.counter).toBeUndefined();
	});

	it('grows with the draft, then scrolls inside itself to keep the cursor in sight', () => {
		const state = run([type('abcdefghijklmnopqrstuvwxyz')]).state;
		const tall = inputView(state, {columns: 12, maxRows: 5});
		expect(tall.rows.map(row => row.before)).toEqual(['abcdefghij', 'klmnopqrst', 'uvwxyz']);
		const short = inputView(state, {columns: 12, maxRows: 2});
		expect(short.rows.map(row => row.prefix + row.before)).toEqual(['↑ klmnopqrst', '  uvwxyz']);
		expect(short.top).toBe(1);
		const home = inputView(run([key('home')], state).state, {columns: 12, maxRows: 2, top: short.top});
		expect(home.rows[0]).toMatchObject({prefix: '> ', before: '', atCursor: 'a', after: 'bcdefghij'});
		expect(home.rows[1]!.prefix).toBe('↓ ');
	});

	it('a line exactly as wide as the box leaves the cursor a row of its own', () => {
		const view = inputView(run([type('abcd')]).state, {columns: 6, maxRows: 3});
		expect(view.rows.map(row => row.before + (row.atCursor ?? ''))).toEqual(['abcd', ' ']);
	});
});

describe('pasted tabs', () => {
	it('become four spaces, so the input line measures them', () => {
		expect(normalisePaste('a\tb\r\nc\t')).toBe('a    b\nc    ');
	});
});

describe('long drafts', () => {
	afterEach(() => {
		vi.restoreAllMocks();
	});

	/** Characters handed to Intl.Segmenter while `run` runs: its cost per character grows with the length of what it gets. */
	function segmentedWhile(run: () => void): number {
		const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
		run();
		const total = segment.mock.calls.reduce((sum, [input]) => sum + input.length, 0);
		segment.mockRestore();
		return total;
	}

	const unit = 'héllo wörld 漢字 ';
	/** A draft of about `chars` characters, the cursor in its middle, drawn once (as the screen would have). */
	function draftOf(chars: number): EditorState {
		let state = run([{type: 'paste', text: unit.repeat(Math.ceil(chars / unit.length))}]).state;
		for (let i = 0; i < 7; i++) state = run([key('wordLeft')], state).state;
		inputView(state, {columns: 80, maxRows: 9});
		return state;
	}

	/** A key and the frame after it: what typing costs. */
	function typeAndDraw(state: EditorState, action: EditorAction): EditorState {
		const next = editInput(state, action).state;
		inputView(next, {columns: 80, maxRows: 9});
		return next;
	}

	it('segments only around the edit: a key in a draft of 16,000 characters costs as little as in one of 160', () => {
		const edits: EditorAction[] = [type('ö'), type('x'), key('backspace'), key('left'), key('delete'), key('newline'), type('\u0301')];
		for (const action of edits) {
			const short = draftOf(160);
			const long = draftOf(16_000);
			const costShort = segmentedWhile(() => typeAndDraw(short, action));
			const costLong = segmentedWhile(() => typeAndDraw(long, action));
			// A few graphemes around the edit, whatever the draft's length (the neighbours differ, so not always equal).
			expect(costShort, JSON.stringify(action)).toBeLessThan(64);
			expect(costLong, JSON.stringify(action)).toBeLessThan(64);
		}
	});

	it('edits the list of graphemes as segmenting the whole text would (property)', () => {
		const piece = fc.constantFrom('a', ' ', 'é', 'e', '\u0301', '\u200d', '\u200c', '👨', '👩', '🇫', '🇷', '\u3164', 'ᄀ', 'ᅡ', '漢', '\n');
		const action = fc.oneof(
			fc.array(piece, {minLength: 1, maxLength: 4}).map(pieces => type(pieces.join(''))),
			fc.array(piece, {minLength: 1, maxLength: 6}).map(pieces => ({type: 'paste', text: pieces.join('')}) as EditorAction),
			fc.constantFrom<EditorAction>(key('left'), key('right'), key('backspace'), key('delete'), key('home'), key('end'), key('newline'), key('deleteWordBefore')),
		);
		fc.assert(
			fc.property(fc.array(action, {maxLength: 40}), actions => {
				const {state} = run(actions);
				expect(state.parts).toEqual([...new Intl.Segmenter().segment(state.text)].map(s => s.segment));
				expect(state.parts.join('')).toBe(state.text);
			}),
			{numRuns: 300},
		);
	});

	it('refuses a paste that would make the draft longer than four messages, and says so', () => {
		const start = run([type('keep')]).state;
		const {state} = run([{type: 'paste', text: 'x'.repeat(MAX_DRAFT_CHARS)}], start);
		expect(state.text).toBe('keep');
		expect(state.notice).toBe('paste not taken: it would make the draft 16,388 characters; a draft holds 16,384 at most');
		// Up to the limit it is taken, to be cut down.
		expect(run([{type: 'paste', text: 'x'.repeat(MAX_DRAFT_CHARS - 4)}], start).state.text).toHaveLength(MAX_DRAFT_CHARS);
		const edited = run([{type: 'replace', text: 'y'.repeat(MAX_DRAFT_CHARS + 1)}], start).state;
		expect(edited).toMatchObject({text: 'keep', notice: "the editor's text is not taken: it would make the draft 16,385 characters; a draft holds 16,384 at most"});
	});
});

describe('what the input line draws', () => {
	const row = (state: EditorState, columns = 80) => inputView(state, {columns, maxRows: 9}).rows.map(shown => shown.before + (shown.atCursor ?? '') + shown.after);

	it('shows invisible and reordering characters as the pane does, and sends them as typed', () => {
		const typed = 'A\u3164\u3164\u3164B 1234567890 END';
		const state = run([type(typed)]).state;
		expect(row(state)).toEqual(['A<U+3164><U+3164><U+3164>B 1234567890 END ']);
		expect(run([key('submit')], state).submitted).toEqual([typed]);
		const pasted = run([{type: 'paste', text: 'red\x1b[31mX\u202eabc'}]).state;
		expect(row(pasted)).toEqual(['red[31mX<U+202E>abc ']);
	});

	it('shows a control character that came in by completion in caret form, and moves the cursor over placeholders whole', () => {
		// A 2015 server lets any name in.
		const name = 'ev\x1b]0;pwned\x07il';
		const state = run([type('e'), {type: 'complete', nicks: [name], commands: []}]).state;
		expect(state.text).toBe(`${name}: `);
		expect(row(state)).toEqual(['ev^[]0;pwned^Gil:  ']);
		const onFiller = run([type('a\u3164b'), key('left'), key('left')]).state;
		expect(inputView(onFiller, {columns: 80}).rows[0]).toMatchObject({before: 'a', atCursor: '<U+3164>', after: 'b'});
	});

	it('wraps by the cells placeholders take', () => {
		// "> " + 10 cells a row: the three fillers take 24 cells, not 0.
		const state = run([type('A\u3164\u3164\u3164B')]).state;
		expect(row(state, 12)).toEqual(['A<U+3164>', '<U+3164>', '<U+3164>B ']);
		// ↑ from the last row lands on the row above, counted in drawn cells.
		expect(run([{type: 'rowUp', columns: 10}], state).state.cursor).toBe(2);
	});

	it('draws each grapheme as sanitising the whole line would (property)', () => {
		const piece = fc.constantFrom('a', 'é', '\u0301', '\u200d', '\u200c', '👨', '👩', '\u3164', 'م', 'ی', '\u202e', '\u2066', '\u00ad', '\ufeff', ' ');
		fc.assert(
			fc.property(fc.array(piece, {minLength: 1, maxLength: 20}), pieces => {
				const text = pieces.join('');
				const state = run([{type: 'paste', text}]).state;
				const view = inputView(state, {columns: 1000});
				const shown = view.rows.map(shown => shown.before + (shown.atCursor ?? '') + shown.after).join('');
				expect(shown.trimEnd()).toBe(sanitize(state.text).trimEnd());
			}),
			{numRuns: 500},
		);
	});
});
