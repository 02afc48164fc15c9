import {afterEach, describe, expect, it} from 'vitest';
import {render, cleanup} from 'ink-testing-library';
import {Box, Text} from 'ink';
import {MessagePane} from '../../source/ui/MessagePane.js';
import {Roster} from '../../source/ui/Roster.js';
import {InputLine} from '../../source/ui/InputLine.js';
import {App} from '../../source/ui/App.js';
import {chooseLayout} from '../../source/ui/layout.js';
import {editInput, initialEditorState} from '../../source/ui/input-editor.js';
import {inputView} from '../../source/ui/input-view.js';
import {scrollBy} from '../../source/ui/pane-layout.js';
import {selectLog, selectRoster} from '../../source/state/selectors.js';
import {MAX_MESSAGE_CHARS} from '../../source/protocol/limits.js';
import {T0, messages, plain, snapshot, sourceOf, stateWith} from './helpers.js';

afterEach(cleanup);

describe('MessagePane', () => {
	it('shows the newest messages at the bottom, one row each', () => {
		const state = stateWith(messages(40));
		const {lastFrame} = render(<MessagePane source={sourceOf(state)} version={selectLog(state)} me="alice" width={40} height={5} />);
		const lines = plain(lastFrame()).split('\n');
		expect(lines).toHaveLength(5);
		expect(lines[4]).toContain('09:05 bob message 39');
		expect(lines[0]).toContain('message 35');
	});

	it('shows hostile text inert: no ESC or bidi control in the frame', () => {
		const state = stateWith([{type: 'message', user: 'mallory', text: '\x1b]0;owned\x07\x1b[2J\u202Egnp.exe', time: T0}]);
		const frame = render(<MessagePane source={sourceOf(state)} version={selectLog(state)} me="alice" width={60} height={3} />).lastFrame()!;
		const text = plain(frame);
		expect(text).toContain('^[]0;owned^G^[[2J<U+202E>gnp.exe');
		expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
	});

	it('marks new messages while scrolled up', () => {
		const state = stateWith(messages(30));
		const anchor = scrollBy(sourceOf(state), 'alice', 40, 4, undefined, 5);
		const {lastFrame} = render(
			<MessagePane source={sourceOf(state)} version={selectLog(state)} me="alice" width={40} height={5} anchor={anchor} newMessages={3} />,
		);
		const lines = plain(lastFrame()).split('\n');
		expect(lines).toHaveLength(5);
		expect(lines[4]).toContain('3 new messages ↓');
		expect(lines[3]).toContain('message 24');
	});

	it('wraps a long message with continuation rows under the text', () => {
		const state = stateWith(messages(1, 'bob', () => 'alpha beta gamma delta epsilon zeta eta theta'));
		const lines = plain(render(<MessagePane source={sourceOf(state)} version={selectLog(state)} me="alice" width={26} height={4} />).lastFrame()).split('\n');
		const first = lines.findIndex(line => line.startsWith('09:05 bob alpha'));
		expect(first).toBeGreaterThanOrEqual(0);
		expect(lines.length - first).toBeGreaterThan(1);
		for (const line of lines.slice(first + 1)) expect(line).toMatch(/^ {10}\S/);
	});
});

describe('Roster', () => {
	const rows = selectRoster(stateWith([
		{type: 'roster', roster: snapshot('alice', ['zed', 'Bob', 'a-very-long-name-indeed-yes'])},
	]));

	it('lists users sorted under "Users (N)", you marked, long names cut with …', () => {
		const lines = plain(render(<Roster rows={rows} width={14} height={6} />).lastFrame()).split('\n').map(line => line.trimEnd());
		expect(lines[0]).toBe('Users (4)');
		expect(lines.slice(1, 5)).toEqual([' a-very-long-…', '*alice', ' Bob', ' zed']);
	});

	it('scrolls a long list and says how many are below', () => {
		const many = selectRoster(stateWith([{type: 'roster', roster: snapshot('alice', Array.from({length: 30}, (_, i) => `user${String(i).padStart(2, '0')}`))}]));
		const top = plain(render(<Roster rows={many} width={18} height={5} />).lastFrame()).split('\n');
		expect(top[0]).toContain('Users (31)');
		expect(top.at(-1)).toContain('more ↓');
		const scrolled = plain(render(<Roster rows={many} width={18} height={5} offset={100} />).lastFrame()).split('\n');
		expect(scrolled.at(-1)).toContain('user29');
		expect(scrolled[0]).toContain('↑');
	});
});

describe('InputLine', () => {
	it('shows the prompt, the text and the cursor', () => {
		const state = editInput(initialEditorState, {type: 'insert', text: 'hello'}).state;
		// Without colours (as here) the cursor at the end shows as "_".
		expect(plain(render(<InputLine view={inputView(state, {columns: 40})} width={40} />).lastFrame())).toBe('> hello_');
		const moved = editInput(state, {type: 'home'}).state;
		expect(plain(render(<InputLine view={inputView(moved, {columns: 40})} width={40} />).lastFrame())).toBe('> hello');
	});

	it('shows a counter near the limit, and the reason when past it', () => {
		const near = editInput(initialEditorState, {type: 'insert', text: 'x'.repeat(MAX_MESSAGE_CHARS - 10)}).state;
		expect(plain(render(<InputLine view={inputView(near, {columns: 40})} width={40} />).lastFrame())).toContain('4,086/4,096');
		const over = editInput(initialEditorState, {type: 'insert', text: 'x'.repeat(MAX_MESSAGE_CHARS + 1)}).state;
		const frame = render(<InputLine view={inputView(over, {columns: 60})} width={60} />).lastFrame()!;
		expect(plain(frame)).toContain('1 characters over the 4096-character limit');
		expect(plain(frame)).toContain('4,097/4,096');
	});

	it('shows every line of a multi-line draft, the cursor where you type', () => {
		let state = editInput(initialEditorState, {type: 'paste', text: 'one\ntwo\nthree'}).state;
		state = editInput(state, {type: 'rowUp', columns: 38}).state;
		expect(plain(render(<InputLine view={inputView(state, {columns: 40, maxRows: 5})} width={40} />).lastFrame())).toBe('> one\n  two_\n  three');
	});

	it('folds a paste taller than the box to "[pasted N lines]", with the key that shows it', () => {
		const state = editInput(initialEditorState, {type: 'paste', text: 'a\nb\nc\nd', foldAbove: 3}).state;
		const frame = plain(render(<InputLine view={inputView(state, {columns: 60, maxRows: 3, unfoldKey: 'Ctrl-O'})} width={60} />).lastFrame());
		expect(frame).toContain('[pasted 4 lines] (Ctrl-O shows them, Enter sends)');
		const unfolded = editInput(state, {type: 'unfold'}).state;
		expect(plain(render(<InputLine view={inputView(unfolded, {columns: 60, maxRows: 3})} width={60} />).lastFrame())).toBe('↑ b\n  c\n  d_');
	});
});

describe('App layout', () => {
	const parts = {
		pane: (width: number, height: number) => <Box width={width}><Text>{`pane ${width}x${height}`}</Text></Box>,
		roster: (width: number, height: number) => <Text>{`roster ${width}x${height}`}</Text>,
		status: (width: number) => <Text>{`status ${width}`}</Text>,
		input: (width: number) => <Text>{`input ${width}`}</Text>,
	};

	it('puts the roster on the right, 20 columns with its border', () => {
		const lines = plain(render(<App columns={80} rows={12} {...parts} />).lastFrame()).split('\n');
		expect(lines).toHaveLength(12);
		expect(lines[0]).toMatch(/^pane 60x10 {50}│roster 19x10/);
		expect(lines[10]).toBe('status 80');
		expect(lines[11]).toBe('input 80');
	});

	it('hides the roster below 60 columns and goes compact below 10 rows', () => {
		expect(plain(render(<App columns={59} rows={12} {...parts} />).lastFrame())).not.toContain('roster');
		const compact = chooseLayout(100, 9, 1);
		expect(compact).toMatchObject({showRoster: false, paneHeight: 7});
		const lines = plain(render(<App columns={100} rows={9} {...parts} />).lastFrame()).split('\n');
		expect(lines).toHaveLength(9);
	});

	it('keeps the pane and the input in a tiny terminal', () => {
		const lines = plain(render(<App columns={30} rows={2} {...parts} />).lastFrame()).split('\n');
		expect(lines).toEqual(['pane 30x1', 'input 30']);
	});
});
