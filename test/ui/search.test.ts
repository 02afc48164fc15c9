// The search's pure parts: where a seek lands, what the prompt says, how the
// pane marks matches, and which keys run the search's commands.
import {describe, expect, it} from 'vitest';
import {chatReducer, initialState, selectEntry, type ChatAction, type ChatState, type LogEntry} from '../../source/state/index.js';
import {commandForKey, keyHelp} from '../../source/ui/key-bindings.js';
import {decodeKey} from '../../source/ui/keys.js';
import {entryRows, visibleRows, type Row} from '../../source/ui/pane-layout.js';
import {markEntryRows} from '../../source/ui/search-marks.js';
import {openSession, searchNothingFound, searchStatus, seekMatch} from '../../source/ui/search-session.js';
import {snapshot} from '../state/snapshot.js';

const t = 1_700_000_000_000;

function stateWith(messages: ReadonlyArray<{text: string; action?: boolean}>): ChatState {
	const actions: ChatAction[] = [
		{type: 'connected', server: 'h:1', time: t, roster: snapshot('alice', ['bob'])},
		...messages.map(({text, action}): ChatAction => ({type: 'message', user: 'bob', text, time: t, ...(action ? {action} : {})})),
	];
	return actions.reduce(chatReducer, initialState({me: 'alice'}));
}

/** The marked parts of rows, as "kind:text". */
const marks = (rows: readonly Row[]) => rows.flatMap(row => row.filter(segment => segment.mark).map(segment => `${segment.mark}:${segment.text}`));
const rowText = (row: Row) => row.map(segment => segment.text).join('');

describe('seekMatch', () => {
	const ids = [-5, 2, 7, 9];
	it('starts at the newest match and moves back in time, then forward, without wrapping', () => {
		expect(seekMatch(ids, undefined, 'here')).toBe(9);
		expect(seekMatch(ids, undefined, 'older')).toBe(9);
		expect(seekMatch(ids, undefined, 'newer')).toBeUndefined();
		expect(seekMatch(ids, 7, 'older')).toBe(2);
		expect(seekMatch(ids, 2, 'older')).toBe(-5);
		expect(seekMatch(ids, -5, 'older')).toBeUndefined();
		expect(seekMatch(ids, 7, 'newer')).toBe(9);
		expect(seekMatch(ids, 9, 'newer')).toBeUndefined();
	});

	it('after the query changes, keeps the match shown, else the nearest older, else the nearest newer', () => {
		expect(seekMatch(ids, 7, 'here')).toBe(7);
		expect(seekMatch(ids, 8, 'here')).toBe(7);
		expect(seekMatch(ids, -9, 'here')).toBe(-5);
		expect(seekMatch([], 3, 'here')).toBeUndefined();
	});
});

describe('searchStatus', () => {
	const open = openSession('deploy', 'browsing', undefined);
	it('counts from the newest match, and says when a move found no more', () => {
		expect(searchStatus({...open, current: 9}, [2, 7, 9], 10_000)).toBe('1 of 3');
		expect(searchStatus({...open, current: 2}, [2, 7, 9], 10_000)).toBe('3 of 3');
		expect(searchStatus({...open, current: 2, end: 'noMore'}, [2, 7, 9], 10_000)).toBe('3 of 3 · no more matches');
		expect(searchStatus({...open, current: 2, end: 'logFull'}, [2, 7, 9], 10_000)).toBe('3 of 3 · no more matches in the 10,000 messages kept');
	});

	it('says it is reading older pages, that nothing matches, or what to do with an empty query', () => {
		expect(searchStatus({...open, seeking: 'here'}, [], 10_000)).toBe('searching older messages…');
		expect(searchStatus({...open, end: 'noMore'}, [], 10_000)).toBe('no matches');
		expect(searchStatus(openSession('', 'typing', undefined), [], 10_000)).toBe('type to search');
	});

	it('tells the prompt when no match is shown, by the session, not by the words it says', () => {
		expect(searchNothingFound({...open, end: 'noMore'}, [])).toBe(true);
		expect(searchNothingFound({...open, end: 'logFull'}, [2])).toBe(true);
		expect(searchNothingFound({...open, current: 2, end: 'noMore'}, [2, 7])).toBe(false);
		expect(searchNothingFound({...open, seeking: 'here'}, [])).toBe(false);
		expect(searchNothingFound(openSession('', 'typing', undefined), [])).toBe(false);
	});
});

describe('markEntryRows', () => {
	it('marks each occurrence in the text, none in the time or the nick, and the current message apart', () => {
		const state = stateWith([{text: 'Bob said bob twice: BOB'}]);
		const entry = selectEntry(state, 1)!;
		const rows = entryRows(entry, 'alice', 80);
		expect(marks(markEntryRows(entry, rows, {query: 'bob'}))).toEqual(['match:Bob', 'match:bob', 'match:BOB']);
		expect(marks(markEntryRows(entry, rows, {query: 'bob', current: entry.id}))).toEqual(['current:Bob', 'current:bob', 'current:BOB']);
		// The row reads the same: only its styles change.
		expect(markEntryRows(entry, rows, {query: 'bob'}).map(rowText)).toEqual(rows.map(rowText));
	});

	it('leaves a message that does not match, and an action\'s "* bob", alone', () => {
		const state = stateWith([{text: 'nothing here'}, {text: 'waves at bob', action: true}]);
		const plain = selectEntry(state, 1)!;
		const rows = entryRows(plain, 'alice', 80);
		expect(markEntryRows(plain, rows, {query: 'bob'})).toBe(rows);
		const action = selectEntry(state, 2)!;
		expect(marks(markEntryRows(action, entryRows(action, 'alice', 80), {query: 'bob'}))).toEqual(['match:bob']);
	});

	it('marks wide characters and emoji on the rows they wrap onto', () => {
		const text = `${'会議 '.repeat(20)}🚀 launch`;
		const state = stateWith([{text}]);
		const entry = selectEntry(state, 1)!;
		const rows = entryRows(entry, 'alice', 30);
		expect(rows.length).toBeGreaterThan(2);
		const marked = markEntryRows(entry, rows, {query: '会議'});
		expect(marks(marked)).toHaveLength(20);
		expect(marks(markEntryRows(entry, rows, {query: '🚀 LAUNCH'}))).toEqual(['match:🚀 launch']);
	});

	it('marks the shown form of a control character, never inserting it raw', () => {
		const state = stateWith([{text: 'a \u001b[2J b'}]);
		const entry = selectEntry(state, 1)!;
		const marked = markEntryRows(entry, entryRows(entry, 'alice', 80), {query: '[2j'});
		expect(marks(marked)).toEqual(['match:[2J']);
		expect(JSON.stringify(marked)).not.toContain('\\u001b');
	});

	it('is applied by visibleRows to the entries in view', () => {
		const state = stateWith([{text: 'first deploy'}, {text: 'second deploy'}]);
		const source = {count: 3, at: (index: number) => selectEntry(state, index), indexOf: () => -1};
		const current = (selectEntry(state, 2) as LogEntry).id;
		const view = visibleRows(source, 'alice', 80, 10, undefined, (entry, rows) => markEntryRows(entry, rows, {query: 'deploy', current}));
		expect(marks(view.rows)).toEqual(['match:deploy', 'current:deploy']);
	});
});

describe('search keys', () => {
	const bind = (sequence: string, searching: boolean) => commandForKey(decodeKey(sequence), {inputEmpty: true, searching})?.type;
	it('Ctrl-R opens the search; n, N, ↑ and ↓ move while it is open and do their usual work otherwise', () => {
		expect(bind('\x12', false)).toBe('search');
		expect(bind('n', true)).toBe('searchOlder');
		expect(bind('N', true)).toBe('searchNewer');
		expect(bind('\x1b[A', true)).toBe('searchOlder');
		expect(bind('\x1b[B', true)).toBe('searchNewer');
		expect(bind('n', false)).toBe('insert');
		expect(bind('N', false)).toBe('insert');
		expect(bind('\x1b[A', false)).toBe('rowUp');
		expect(bind('x', true)).toBe('insert');
	});

	it('/help keys names them', () => {
		const lines = keyHelp();
		expect(lines.find(line => line.keys === 'Ctrl-R')?.does).toMatch(/search/);
		expect(lines.find(line => line.keys === '↑, n')?.does).toMatch(/older/);
		expect(lines.find(line => line.keys === '↓, N')?.does).toMatch(/newer/);
	});
});
