import {describe, expect, it} from 'vitest';
import {chatReducer, initialState, selectEntries, selectEntryCount, selectUnread, type ChatAction, type ChatState} from '../../source/state/index.js';
import {snapshot} from './snapshot.js';
import {MAX_RUN_ITEMS} from '../../source/state/presence-runs.js';

const t = 1_700_000_000_000;
const run = (state: ChatState, actions: ChatAction[]) => actions.reduce(chatReducer, state);
const connected = (quietJoins?: boolean): ChatState =>
	chatReducer(initialState({me: 'me', server: 'h:1', quietJoins}), {type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot('me')});
/** The lines after "connected to h:1". */
const texts = (state: ChatState) => selectEntries(state, 1, selectEntryCount(state)).map(entry => ('text' in entry ? entry.text : ''));
const enter = (user: string, time = t, conversation?: string): ChatAction => ({type: 'enter', user, time, roster: snapshot('me', [user]), ...(conversation ? {conversation} : {})});
const exit = (user: string, time = t, msg?: string): ChatAction => ({type: 'exit', user, time, roster: snapshot('me'), ...(msg === undefined ? {} : {msg, part: true})});
const message = (user: string, time = t): ChatAction => ({type: 'message', user, text: 'hello', time});

describe('quiet joins', () => {
	it('folds a run of joins into one line that names three and counts the rest', () => {
		const users = Array.from({length: 40}, (_, index) => `u${index + 1}`);
		const state = run(connected(), users.map(user => enter(user)));
		expect(texts(state)).toEqual(['→ 40 joined: u1, u2, u3, … (+37)']);
		expect(selectEntries(state, 1, 2)[0]).toMatchObject({kind: 'system', event: 'presence'});
	});

	it('keeps one join as the plain line, and folds joins, leaves and renames of a mixed run', () => {
		expect(texts(run(connected(), [enter('bob')]))).toEqual(['→ bob joined']);
		const state = run(connected(), [
			enter('bob'),
			enter('carol'),
			{type: 'rename', oldname: 'dave', newname: 'eve', time: t, roster: snapshot('me', ['eve'])},
			exit('frank'),
		]);
		expect(texts(state)).toEqual(['→ 2 joined: bob, carol · ← 1 left: frank · 1 renamed: dave → eve']);
	});

	it('renames a join of the same run, so that a quick leave under the new name still hides it', () => {
		const rename: ChatAction = {type: 'rename', oldname: 'bob', newname: 'Bobby', time: t + 1000, roster: snapshot('me', ['Bobby'])};
		expect(texts(run(connected(), [enter('carol'), enter('bob'), rename]))).toEqual(['→ 2 joined: carol, Bobby (was bob)']);
		expect(texts(run(connected(), [enter('bob'), rename]))).toEqual(['→ bob joined, now Bobby']);
		expect(texts(run(connected(), [enter('carol'), enter('bob'), rename, exit('bobby', t + 2000)]))).toEqual(['→ carol joined']);
	});

	it('says a quick rejoin as someone back, not gone', () => {
		// carol spoke, left and came back: she is here, and the line must not read as her leaving.
		expect(texts(run(connected(), [message('carol'), exit('carol'), enter('carol', t + 5000)]))).toEqual(['hello', '→ carol rejoined']);
		expect(texts(run(connected(), [message('bob'), exit('bob'), {type: 'rename', oldname: 'dave', newname: 'eve', time: t, roster: snapshot('me', ['eve'])}, enter('carol')])))
			.toEqual(['hello', '→ 1 joined: carol · ← 1 left: bob · 1 renamed: dave → eve']);
	});

	it('folds at most MAX_RUN_ITEMS into one line, so a join storm costs each join a bounded fold', () => {
		const names = Array.from({length: MAX_RUN_ITEMS + 5}, (_, index) => `u${index}`);
		const lines = texts(run(connected(), names.map(name => enter(name))));
		expect(lines).toEqual([`→ ${MAX_RUN_ITEMS} joined: u0, u1, u2, … (+${MAX_RUN_ITEMS - 3})`, `→ 5 joined: u${MAX_RUN_ITEMS}, u${MAX_RUN_ITEMS + 1}, u${MAX_RUN_ITEMS + 2}, … (+2)`]);
	});

	it('starts a new line after a message', () => {
		const state = run(connected(), [enter('bob'), enter('carol'), message('bob'), enter('dave'), enter('erin')]);
		expect(texts(state)).toEqual(['→ 2 joined: bob, carol', 'hello', '→ 2 joined: dave, erin']);
	});

	it('shows nothing of a user who joins and leaves within a minute without a word', () => {
		expect(texts(run(connected(), [enter('bob'), exit('bob', t + 59_000)]))).toEqual([]);
		expect(texts(run(connected(), [enter('bob'), enter('carol'), exit('bob', t + 60_000)]))).toEqual(['→ carol joined']);
	});

	it('keeps both lines of a visit longer than a minute, or one where they spoke', () => {
		expect(texts(run(connected(), [enter('bob'), exit('bob', t + 60_001)]))).toEqual(['→ 1 joined: bob · ← 1 left: bob']);
		expect(texts(run(connected(), [enter('bob'), message('bob'), exit('bob', t + 1000)]))).toEqual(['→ bob joined', 'hello', '← bob left']);
	});

	it('names each person once per part and counts people, however often they came and went', () => {
		const minute = 61_000;
		// Two visits past the quiet minute: she joined and left, once each.
		const twice = [enter('alice'), exit('alice', t + minute), enter('alice', t + 2 * minute), exit('alice', t + 3 * minute)];
		expect(texts(run(connected(), twice))).toEqual(['→ 1 joined: alice · ← 1 left: alice']);
		// Joined, left and back: she is here now, and that is all the line says.
		expect(texts(run(connected(), [enter('alice'), exit('alice', t + minute), enter('alice', t + 2 * minute)]))).toEqual(['→ alice joined']);
		expect(texts(run(connected(), [enter('bob'), ...twice.slice(0, 3)]))).toEqual(['→ 2 joined: bob, alice']);
		// Back again within the quiet minute of the last join, and gone: the quiet visit is not shown.
		expect(texts(run(connected(), [enter('bob'), ...twice.slice(0, 3), exit('alice', t + 2 * minute + 1000)]))).toEqual(['→ 2 joined: bob, alice · ← 1 left: alice']);
		// Here before the run, out and in again: rejoined, not joined and left.
		expect(texts(run(connected(), [exit('alice'), enter('alice', t + 1000)]))).toEqual(['→ alice rejoined']);
		expect(texts(run(connected(), [exit('carol'), exit('alice'), enter('alice', t + 1000), exit('alice', t + 2000), enter('alice', t + 3000)])))
			.toEqual(['← 1 left: carol · → 1 rejoined: alice']);
	});

	it('keeps a leave\'s reason, in the folded line too, and a quick visit that gave one', () => {
		expect(texts(run(connected(), [enter('bob'), enter('carol'), exit('carol', t + 1000, 'gone fishing')])))
			.toEqual(['→ 2 joined: bob, carol · ← 1 left: carol (gone fishing)']);
		expect(texts(run(connected(), [enter('bob'), exit('bob', t + 1000, 'gone fishing')]))).toEqual(['→ 1 joined: bob · ← 1 left: bob (gone fishing)']);
		expect(texts(run(connected(), [exit('bob', t, 'gone fishing'), exit('carol')]))).toEqual(['← 2 left: bob (gone fishing), carol']);
		// One leave alone reads as it always did.
		expect(texts(run(connected(), [exit('bob', t, 'gone fishing')]))).toEqual(['← bob left the room (gone fishing)']);
	});

	it('folds per conversation', () => {
		let state = run(connected(), [{type: 'openConversation', conversation: '#dev'}, enter('bob'), enter('carol', t, '#dev'), enter('dave')]);
		expect(texts(state)).toEqual(['→ 2 joined: bob, dave']);
		state = chatReducer(state, {type: 'switchConversation', conversation: '#dev'});
		expect(selectEntries(state, 0, selectEntryCount(state)).map(entry => ('text' in entry ? entry.text : ''))).toEqual(['→ carol joined']);
	});

	it('gives one line per join and leave with the setting off', () => {
		const state = run(connected(false), [enter('bob'), enter('carol'), exit('bob', t + 1000)]);
		expect(texts(state)).toEqual(['→ bob joined', '→ carol joined', '← bob left']);
	});

	it('counts no presence line as unread or new', () => {
		let state = run(connected(), [{type: 'openConversation', conversation: '#dev'}, {type: 'scroll', scrolledUp: true}, enter('bob'), enter('carol', t, '#dev'), enter('dave')]);
		expect(selectUnread(state)).toMatchObject({whileScrolled: 0, firstUnreadId: undefined});
		expect(state.conversations.get('#dev')?.unread).toBe(0);
		expect(state.conversations.get('#dev')?.view.firstUnreadId).toBeUndefined();
		state = chatReducer(state, message('bob'));
		expect(selectUnread(state).whileScrolled).toBe(1);
	});
});
