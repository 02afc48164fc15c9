import {describe, expect, it} from 'vitest';
import {
	chatReducer,
	currentConversation,
	initialState,
	selectEntries,
	selectEntryCount,
	selectLastEntries,
	selectStatusLine,
	selectUnread,
	type ChatAction,
	type ChatEntry,
	type ChatState,
	type LogEntry,
} from '../../source/state/index.js';
import {snapshot} from './snapshot.js';

const t = 1_700_000_000_000;
const run = (state: ChatState, actions: ChatAction[]) => actions.reduce(chatReducer, state);
const connected = (me = 'me', capacity?: number, quietJoins?: boolean): ChatState =>
	chatReducer(initialState({capacity, me, server: 'h:1', quietJoins}), {type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot(me)});
/** Own messages the state can still mark sent or failed. */
const waiting = (state: ChatState) => [...currentConversation(state).ownEntries.keys()];
const last = (state: ChatState): LogEntry => selectLastEntries(state, 1)[0];
const texts = (state: ChatState) => selectEntries(state, 0, selectEntryCount(state)).map(entry => ('text' in entry ? entry.text : ''));
const message = (user: string, text: string, time = t): ChatAction => ({type: 'message', user, text, time});

describe('initialState', () => {
	it('starts disconnected with an empty log and the given options', () => {
		const state = initialState({me: 'alice', server: 'example:8080', capacity: 3});
		expect(state.connection).toEqual({phase: 'disconnected', server: 'example:8080'});
		expect(state.me).toBe('alice');
		expect(currentConversation(state).log.capacity).toBe(3);
		expect(selectEntryCount(state)).toBe(0);
		expect(currentConversation(initialState()).log.capacity).toBe(10_000);
		expect(() => initialState({capacity: 0})).toThrow(RangeError);
	});
});

describe('connection', () => {
	it('goes connecting → connected → disconnected → reconnecting with plain system lines', () => {
		let state = chatReducer(initialState(), {type: 'connecting', server: 'h:1'});
		expect(state.connection.phase).toBe('connecting');
		expect(selectEntryCount(state)).toBe(0);
		state = chatReducer(state, {type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot('me')});
		expect(state.connection).toEqual({phase: 'connected', server: 'h:1', dialect: 'codechat'});
		expect(last(state)).toMatchObject({kind: 'system', event: 'connection', text: 'connected to h:1', time: t});
		state = chatReducer(state, {type: 'lag', ms: 42});
		expect(state.connection.lagMs).toBe(42);
		state = chatReducer(state, {type: 'disconnected', reason: 'connection reset', time: t + 1, roster: snapshot('me')});
		expect(state.connection).toMatchObject({phase: 'disconnected', reason: 'connection reset'});
		expect(state.connection.lagMs).toBeUndefined();
		expect(last(state)).toMatchObject({kind: 'system', text: 'disconnected: connection reset'});
		state = chatReducer(state, {type: 'reconnecting', attempt: 3, delayMs: 4000, time: t + 2});
		expect(state.connection).toMatchObject({phase: 'reconnecting', attempt: 3, retryAt: t + 4002});
		// Only the first attempt of an outage gets a line; the status bar counts down the rest.
		expect(last(state)).toMatchObject({kind: 'system', text: 'disconnected: connection reset'});
		state = chatReducer(state, {type: 'reconnecting', attempt: 1, delayMs: 500, time: t});
		expect(last(state)).toMatchObject({text: 'reconnecting in 0.5 s (attempt 1)'});
		state = chatReducer(state, {type: 'connecting', server: 'h:1'});
		expect(state.connection).toMatchObject({phase: 'connecting', attempt: 1});
		expect(state.connection.retryAt).toBeUndefined();
		state = chatReducer(state, {type: 'connected', server: 'h:1', time: t + 3, roster: snapshot('me')});
		expect(state.connection.attempt).toBeUndefined();
	});

	it('marks the roster as possibly stale while disconnected, until the next connection', () => {
		let state = run(connected('me'), [{type: 'roster', roster: snapshot('me', ['bob'])}]);
		expect(selectStatusLine(state).rosterIncomplete).toBe(false);
		state = chatReducer(state, {type: 'disconnected', reason: 'gone', time: t, roster: snapshot('me', ['bob'], false)});
		expect(selectStatusLine(state)).toMatchObject({rosterIncomplete: true, userCount: 2});
		state = chatReducer(state, {type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot('me')});
		expect(selectStatusLine(state).rosterIncomplete).toBe(false);
	});

	it('does not repeat a disconnect reason that the error line just gave', () => {
		let state = connected();
		state = run(state, [{type: 'error', text: 'cannot reach h:1', time: t}, {type: 'disconnected', reason: 'cannot reach h:1', time: t, roster: snapshot('me')}]);
		expect(texts(state).filter(text => text.includes('cannot reach'))).toEqual(['cannot reach h:1']);
		expect(state.connection).toMatchObject({phase: 'disconnected', reason: 'cannot reach h:1'});
	});

	it('does not repeat the same disconnect reason on every failed attempt', () => {
		let state = connected();
		const drop: ChatAction = {type: 'disconnected', reason: 'cannot reach h:1', time: t, roster: snapshot('me')};
		state = run(state, [drop, {type: 'reconnecting', attempt: 1, delayMs: 500, time: t}, {type: 'connecting', server: 'h:1'}, drop]);
		expect(texts(state).filter(text => text.startsWith('disconnected'))).toHaveLength(1);
		state = chatReducer(state, {type: 'disconnected', reason: 'name taken', time: t, roster: snapshot('me')});
		expect(texts(state).filter(text => text.startsWith('disconnected'))).toHaveLength(2);
	});

	it('ignores a nonsensical lag', () => {
		const state = connected();
		expect(chatReducer(state, {type: 'lag', ms: -1})).toBe(state);
		expect(chatReducer(state, {type: 'lag', ms: Number.NaN})).toBe(state);
	});
});

describe('system lines', () => {
	it('reads "→ bob joined", "← bob left", "alice is now bob", one line each with quiet joins off', () => {
		const state = run(connected('me', undefined, false), [
			{type: 'enter', user: 'bob', time: t, roster: snapshot('me', ['bob'])},
			{type: 'exit', user: 'bob', time: t, roster: snapshot('me')},
			{type: 'enter', user: 'alice', time: t, roster: snapshot('me', ['alice'])},
			{type: 'exit', user: 'carol', time: t, roster: snapshot('me', ['alice']), msg: 'lunch'},
			{type: 'rename', oldname: 'alice', newname: 'bob', time: t, roster: snapshot('me', ['bob'])},
		]);
		expect(texts(state).slice(1)).toEqual(['→ bob joined', '← bob left', '→ alice joined', '← carol left (lunch)', 'alice is now bob']);
		expect(last(state)).toMatchObject({kind: 'system', event: 'rename', oldname: 'alice', newname: 'bob'});
	});
});

describe('rename of yourself', () => {
	it('changes me, the roster and who you are mentioned as', () => {
		let state = run(connected('alice'), [{type: 'roster', roster: snapshot('alice', ['carol'])}]);
		state = chatReducer(state, {type: 'rename', oldname: 'alice', newname: 'Bob', time: t, roster: snapshot('Bob', ['carol'])});
		expect(state.me).toBe('Bob');
		expect(state.roster.users.map(user => user.name)).toEqual(['Bob', 'carol']);
		state = chatReducer(state, message('carol', 'hi bob'));
		expect(last(state)).toMatchObject({mention: true});
		state = chatReducer(state, message('carol', 'hi alice'));
		expect(last(state)).toMatchObject({mention: false});
	});

	it('names the 2015 dialect once', () => {
		const state2015 = (state: ChatState) => chatReducer(state, {type: 'connected', server: 'h:1', dialect: '2015', time: t, roster: snapshot('me', [], false)});
		const twice = state2015(state2015(connected('me')));
		expect(texts(twice).filter(text => text.includes('2015 CodeChat server'))).toEqual(['this is a 2015 CodeChat server: no user list, so the list shows who was seen']);
		expect(selectStatusLine(twice).rosterIncomplete).toBe(true);
	});

	it('marks a namesake in system lines', () => {
		const state = chatReducer(connected('dave'), {type: 'enter', user: 'dave', time: t, roster: snapshot('dave'), namesake: true});
		expect(last(state)).toMatchObject({text: '→ dave (not you) joined'});
	});
});

describe('messages and mentions', () => {
	it('logs chat with user, text and time, and counts mentions of you', () => {
		let state = connected('me');
		state = run(state, [message('bob', 'hello', t + 5), message('bob', 'hey ME!'), message('bob', 'meme'), message('me', 'me me')]);
		const chat = selectLastEntries(state, 4) as ChatEntry[];
		expect(chat[0]).toMatchObject({kind: 'chat', user: 'bob', text: 'hello', time: t + 5, own: false, mention: false});
		expect(chat.map(entry => entry.mention)).toEqual([false, true, false, false]); // Your own name from yourself is no mention.
		// Seen as it came (on screen, at the bottom): rung, but not counted.
		expect(selectUnread(state)).toMatchObject({mentions: 0, lastMentionId: chat[1].id});
		state = run(state, [{type: 'scroll', scrolledUp: true}, message('bob', 'me again')]);
		expect(selectUnread(state)).toMatchObject({mentions: 1, lastMentionId: last(state).id});
	});

	it('neither rings nor counts a backlog mention, but still highlights it', () => {
		let state = run(connected('me'), [{type: 'scroll', scrolledUp: true}, message('bob', 'me now')]);
		const bellId = selectUnread(state).lastMentionId;
		state = chatReducer(state, {type: 'message', user: 'bob', text: 'me, earlier', time: t, backlog: true});
		expect(last(state)).toMatchObject({backlog: true, mention: true});
		expect(selectUnread(state)).toMatchObject({mentions: 1, lastMentionId: bellId});
	});
});

describe('namesakes', () => {
	it('marks a message from someone else under your name, which is never a mention or yours', () => {
		const state = chatReducer(connected('alice'), {type: 'message', user: 'alice', text: 'hi alice', time: t, namesake: true});
		expect(last(state)).toMatchObject({kind: 'chat', user: 'alice', own: false, namesake: true, mention: false});
	});
});

describe('own messages', () => {
	it('go pending → sent and pending → failed by localId', () => {
		let state = run(connected('me'), [
			{type: 'ownMessageQueued', localId: 1, text: 'one', time: t},
			{type: 'ownMessageQueued', localId: 2, text: 'two', time: t},
		]);
		expect(waiting(state)).toEqual([1, 2]);
		expect(last(state)).toMatchObject({kind: 'chat', user: 'me', own: true, delivery: 'pending', localId: 2, mention: false});
		state = chatReducer(state, {type: 'ownMessageSent', localId: 1});
		state = chatReducer(state, {type: 'ownMessageFailed', localId: 2, error: 'rate limited'});
		const [one, two] = selectLastEntries(state, 2) as ChatEntry[];
		expect(one).toMatchObject({text: 'one', delivery: 'sent'});
		expect(one.error).toBeUndefined();
		expect(two).toMatchObject({text: 'two', delivery: 'failed', error: 'rate limited'});
		expect(waiting(state)).toEqual([]);
		// Settling twice, or an unknown id, is a no-op.
		expect(chatReducer(state, {type: 'ownMessageSent', localId: 1})).toBe(state);
		expect(chatReducer(state, {type: 'ownMessageFailed', localId: 99, error: 'x'})).toBe(state);
	});

	it('are still found by localId after the ring has wrapped many times', () => {
		let state = connected('me', 1000);
		state = chatReducer(state, {type: 'ownMessageQueued', localId: 7, text: 'early', time: t});
		for (let index = 0; index < 999; index++) state = chatReducer(state, message('bob', `m${index}`));
		// The pending one is now the oldest entry; settle it after a thousand more churned through a wrap.
		expect(selectEntries(state, 0, 1)[0]).toMatchObject({text: 'early', delivery: 'pending'});
		state = chatReducer(state, {type: 'ownMessageQueued', localId: 8, text: 'late', time: t});
		for (let index = 0; index < 500; index++) state = chatReducer(state, message('bob', `n${index}`));
		state = chatReducer(state, {type: 'ownMessageSent', localId: 8});
		const late = selectEntries(state, 0, selectEntryCount(state)).find(entry => entry.kind === 'chat' && entry.localId === 8);
		expect(late).toMatchObject({text: 'late', delivery: 'sent'});
		// 'early' has been evicted: settling it just drops it from pending, and nothing else changes.
		expect(waiting(state)).toEqual([7]);
		const before = selectEntries(state, 0, selectEntryCount(state));
		state = chatReducer(state, {type: 'ownMessageFailed', localId: 7, error: 'gone'});
		expect(waiting(state)).toEqual([]);
		expect(selectEntries(state, 0, selectEntryCount(state))).toEqual(before);
	});

	it('stay pending across /clear, and a repeated localId is queued once', () => {
		let state = run(connected('me'), [{type: 'ownMessageQueued', localId: 1, text: 'x', time: t}]);
		expect(chatReducer(state, {type: 'ownMessageQueued', localId: 1, text: 'x', time: t})).toBe(state);
		state = chatReducer(state, {type: 'clear'});
		expect(selectEntryCount(state)).toBe(0);
		expect(waiting(state)).toHaveLength(1);
		state = chatReducer(state, {type: 'ownMessageSent', localId: 1});
		expect(waiting(state)).toEqual([]);
	});
});

describe('errors, info and clear', () => {
	it('logs error and info entries and clears the log but keeps counting ids', () => {
		let state = run(connected(), [{type: 'error', text: 'bad frame', time: t}, {type: 'info', text: 'Users: a, b', time: t}]);
		expect(selectLastEntries(state, 2)).toEqual([
			{kind: 'error', id: 2, time: t, text: 'bad frame'},
			{kind: 'info', id: 3, time: t, text: 'Users: a, b'},
		]);
		state = chatReducer(state, {type: 'clear'});
		expect(selectEntryCount(state)).toBe(0);
		state = chatReducer(state, {type: 'info', text: 'after', time: t});
		expect(last(state).id).toBe(4);
	});
});

describe('scroll state', () => {
	it('counts messages from others while scrolled up and resets at the bottom', () => {
		let state = connected('me');
		expect(chatReducer(state, {type: 'scroll', scrolledUp: false})).toBe(state);
		state = chatReducer(state, {type: 'scroll', scrolledUp: true});
		state = run(state, [
			message('bob', 'one'),
			{type: 'enter', user: 'carol', time: t, roster: snapshot('me', ['carol'])},
			{type: 'ownMessageQueued', localId: 1, text: 'mine', time: t},
			message('carol', 'two'),
		]);
		const firstId = selectEntries(state, 1, 2)[0].id;
		expect(selectUnread(state)).toMatchObject({whileScrolled: 2, firstUnreadId: firstId});
		state = chatReducer(state, {type: 'scroll', scrolledUp: false});
		expect(selectUnread(state)).toMatchObject({whileScrolled: 0, firstUnreadId: undefined});
		state = chatReducer(state, message('bob', 'at the bottom'));
		expect(selectUnread(state).whileScrolled).toBe(0);
	});
});

describe('purity', () => {
	it('leaves every earlier state as it was, even when a state is reduced twice', () => {
		const base = run(connected('me', 300), Array.from({length: 290}, (_, index) => message('bob', `m${index}`)));
		const snapshot = JSON.stringify(selectEntries(base, 0, 10_000));
		const first = run(base, [message('bob', 'a'), message('bob', 'b'), {type: 'ownMessageQueued', localId: 1, text: 'c', time: t}]);
		const second = run(base, [message('carol', 'x'), {type: 'ownMessageQueued', localId: 1, text: 'y', time: t}]); // As StrictMode would.
		expect(JSON.stringify(selectEntries(base, 0, 10_000))).toBe(snapshot);
		expect(texts(first).slice(-3)).toEqual(['a', 'b', 'c']);
		expect(texts(second).slice(-2)).toEqual(['x', 'y']);
		expect(waiting(chatReducer(second, {type: 'ownMessageSent', localId: 1}))).toEqual([]);
		expect(waiting(first)).toEqual([1]);
	});

	it('returns the state unchanged for an action it does not know', () => {
		const state = connected();
		expect(chatReducer(state, {type: 'nonsense'} as unknown as ChatAction)).toBe(state);
	});
});
