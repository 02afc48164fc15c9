// The reducer's side of the room log (§9): backlog without bell or counts,
// recovered messages merged in seq order and shown once, the hole and reset
// lines, and older pages put above the oldest entry while the ids keep order.
import {describe, expect, it} from 'vitest';
import {
	chatReducer,
	currentConversation,
	initialState,
	selectEntries,
	selectEntryCount,
	selectEntryIndex,
	selectUnread,
	type ChatAction,
	type ChatState,
	type LogEntry,
} from '../../source/state/index.js';
import {disconnectIsNews, DisconnectLines} from '../../source/state/connection-lines.js';
import {snapshot} from './snapshot.js';

const t = 1_700_000_000_000;
const run = (state: ChatState, actions: ChatAction[]) => actions.reduce(chatReducer, state);
const connected = (me = 'me', capacity?: number): ChatState =>
	chatReducer(initialState({capacity, me, server: 'h:1'}), {type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot(me)});
const entries = (state: ChatState): LogEntry[] => selectEntries(state, 0, selectEntryCount(state)) as LogEntry[];
const chatSeqs = (state: ChatState) => entries(state).flatMap(entry => (entry.kind === 'chat' ? [entry.seq] : []));
const stored = (seq: number, extra: Partial<Extract<ChatAction, {type: 'message'}>> = {}, user = 'bob'): ChatAction =>
	({type: 'message', user, text: `m${seq}`, time: t + seq, seq, epoch: 'e1', ...extra});

describe('the backlog', () => {
	it('shows the messages, then a rule, and neither counts nor rings for them', () => {
		let state = chatReducer(connected('me'), {type: 'scroll', scrolledUp: true});
		state = run(state, [stored(1, {backlog: true, text: 'me: before you came'}), stored(2, {backlog: true}), {type: 'historyCaughtUp', backlog: 2, recovered: 0, time: t}]);
		const log = entries(state);
		expect(log.slice(1).map(entry => entry.kind)).toEqual(['chat', 'chat', 'separator']);
		expect(log[3]).toMatchObject({kind: 'separator', text: '2 earlier messages above'});
		expect(log[1]).toMatchObject({backlog: true, mention: true});
		expect(selectUnread(state)).toMatchObject({mentions: 0, whileScrolled: 0});
		expect(selectUnread(state).lastMentionId).toBeUndefined();
		// A live mention after it counts and rings.
		state = chatReducer(state, stored(3, {text: 'me: now'}));
		expect(selectUnread(state)).toMatchObject({mentions: 1, whileScrolled: 1});
		expect(selectUnread(state).lastMentionId).toBeDefined();
	});

	it('draws no rule when there was no backlog', () => {
		const state = chatReducer(connected(), {type: 'historyCaughtUp', backlog: 0, recovered: 3, time: t});
		expect(entries(state).map(entry => entry.kind)).toEqual(['system']);
	});
});

describe('merging and duplicates', () => {
	it('appends recovered messages after the live ones and shows a seq at most once per epoch', () => {
		const state = run(connected(), [stored(1), stored(2), stored(3, {recovered: true}), stored(2, {recovered: true}), stored(3), stored(4)]);
		expect(chatSeqs(state)).toEqual([1, 2, 3, 4]);
		expect(entries(state).find(entry => entry.kind === 'chat' && entry.seq === 3)).toMatchObject({recovered: true});
	});

	it('messages without a seq (a server without a log) are never taken for duplicates', () => {
		const state = run(connected(), [{type: 'message', user: 'bob', text: 'a', time: t}, {type: 'message', user: 'bob', text: 'a', time: t}]);
		expect(entries(state).filter(entry => entry.kind === 'chat')).toHaveLength(2);
	});

	it('a new epoch may start from seq 1 again', () => {
		const state = run(connected(), [stored(5), stored(6), stored(1, {epoch: 'e2'}), stored(2, {epoch: 'e2'})]);
		expect(chatSeqs(state)).toEqual([5, 6, 1, 2]);
	});
});

describe('holes and resets', () => {
	it('says how many messages were missed for good and how many the server keeps', () => {
		const state = chatReducer(connected(), {type: 'historyGap', missed: 12, kept: 10_000, time: t});
		expect(entries(state).at(-1)).toMatchObject({kind: 'system', event: 'history', text: '12 messages missed: the server keeps the last 10,000'});
		const one = chatReducer(connected(), {type: 'historyGap', missed: 1, kept: 50, time: t});
		expect(entries(one).at(-1)).toMatchObject({text: '1 message missed: the server keeps the last 50'});
	});

	it('says once that the history was reset, after which the same epoch\'s seqs are shown again', () => {
		const state = run(connected(), [stored(1), stored(2), {type: 'historyReset', time: t}, stored(1), stored(2)]);
		expect(entries(state).filter(entry => entry.kind === 'system' && entry.event === 'history').map(entry => 'text' in entry && entry.text)).toEqual([
			'the server\'s history was reset: earlier messages may be gone',
		]);
		expect(chatSeqs(state)).toEqual([1, 2, 1, 2]);
	});
});

describe('older pages', () => {
	it('shows "loading…" above the oldest entry, then the page in its place, with ids that still grow down the log', () => {
		let state = run(connected(), [stored(50), stored(51)]);
		const anchorId = entries(state).at(-1)!.id;
		state = chatReducer(state, {type: 'olderRequested', time: t});
		expect(entries(state)[0]).toMatchObject({kind: 'loading'});
		// Asked twice while one is on its way: one row.
		expect(chatReducer(state, {type: 'olderRequested', time: t})).toBe(state);
		state = chatReducer(state, {type: 'olderLoaded', messages: [48, 49].map(seq => ({user: 'carol', text: `me? m${seq}`, time: t + seq, seq}))});
		const log = entries(state);
		expect(log.map(entry => entry.kind)).toEqual(['chat', 'chat', 'system', 'chat', 'chat']);
		expect(chatSeqs(state)).toEqual([48, 49, 50, 51]);
		const ids = log.map(entry => entry.id);
		expect([...ids].sort((a, b) => a - b)).toEqual(ids);
		expect(new Set(ids).size).toBe(ids.length);
		// The entry a scrolled view is anchored to is found where it was: the view stays still.
		expect(selectEntryIndex(state, anchorId)).toBe(4);
		// Older lines neither count nor ring.
		expect(log[0]).toMatchObject({backlog: true, mention: true});
		expect(selectUnread(state)).toMatchObject({mentions: 0});
		expect(currentConversation(state).loadingId).toBeUndefined();
	});

	it('an empty answer takes the "loading…" row away', () => {
		let state = chatReducer(connected(), {type: 'olderRequested', time: t});
		state = chatReducer(state, {type: 'olderLoaded', messages: []});
		expect(entries(state).map(entry => entry.kind)).toEqual(['system']);
	});

	it('a full log takes no more older lines rather than dropping the newest', () => {
		let state = run(connected('me', 3), [stored(10), stored(11)]);
		state = chatReducer(state, {type: 'olderLoaded', messages: [1, 2, 3].map(seq => ({user: 'bob', text: 'x', time: t, seq}))});
		expect(chatSeqs(state)).toEqual([10, 11]);
	});
});

describe('when a disconnect says something new', () => {
	it('one rule for the log, the transcript and pipe mode', () => {
		expect(disconnectIsNews({connected: true, reason: 'a'}, 'a')).toBe(true);
		expect(disconnectIsNews({connected: false, reason: 'a'}, 'a')).toBe(false);
		expect(disconnectIsNews({connected: false, reason: 'a'}, 'b')).toBe(true);
		expect(disconnectIsNews({connected: true, lastError: 'b'}, 'b')).toBe(false);
		const lines = new DisconnectLines();
		lines.connected();
		expect(lines.disconnected('cannot reach h:1')).toBe(true);
		expect(lines.disconnected('cannot reach h:1')).toBe(false);
		lines.other();
		expect(lines.disconnected('cannot reach h:1')).toBe(false);
		lines.error('refused');
		expect(lines.disconnected('refused')).toBe(false);
		lines.connected();
		expect(lines.disconnected('cannot reach h:1')).toBe(true);
	});
});
