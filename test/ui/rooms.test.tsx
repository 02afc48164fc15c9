// The sidebar's conversation list, the quick switcher, the room keys and the
// terminal title, as a person sees and uses them.
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import {selectConversations, selectRoster} from '../../source/state/selectors.js';
import type {ChatAction} from '../../source/state/types.js';
import {ConversationList, countsLabel} from '../../source/ui/ConversationList.js';
import {Sidebar} from '../../source/ui/Sidebar.js';
import {QuickSwitcher} from '../../source/ui/QuickSwitcher.js';
import {numberedName, unreadElsewhere} from '../../source/ui/conversation-list.js';
import {closedQuery, switcherKey, switcherMatches, type SwitcherState} from '../../source/ui/switcher.js';
import {commandForKey, keyHelp} from '../../source/ui/key-bindings.js';
import {decodeKey} from '../../source/ui/keys.js';
import {titleSequence, titleText} from '../../source/ui/terminal-title.js';
import {newMarker, withNewMarker} from '../../source/ui/new-marker.js';
import {MessagePane} from '../../source/ui/MessagePane.js';
import {StatusBar} from '../../source/ui/StatusBar.js';
import {selectStatusLine} from '../../source/state/selectors.js';
import {selectEntry} from '../../source/state/selectors.js';
import {T0, messages, plain, sourceOf, stateWith} from './helpers.js';

afterEach(cleanup);

const said = (user: string, text: string, conversation: string): ChatAction => ({type: 'message', user, text, time: T0, conversation});
const open = (conversation: string): ChatAction => ({type: 'openConversation', conversation});

/** alice in #lobby, #rust (3 unread, 1 for her), #go, and a direct conversation with bob (1 unread). */
function busyState() {
	return stateWith([
		open('#rust'),
		open('#go'),
		said('bob', 'one', '#rust'),
		said('carol', 'alice: look', '#rust'),
		said('bob', 'three', '#rust'),
		said('bob', 'psst', 'bob'),
	]);
}

describe('the conversation list', () => {
	it('lists rooms then direct conversations, numbered, the current one marked, with unread and mention counts', () => {
		const rows = selectConversations(busyState());
		const lines = plain(render(<ConversationList rows={rows} width={19} height={10} />).lastFrame()).split('\n');
		expect(lines).toHaveLength(4);
		expect(lines[0]).toMatch(/^▸1 #lobby\s*$/);
		expect(lines[1]).toMatch(/^ 2 #rust\s+3 @1$/);
		expect(lines[2]).toMatch(/^ 3 #go\s*$/);
		expect(lines[3]).toMatch(/^ 4 bob\s+1 @1$/);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(19);
	});

	it('draws a hostile name inert and cut to the width', () => {
		const state = stateWith([said('\x1b]0;pwned\x07evil\u202e', 'hi', '\x1b]0;pwned\x07evil\u202e')]);
		const frame = render(<ConversationList rows={selectConversations(state)} width={19} height={5} />).lastFrame()!;
		expect(frame).not.toMatch(/[\x07\u202e]|\x1b\]/);
		expect(plain(frame)).toContain('^[]0;');
	});

	it('keeps the current one in view when the list is longer than its box, and says how many are hidden', () => {
		const rooms = Array.from({length: 12}, (_, i) => `#room${i + 1}`);
		const state = stateWith([...rooms.map(open), {type: 'switchConversation', conversation: '#room11'}]);
		const lines = plain(render(<ConversationList rows={selectConversations(state)} width={19} height={5} />).lastFrame()).split('\n');
		expect(lines).toHaveLength(5);
		expect(lines.some(line => line.startsWith('▸  #room11'))).toBe(true);
		expect(lines[4]).toContain('+9 more (Ctrl-G)');
	});

	it('does not carry a mention seen at the bottom into the list when leaving; one that came while scrolled up it does', () => {
		const firstLine = (state: ReturnType<typeof stateWith>) => plain(render(<ConversationList rows={selectConversations(state)} width={19} height={5} />).lastFrame()).split('\n')[0];
		const leave = {type: 'switchConversation', conversation: '#rust'} as const;
		const seen = stateWith([open('#rust'), said('bob', 'alice: seen at the bottom', '#lobby'), leave, said('bob', 'later', '#lobby')]);
		expect(firstLine(seen)).toMatch(/^ 1 #lobby\s+1$/);
		const missed = stateWith([open('#rust'), {type: 'scroll', scrolledUp: true}, said('bob', 'alice: below the view', '#lobby'), leave]);
		expect(firstLine(missed)).toMatch(/^ 1 #lobby\s+1 @1$/);
	});

	it('shows the counts compactly', () => {
		expect(countsLabel({unread: 0, mentions: 0})).toBe('');
		expect(countsLabel({unread: 5, mentions: 0})).toBe('5');
		expect(countsLabel({unread: 5000, mentions: 200})).toBe('999+ @99+');
	});

	it('sits above the members in the sidebar; a server without rooms gets the members only', () => {
		const state = busyState();
		const withRooms = plain(render(<Sidebar conversations={selectConversations(state)} members={selectRoster(state)} width={19} height={12} />).lastFrame());
		expect(withRooms.indexOf('#rust')).toBeLessThan(withRooms.indexOf('Users ('));
		const seed = plain(render(<Sidebar members={selectRoster(state)} width={19} height={12} />).lastFrame());
		expect(seed).not.toContain('#lobby');
		expect(seed.split('\n')[0]).toMatch(/^Users \(/);
	});

	it('numbers conversations for Alt-1…9 and counts what is unread elsewhere', () => {
		const rows = selectConversations(busyState());
		expect(numberedName(rows, 2)).toBe('#rust');
		expect(numberedName(rows, 9)).toBeUndefined();
		expect(unreadElsewhere(rows)).toEqual({unread: 4, mentions: 2});
	});
});

describe('the quick switcher', () => {
	const rows = selectConversations(stateWith([open('#rust'), open('#rustaceans'), open('#trust'), said('bob', 'hi', '#rustaceans')]));
	const typeInto = (state: SwitcherState, text: string): SwitcherState => {
		let next = state;
		for (const char of text) {
			const outcome = switcherKey(next, decodeKey(char), rows);
			if (outcome.kind !== 'edit') throw new Error(`not an edit: ${outcome.kind}`);
			next = outcome.state;
		}
		return next;
	};

	it('matches part of a name, ignoring case and "#": names that start with it first, busier ones first among equals', () => {
		expect(switcherMatches(rows, 'RUST').map(row => row.name)).toEqual(['#rust', '#rustaceans', '#trust']);
		expect(switcherMatches(rows, '#ace').map(row => row.name)).toEqual(['#rustaceans']);
		expect(switcherMatches(rows, 'ru').map(row => row.name)).toEqual(['#rustaceans', '#rust', '#trust']);
		expect(switcherMatches(rows, 'zzz')).toEqual([]);
	});

	it('goes to the match on Enter, moves with ↑/↓, and gives up on Esc or with no match', () => {
		const query = typeInto(closedQuery, 'rust');
		expect(switcherKey(query, decodeKey('\r'), rows)).toEqual({kind: 'choose', name: '#rust'});
		const down = switcherKey(query, decodeKey('\x1b[B'), rows);
		expect(down.kind === 'edit' && switcherKey(down.state, decodeKey('\r'), rows)).toEqual({kind: 'choose', name: '#rustaceans'});
		expect(switcherKey(query, decodeKey('\x1b'), rows)).toEqual({kind: 'cancel'});
		expect(switcherKey(typeInto(closedQuery, 'zzz'), decodeKey('\r'), rows)).toEqual({kind: 'cancel'});
		const back = switcherKey(query, decodeKey('\x7f'), rows);
		expect(back).toEqual({kind: 'edit', state: {query: 'rus', selected: 0}});
	});

	it('draws the matches with the selected one marked, then the query, with names sanitised', () => {
		const frame = plain(render(<QuickSwitcher state={{query: 'rust', selected: 1}} matches={switcherMatches(rows, 'rust')} width={60} />).lastFrame());
		const lines = frame.split('\n');
		expect(lines[1]).toMatch(/^▸ #rustaceans {2}1/);
		expect(lines.at(-1)).toMatch(/^switch to: rust/);
		expect(plain(render(<QuickSwitcher state={{query: 'x', selected: 0}} matches={[]} width={60} />).lastFrame())).toContain('no conversation matches');
	});
});

describe('the room keys', () => {
	const context = {inputEmpty: false};
	it('switch with Alt-1…9, Alt-←/→ and Ctrl-PgUp/PgDn, open the switcher with Ctrl-G, and leave Ctrl-K to the line', () => {
		expect(commandForKey(decodeKey('\x1b3'), context)).toEqual({type: 'roomByNumber', number: 3});
		expect(commandForKey(decodeKey('\x1b[1;3C'), context)).toEqual({type: 'roomNext'});
		expect(commandForKey(decodeKey('\x1b[1;3D'), context)).toEqual({type: 'roomPrevious'});
		expect(commandForKey(decodeKey('\x1b[6;5~'), context)).toEqual({type: 'roomNext'});
		expect(commandForKey(decodeKey('\x1b[5;5~'), context)).toEqual({type: 'roomPrevious'});
		expect(commandForKey(decodeKey('\x07'), context)).toEqual({type: 'openSwitcher'});
		expect(commandForKey(decodeKey('\x0b'), context)).toEqual({type: 'killToEnd'});
		// Words still move with Ctrl-←/→ and Alt-B/F.
		expect(commandForKey(decodeKey('\x1b[1;5D'), context)).toEqual({type: 'wordLeft'});
		expect(commandForKey(decodeKey('\x1bf'), context)).toEqual({type: 'wordRight'});
	});

	it('are listed by /help keys, Alt-1…9 as one line', () => {
		const lines = keyHelp();
		expect(lines.find(line => line.keys === 'Alt-1…9')?.does).toContain('number');
		expect(lines.find(line => line.keys.includes('Ctrl-G'))?.does).toContain('switch conversation');
		expect(lines.find(line => line.does === 'the next conversation in the list (rooms, then direct ones)')?.keys).toBe('Alt-→, Ctrl-PgDn');
	});
});

describe('the terminal title', () => {
	it('holds only our own words and the counts', () => {
		expect(titleText(0, 0)).toBe('codechat-tui');
		expect(titleText(5, 2)).toBe('(5) codechat-tui: 2 for you');
		expect(titleSequence(titleText(3, 0))).toBe('\x1b]2;(3) codechat-tui\x1b\\');
		expect(() => titleSequence('#room\x07')).toThrow(/our own printable ASCII/);
	});
});

describe('the "new since you were here" rule', () => {
	const state = stateWith(messages(6));
	const base = sourceOf(state);
	const third = selectEntry(state, 3)!;

	it('goes above the first new message without moving the others\' ids', () => {
		const marker = newMarker(third.id, T0)!;
		expect(marker.entry.text).toBe('new since you were here');
		const source = withNewMarker(base, () => marker);
		expect(source.count).toBe(base.count + 1);
		expect(source.at(3)).toBe(marker.entry);
		expect(source.at(4)).toBe(third);
		expect(source.indexOf(third.id)).toBe(4);
		expect(source.indexOf(marker.entry.id)).toBe(3);
		expect(source.indexOf(selectEntry(state, 1)!.id)).toBe(1);
		const lines = plain(render(<MessagePane source={source} version={marker} me="alice" width={40} height={5} />).lastFrame()).split('\n');
		expect(lines[0]).toMatch(/^── new since you were here ─+$/);
		expect(lines[1]).toContain('message 2');
	});

	it('is not there without a marker, or once its message is gone', () => {
		expect(withNewMarker(base, () => undefined).count).toBe(base.count);
		const gone = newMarker(99_999, T0)!;
		expect(withNewMarker(base, () => gone).count).toBe(base.count);
		expect(newMarker(undefined, T0)).toBeUndefined();
	});
});

describe('the status bar', () => {
	const status = selectStatusLine(stateWith([]));
	it('names the room on screen, or the person of a direct conversation, sanitised', () => {
		expect(plain(render(<StatusBar status={status} width={90} now={T0} conversation={{kind: 'room', name: '#rust'}} />).lastFrame())).toMatch(/● 127\.0\.0\.1:8080 · #rust · alice/);
		const direct = render(<StatusBar status={status} width={90} now={T0} conversation={{kind: 'direct', name: 'bob\x1b[2J'}} />).lastFrame()!;
		expect(plain(direct)).toContain('direct with bob^[[2J');
		expect(direct).not.toContain('\x1b[2J');
		expect(plain(render(<StatusBar status={status} width={90} now={T0} />).lastFrame())).not.toContain('#');
	});

	it('counts what is unread elsewhere when asked (the sidebar is hidden)', () => {
		const bar = plain(render(<StatusBar status={status} width={90} now={T0} conversation={{kind: 'room', name: '#rust'}} elsewhere={{unread: 4, mentions: 1}} />).lastFrame());
		expect(bar).toContain('#rust · 4 unread elsewhere (1 for you) · alice');
		expect(plain(render(<StatusBar status={status} width={90} now={T0} elsewhere={{unread: 0, mentions: 0}} />).lastFrame())).not.toContain('elsewhere');
	});
});
