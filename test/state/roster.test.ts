import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {nameKey} from '../../source/protocol/limits.js';
import {chatReducer, compareNames, initialState, selectRoster, type ChatAction, type ChatState} from '../../source/state/index.js';

const t = 1_700_000_000_000;
const connectedAs = (me: string, dialect: 'codechat' | '2015' = 'codechat'): ChatState =>
	chatReducer(initialState(), {type: 'connected', me, server: 'h:1', dialect, time: t});
const run = (state: ChatState, actions: ChatAction[]) => actions.reduce(chatReducer, state);
const names = (state: ChatState) => state.roster.names;

// Case variants and a few awkward names, so collisions are frequent.
const nameArb = fc.constantFrom('alice', 'Alice', 'ALICE', 'bob', 'Bob', 'carol', 'me', 'Me', 'ME', 'a.b', 'émile', 'Émile', 'user2', 'user10', '');
const actionArb: fc.Arbitrary<ChatAction> = fc.oneof(
	nameArb.map(user => ({type: 'enter', user, time: t}) as const),
	nameArb.map(user => ({type: 'exit', user, time: t}) as const),
	fc.tuple(nameArb, nameArb).map(([oldname, newname]) => ({type: 'rename', oldname, newname, time: t}) as const),
	fc.array(nameArb, {maxLength: 8}).map(list => ({type: 'roster', names: list}) as const),
	nameArb.map(user => ({type: 'message', user, text: 'hi', time: t}) as const),
	fc.constantFrom('codechat', '2015').map(dialect => ({type: 'dialect', dialect}) as const),
	nameArb.filter(name => name !== '').map(me => ({type: 'connected', me, server: 'h:1', time: t}) as const),
);

function checkRosterInvariants(state: ChatState) {
	const keys = names(state).map(nameKey);
	expect(new Set(keys).size).toBe(keys.length); // No duplicate, case-insensitively.
	expect(names(state)).not.toContain('');
	expect([...names(state)].sort(compareNames)).toEqual(names(state)); // Sorted.
	if (state.me !== '') expect(keys).toContain(nameKey(state.me)); // We never vanish from our own roster.
}

describe('roster', () => {
	it('never holds a duplicate, stays sorted and keeps you, under any sequence of actions (property)', () => {
		fc.assert(fc.property(fc.constantFrom('me', 'alice'), fc.array(actionArb, {maxLength: 60}), (me, actions) => {
			let state = connectedAs(me);
			checkRosterInvariants(state);
			for (const action of actions) {
				state = chatReducer(state, action);
				checkRosterInvariants(state);
				if (action.type === 'enter' && action.user !== '') expect(names(state).map(nameKey)).toContain(nameKey(action.user));
				if (action.type === 'exit' && nameKey(action.user) !== nameKey(state.me)) {
					expect(names(state).map(nameKey)).not.toContain(nameKey(action.user));
				}
			}
		}), {numRuns: 300});
	});

	it('sorts case-insensitively and marks you', () => {
		const state = run(connectedAs('me'), [{type: 'roster', names: ['bob', 'Carol', 'alice', 'Dave', 'me', 'user10', 'user2']}]);
		expect(selectRoster(state)).toEqual([
			{name: 'alice', isMe: false},
			{name: 'bob', isMe: false},
			{name: 'Carol', isMe: false},
			{name: 'Dave', isMe: false},
			{name: 'me', isMe: true},
			{name: 'user2', isMe: false},
			{name: 'user10', isMe: false},
		]);
	});

	it('replaces wholesale on roster, dropping case duplicates and keeping your spelling', () => {
		const state = run(connectedAs('Me'), [
			{type: 'enter', user: 'zed', time: t},
			{type: 'roster', names: ['alice', 'ALICE', 'bob', 'ME', 'bob']},
		]);
		expect(names(state)).toEqual(['alice', 'bob', 'Me']);
	});

	it('keeps you even when a roster leaves you out', () => {
		expect(names(run(connectedAs('me'), [{type: 'roster', names: ['bob']}]))).toEqual(['bob', 'me']);
	});

	it('folds enter and exit, with a no-op for a present enter and an unknown exit', () => {
		const start = connectedAs('me');
		const joined = run(start, [{type: 'enter', user: 'bob', time: t}]);
		expect(names(joined)).toEqual(['bob', 'me']);
		expect(chatReducer(joined, {type: 'enter', user: 'BOB', time: t})).toBe(joined);
		expect(chatReducer(joined, {type: 'exit', user: 'nobody', time: t})).toBe(joined);
		const left = chatReducer(joined, {type: 'exit', user: 'Bob', time: t});
		expect(names(left)).toEqual(['me']);
	});

	it('ignores an exit for yourself from a hostile server', () => {
		const start = connectedAs('me');
		expect(chatReducer(start, {type: 'exit', user: 'ME', time: t})).toBe(start);
	});

	it('folds a rename of someone else, and a case-only rename', () => {
		const start = run(connectedAs('me'), [{type: 'roster', names: ['alice', 'bob']}]);
		expect(names(chatReducer(start, {type: 'rename', oldname: 'alice', newname: 'zoe', time: t}))).toEqual(['bob', 'me', 'zoe']);
		expect(names(chatReducer(start, {type: 'rename', oldname: 'alice', newname: 'ALICE', time: t}))).toEqual(['ALICE', 'bob', 'me']);
		// A server that allows duplicates renames alice onto bob: one bob, no duplicate.
		expect(names(chatReducer(start, {type: 'rename', oldname: 'alice', newname: 'Bob', time: t}))).toEqual(['bob', 'me']);
	});

	it('is complete in our dialect and marked incomplete in the 2015 one', () => {
		expect(connectedAs('me').roster.complete).toBe(true);
		expect(connectedAs('me', '2015').roster.complete).toBe(false);
		const detectedLate = chatReducer(connectedAs('me'), {type: 'dialect', dialect: '2015'});
		expect(detectedLate.roster.complete).toBe(false);
	});

	it('in the 2015 dialect, learns users from their messages and logs exits of unknown users', () => {
		let state = connectedAs('me', '2015');
		state = chatReducer(state, {type: 'message', user: 'old-timer', text: 'hello', time: t});
		expect(names(state)).toEqual(['me', 'old-timer']);
		const before = state.log.size;
		state = chatReducer(state, {type: 'exit', user: 'ghost', time: t});
		expect(state.log.size).toBe(before + 1);
		expect(names(state)).toEqual(['me', 'old-timer']);
	});

	it('starts each new connection with just you', () => {
		const state = run(connectedAs('me'), [
			{type: 'roster', names: ['alice', 'bob']},
			{type: 'disconnected', reason: 'gone', time: t},
			{type: 'connected', me: 'me', server: 'h:1', dialect: 'codechat', time: t},
		]);
		expect(names(state)).toEqual(['me']);
	});
});
