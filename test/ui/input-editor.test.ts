import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {
	editInput,
	initialEditorState,
	lineCount,
	normalisePaste,
	type EditorAction,
	type EditorState,
} from '../../source/ui/input-editor.js';
import {inputView} from '../../source/ui/input-view.js';
import {MAX_MESSAGE_CHARS} from '../../source/protocol/limits.js';

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
const key = (name: Exclude<EditorAction['type'], 'insert' | 'paste' | 'complete'>): EditorAction => ({type: name} as EditorAction);

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
		const view = inputView(state, 40);
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

	it('shows "[pasted N lines]" until it is sent', () => {
		const {state} = run([{type: 'paste', text: 'a\nb\nc'}]);
		expect(inputView(state, 40).before).toBe('[pasted 3 lines]');
	});

	it('normalises line ends and drops control characters', () => {
		expect(normalisePaste('a\x1b[2Jb\r\nc\n\n')).toBe('a[2Jb\nc');
		expect(lineCount('a\nb')).toBe(2);
	});
});

describe('tab completion', () => {
	const nicks = ['alice', 'Albert', 'bob'];
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

describe('inputView', () => {
	it('shows the whole short line with the cursor at the end', () => {
		const view = inputView(run([type('hello')]).state, 20);
		expect(view).toMatchObject({before: 'hello', atCursor: ' ', after: '', overLimit: false});
		expect(view.counter).toBeUndefined();
	});

	it('scrolls a long line to keep the cursor in sight', () => {
		const state = run([type('abcdefghijklmnopqrstuvwxyz')]).state;
		const view = inputView(state, 10);
		expect(view.before.startsWith('…')).toBe(true);
		expect(view.before.endsWith('z')).toBe(true);
		const home = inputView(run([key('home')], state).state, 10);
		expect(home.before).toBe('');
		expect(home.atCursor).toBe('a');
		expect((home.atCursor + home.after).length).toBe(10);
	});
});

describe('pasted tabs', () => {
	it('become four spaces, so the input line measures them', () => {
		expect(normalisePaste('a\tb\r\nc\t')).toBe('a    b\nc    ');
	});
});
