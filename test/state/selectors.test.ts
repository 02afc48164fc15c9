import {describe, expect, it} from 'vitest';
import {
	chatReducer,
	initialState,
	selectEntries,
	selectEntry,
	selectEntryCount,
	selectEntryIndex,
	selectLastEntries,
	selectRoster,
	selectRosterNames,
	selectStatusLine,
	selectUnread,
	type ChatAction,
	type ChatState,
} from '../../source/state/index.js';
import {snapshot} from './snapshot.js';

const t = 1_700_000_000_000;
const run = (state: ChatState, actions: ChatAction[]) => actions.reduce(chatReducer, state);

describe('selectors', () => {
	it('give the status line its data', () => {
		let state = run(initialState({server: 'h:1'}), [
			{type: 'connected', server: 'h:1', dialect: 'codechat', time: t, roster: snapshot('me')},
			{type: 'roster', roster: snapshot('me', ['a', 'b'])},
			{type: 'lag', ms: 12},
		]);
		expect(selectStatusLine(state)).toEqual({
			phase: 'connected', server: 'h:1', me: 'me', userCount: 3, lagMs: 12, dialect: 'codechat',
			rosterIncomplete: false, reason: undefined, attempt: undefined, retryAt: undefined,
		});
		state = run(state, [{type: 'disconnected', reason: 'reset', time: t, roster: snapshot('me', ['a', 'b'], false)}, {type: 'reconnecting', attempt: 2, delayMs: 1000, time: t}]);
		expect(selectStatusLine(state)).toMatchObject({phase: 'reconnecting', reason: 'reset', attempt: 2, retryAt: t + 1000});
		state = chatReducer(state, {type: 'connected', server: 'h:1', dialect: '2015', time: t, roster: snapshot('me', [], false)});
		expect(selectStatusLine(state)).toMatchObject({phase: 'connected', rosterIncomplete: true, userCount: 1});
	});

	it('return the same object while their inputs are the same', () => {
		const state = run(initialState(), [{type: 'connected', server: 'h:1', time: t, roster: snapshot('me')}, {type: 'roster', roster: snapshot('me', ['x'])}]);
		const after = chatReducer(state, {type: 'message', user: 'x', text: 'hi', time: t});
		expect(selectStatusLine(after)).toBe(selectStatusLine(state));
		expect(selectRoster(after)).toBe(selectRoster(state));
		expect(selectUnread(after)).toBe(selectUnread(state));
		expect(selectRosterNames(after)).toEqual(['me', 'x']);
	});

	it('read any range of the log in order, and anchor by id', () => {
		let state = initialState({capacity: 600});
		for (let index = 0; index < 1000; index++) state = chatReducer(state, {type: 'info', text: String(index), time: t});
		expect(selectEntryCount(state)).toBe(600);
		expect(selectEntries(state, 0, 3).map(entry => entry.id)).toEqual([401, 402, 403]);
		expect(selectLastEntries(state, 2).map(entry => entry.id)).toEqual([999, 1000]);
		expect(selectLastEntries(state, 0)).toEqual([]);
		expect(selectEntry(state, 599)?.id).toBe(1000);
		expect(selectEntryIndex(state, 401)).toBe(0);
		state = chatReducer(state, {type: 'info', text: 'more', time: t});
		expect(selectEntryIndex(state, 401)).toBe(-1);
		expect(selectEntryIndex(state, 500)).toBe(98);
	});
});
