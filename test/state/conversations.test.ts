import {describe, expect, it} from 'vitest';
import {
	chatReducer,
	currentConversation,
	initialState,
	selectConversations,
	selectCurrentConversation,
	selectEntries,
	selectEntryCount,
	selectRoster,
	selectStatusLine,
	selectTotalUnread,
	selectUnread,
	type ChatAction,
	type ChatState,
} from '../../source/state/index.js';
import {newestAlert} from '../../source/notify/newest-alert.js';
import {snapshot} from './snapshot.js';

const t = 1_700_000_000_000;
const run = (state: ChatState, actions: ChatAction[]) => actions.reduce(chatReducer, state);
const connected = (me = 'me'): ChatState =>
	chatReducer(initialState({me, server: 'h:1'}), {type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot(me, ['bob', 'carol'])});
const texts = (state: ChatState) => selectEntries(state, 0, selectEntryCount(state)).map(entry => ('text' in entry ? entry.text : ''));
const said = (user: string, text: string, conversation?: string): ChatAction => ({type: 'message', user, text, time: t, ...(conversation === undefined ? {} : {conversation})});
const rows = (state: ChatState) => selectConversations(state).map(({name, unread, mentions, current}) => `${current ? '*' : ''}${name} ${unread}/${mentions}`);

describe('conversations', () => {
	it('keeps one log per room and routes each message to its own', () => {
		let state = run(connected(), [
			{type: 'openConversation', conversation: '#dev'},
			{type: 'openConversation', conversation: '#ops'},
			said('bob', 'in lobby'),
			said('bob', 'in dev', '#dev'),
			said('carol', 'in ops', '#ops'),
		]);
		expect(texts(state).filter(text => text.startsWith('in'))).toEqual(['in lobby']);
		state = chatReducer(state, {type: 'switchConversation', conversation: '#dev'});
		expect(texts(state)).toEqual(['in dev']);
		expect(selectCurrentConversation(state)).toEqual({name: '#dev', kind: 'room'});
	});

	it('counts messages of conversations not on screen as unread, with mentions, and clears them on switching', () => {
		let state = run(connected('me'), [
			{type: 'openConversation', conversation: '#dev'},
			said('bob', 'one', '#dev'),
			said('bob', 'hey me, look', '#dev'),
			said('bob', 'here', undefined),
		]);
		expect(rows(state)).toEqual(['*#lobby 0/0', '#dev 2/1']);
		expect(selectTotalUnread(state)).toBe(2);
		// The mention elsewhere rings: the bell follows the newest mention of any conversation.
		expect(selectUnread(state).lastMentionId).toBeDefined();
		state = chatReducer(state, {type: 'switchConversation', conversation: '#DEV'});
		expect(rows(state)).toEqual(['#lobby 0/0', '*#dev 0/0']);
		expect(selectTotalUnread(state)).toBe(0);
		// The "new" marker stays on the first message that came while away.
		const first = selectEntries(state, 0, 1)[0];
		expect(currentConversation(state).view.firstUnreadId).toBe(first.id);
		// Leaving it forgets that marker; the one on screen never counts as unread.
		state = run(state, [{type: 'switchConversation', conversation: '#lobby'}, said('bob', 'lobby again')]);
		expect(state.conversations.get('#dev')!.view.firstUnreadId).toBeUndefined();
		expect(rows(state)).toEqual(['*#lobby 0/0', '#dev 0/0']);
	});

	it('takes what arrived on screen at the bottom as read: leaving it leaves no unread message and no mention', () => {
		let state = run(connected('me'), [
			{type: 'openConversation', conversation: '#dev'},
			said('bob', 'me: look at this'),
			{type: 'switchConversation', conversation: '#dev'},
		]);
		// Seen as it came, yet rung: the bell is for a mention, read or not.
		expect(rows(state)).toEqual(['#lobby 0/0', '*#dev 0/0']);
		expect(newestAlert(state)).toBeDefined();
		// A plain message after it is one unread, with no mention among them.
		state = chatReducer(state, said('carol', 'plain'));
		expect(rows(state)).toEqual(['#lobby 1/0', '*#dev 0/0']);
	});

	it('counts what arrived scrolled up as unread, mentions among them, until you see the bottom', () => {
		let state = run(connected('me'), [
			{type: 'openConversation', conversation: '#dev'},
			{type: 'scroll', scrolledUp: true},
			said('bob', 'me: look at this'),
			said('bob', 'plain'),
		]);
		expect(selectUnread(state)).toMatchObject({whileScrolled: 2, mentions: 1});
		// Leaving it scrolled up: not seen, so the sidebar counts it.
		state = chatReducer(state, {type: 'switchConversation', conversation: '#dev'});
		expect(rows(state)).toEqual(['#lobby 2/1', '*#dev 0/0']);
		state = chatReducer(state, said('bob', 'me again'));
		expect(rows(state)).toEqual(['#lobby 3/2', '*#dev 0/0']);
		// Back, still scrolled up: the pane's marker counts all of it; at the bottom all is read.
		state = chatReducer(state, {type: 'switchConversation', conversation: '#lobby'});
		expect(selectUnread(state)).toMatchObject({whileScrolled: 3, mentions: 2});
		state = chatReducer(state, {type: 'scroll', scrolledUp: false});
		expect(rows(state)).toEqual(['*#lobby 0/0', '#dev 0/0']);
		expect(selectUnread(state)).toMatchObject({whileScrolled: 0, mentions: 0});
	});

	it('does not count backlog or your own lines as unread', () => {
		const state = run(connected(), [
			{type: 'openConversation', conversation: '#dev'},
			{type: 'message', user: 'bob', text: 'old', time: t, backlog: true, conversation: '#dev', seq: 1, epoch: 'e'},
			{type: 'ownMessageQueued', localId: 1, text: 'mine', time: t, conversation: '#dev'},
		]);
		expect(rows(state)).toEqual(['*#lobby 0/0', '#dev 0/0']);
	});

	it('counts backlog said after where the last run had read, in that log only, and rings nothing for it', () => {
		const readSince = new Map([['#dev', {epoch: 'e', seq: 2}]]);
		const start = chatReducer(initialState({me: 'me', server: 'h:1', readSince}), {type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot('me', ['bob'])});
		const backlog = (seq: number, text: string, epoch = 'e'): ChatAction => ({type: 'message', user: 'bob', text, time: t, backlog: true, conversation: '#dev', seq, epoch});
		const state = run(start, [
			{type: 'openConversation', conversation: '#dev'},
			backlog(1, 'read'),
			backlog(2, 'read too'),
			backlog(3, 'new'),
			backlog(4, 'new for me'),
		]);
		expect(rows(state)).toEqual(['*#lobby 0/0', '#dev 2/1']);
		expect(newestAlert(state)).toBeUndefined();
		// A log that was reset since: its seqs say nothing about what was read.
		const reset = run(start, [{type: 'openConversation', conversation: '#dev'}, backlog(5, 'other log', 'f')]);
		expect(rows(reset)).toEqual(['*#lobby 0/0', '#dev 0/0']);
	});

	it('opens a direct conversation on its first message, listed after the rooms', () => {
		let state = run(connected(), [said('bob', 'psst', 'bob'), {type: 'openConversation', conversation: '#dev'}]);
		expect(rows(state)).toEqual(['*#lobby 0/0', '#dev 0/0', 'bob 1/1']);
		state = run(state, [said('Bob', 'again', 'Bob'), {type: 'switchConversation', conversation: 'BOB'}]);
		expect(texts(state)).toEqual(['psst', 'again']);
		expect(selectConversations(state)[2]).toMatchObject({kind: 'direct', current: true});
		// The members of a direct conversation: you and the partner.
		expect(selectRoster(state).map(row => row.name)).toEqual(['bob', 'me']);
	});

	it('switches round in sidebar order and closes to the one before', () => {
		let state = run(connected(), [
			{type: 'openConversation', conversation: '#a'},
			{type: 'openConversation', conversation: 'bob'},
			{type: 'openConversation', conversation: '#b', focus: true},
		]);
		expect(selectConversations(state).map(row => row.name)).toEqual(['#lobby', '#a', '#b', 'bob']);
		state = chatReducer(state, {type: 'switchBy', offset: 1});
		expect(selectCurrentConversation(state).name).toBe('bob');
		state = chatReducer(state, {type: 'switchBy', offset: 1});
		expect(selectCurrentConversation(state).name).toBe('#lobby');
		state = chatReducer(state, {type: 'switchBy', offset: -1});
		expect(selectCurrentConversation(state).name).toBe('bob');
		state = run(state, [{type: 'switchConversation', conversation: '#b'}, {type: 'closeConversation', conversation: '#b'}]);
		expect(selectCurrentConversation(state).name).toBe('#a');
		// #lobby never closes; a conversation not open is ignored.
		state = run(state, [{type: 'closeConversation', conversation: '#lobby'}, {type: 'switchConversation', conversation: '#nowhere'}]);
		expect(selectConversations(state).map(row => row.name)).toEqual(['#lobby', '#a', 'bob']);
	});

	it("shows a room's own members, #lobby everyone's, and the status bar counts the one on screen", () => {
		let state = run(connected(), [{type: 'openConversation', conversation: '#dev', focus: true}]);
		// Before the join is answered only you are known to be there, not everyone on the server.
		expect(selectRoster(state).map(row => row.name)).toEqual(['me']);
		state = run(state, [
			{type: 'roster', conversation: '#dev', roster: snapshot('me', ['carol'])},
			{type: 'enter', user: 'dave', time: t, conversation: '#dev', roster: snapshot('me', ['carol', 'dave'])},
		]);
		expect(selectRoster(state).map(row => row.name)).toEqual(['carol', 'dave', 'me']);
		expect(selectStatusLine(state).userCount).toBe(3);
		expect(texts(state)).toEqual(['→ dave joined']);
		state = run(state, [{type: 'message', user: 'dave', text: 'hi', time: t, conversation: '#dev'}, {type: 'exit', user: 'dave', time: t, conversation: '#dev', part: true, msg: 'bye', roster: snapshot('me', ['carol'])}]);
		expect(texts(state).at(-1)).toBe('← dave left the room (bye)');
		state = chatReducer(state, {type: 'switchConversation', conversation: '#lobby'});
		expect(selectRoster(state).map(row => row.name)).toEqual(['bob', 'carol', 'me']);
		// An event for a room that is not open changes nothing.
		const before = state;
		expect(chatReducer(state, {type: 'enter', user: 'x', time: t, conversation: '#gone', roster: snapshot('me', ['x'])})).toBe(before);
	});

	it('settles an own message in whichever conversation holds it', () => {
		let state = run(connected(), [
			{type: 'openConversation', conversation: '#dev'},
			{type: 'ownMessageQueued', localId: 7, text: 'to dev', time: t, conversation: '#dev'},
			{type: 'ownMessageSent', localId: 7, seq: 3},
		]);
		state = chatReducer(state, {type: 'switchConversation', conversation: '#dev'});
		expect(selectEntries(state, 0, 1)[0]).toMatchObject({text: 'to dev', delivery: 'sent', seq: 3});
	});

	it('puts a rename in each conversation named, and a direct conversation follows its partner', () => {
		let state = run(connected(), [
			{type: 'openConversation', conversation: '#dev'},
			said('bob', 'hi', 'bob'),
			{type: 'switchConversation', conversation: 'bob'},
			{type: 'rename', oldname: 'bob', newname: 'robert', time: t, roster: snapshot('me', ['robert', 'carol']), conversations: ['#dev']},
		]);
		expect(selectConversations(state).map(row => row.name)).toEqual(['#lobby', '#dev', 'robert']);
		expect(selectCurrentConversation(state).name).toBe('robert');
		expect(texts(state)).toEqual(['hi', 'bob is now robert']);
		state = chatReducer(state, {type: 'switchConversation', conversation: '#dev'});
		expect(texts(state)).toEqual(['bob is now robert']);
	});

	it('keeps history lines and older pages in their own conversation', () => {
		let state = run(connected(), [
			{type: 'openConversation', conversation: '#dev'},
			{type: 'historyGap', missed: 3, kept: 10, time: t, conversation: '#dev'},
			{type: 'olderRequested', time: t, conversation: '#dev'},
			{type: 'olderLoaded', messages: [{user: 'bob', text: 'older', time: t, seq: 1}], conversation: '#dev'},
		]);
		expect(texts(state).some(text => text.includes('missed'))).toBe(false);
		state = chatReducer(state, {type: 'switchConversation', conversation: '#dev'});
		expect(texts(state)[0]).toBe('older');
		expect(texts(state)[1]).toContain('3');
	});
});

describe('lines of your account from another terminal, and direct messages', () => {
	it('shows a line typed on another terminal of your account as yours: not counted, not a mention, not "(not you)"', () => {
		const state = run(connected('me'), [
			{type: 'openConversation', conversation: '#dev'},
			{type: 'message', user: 'me', text: 'me, from my laptop', time: t, conversation: '#dev', own: true},
			{type: 'message', user: 'me', text: 'to bob, from my laptop', time: t, conversation: 'bob', own: true},
		]);
		expect(rows(state)).toEqual(['*#lobby 0/0', '#dev 0/0', 'bob 0/0']);
		const dev = chatReducer(state, {type: 'switchConversation', conversation: '#dev'});
		expect(selectEntries(dev, 0, selectEntryCount(dev))).toEqual([expect.objectContaining({user: 'me', own: true, delivery: 'sent', mention: false})]);
		expect(selectEntries(dev, 0, 1)[0]).not.toHaveProperty('namesake');
		expect(selectEntries(dev, 0, 1)[0]).not.toHaveProperty('localId');
	});

	it('counts a direct message to you as a mention, without highlighting it as one; a room line still needs your name', () => {
		const state = run(connected('me'), [
			{type: 'openConversation', conversation: '#dev'},
			said('bob', 'are you there?', 'bob'),
			said('bob', 'second', 'bob'),
			said('carol', 'no name here', '#dev'),
		]);
		expect(rows(state)).toEqual(['*#lobby 0/0', '#dev 1/0', 'bob 2/2']);
		const direct = chatReducer(state, {type: 'switchConversation', conversation: 'bob'});
		expect(selectEntries(direct, 0, 1)[0]).toMatchObject({user: 'bob', mention: false});
	});
});
