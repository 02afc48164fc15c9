// The roster has one owner, the client's Roster; the state sorts and shows
// its snapshots. Property tests of its rules, then the selector's order.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {Roster} from '../../source/client/roster.js';
import {nameKey} from '../../source/protocol/limits.js';
import {chatReducer, compareNames, initialState, selectRoster, selectRosterNames} from '../../source/state/index.js';

const roster = (me: string, complete = true) => {
	const made = new Roster();
	made.reset(me, complete);
	return made;
};

const names = (made: Roster) => made.snapshot().users.filter(user => !user.namesake).map(user => user.name);

// Case variants and a few awkward names, so collisions are frequent.
const nameArb = fc.constantFrom('alice', 'Alice', 'ALICE', 'bob', 'Bob', 'carol', 'me', 'Me', 'ME', 'a.b', 'émile', 'Émile', 'user2', 'user10');
type Step = {op: 'add' | 'remove' | 'gone' | 'seen'; name: string} | {op: 'rename'; oldname: string; newname: string} | {op: 'replace'; list: string[]};
const stepArb: fc.Arbitrary<Step> = fc.oneof(
	fc.tuple(fc.constantFrom('add', 'remove', 'gone', 'seen'), nameArb).map(([op, name]) => ({op, name}) as Step),
	fc.tuple(nameArb, nameArb).map(([oldname, newname]) => ({op: 'rename', oldname, newname}) as Step),
	fc.array(nameArb, {maxLength: 8}).map(list => ({op: 'replace', list}) as Step),
);

function apply(made: Roster, step: Step): void {
	switch (step.op) {
		case 'add': made.add(step.name); break;
		case 'remove': made.remove(step.name); break;
		case 'gone': made.markGone(step.name); break;
		case 'seen': made.seen(step.name); break;
		case 'rename': made.rename(step.oldname, step.newname); break;
		case 'replace': made.replace(step.list); break;
	}
}

describe('the client roster', () => {
	it('never holds a duplicate and always keeps you, under any sequence of changes (property)', () => {
		fc.assert(fc.property(fc.constantFrom('me', 'alice'), fc.boolean(), fc.array(stepArb, {maxLength: 60}), (me, complete, steps) => {
			const made = roster(me, complete);
			for (const step of steps) {
				const before = made.snapshot();
				apply(made, step);
				const keys = names(made).map(nameKey);
				expect(new Set(keys).size).toBe(keys.length);
				expect(keys).toContain(nameKey(made.me));
				expect(made.snapshot().users.filter(user => user.isMe)).toHaveLength(1);
				if (step.op === 'add') expect(keys).toContain(nameKey(step.name));
				if (step.op === 'remove' && nameKey(step.name) !== nameKey(made.me)) expect(keys).not.toContain(nameKey(step.name));
				// The same snapshot object when nothing changed.
				if (step.op === 'remove' && !before.users.some(user => nameKey(user.name) === nameKey(step.name))) expect(made.snapshot()).toBe(before);
			}
		}), {numRuns: 300});
	});

	it('replaces wholesale on a get-clients answer, dropping case duplicates and keeping your spelling', () => {
		const made = roster('Me');
		made.add('zed');
		made.replace(['alice', 'ALICE', 'bob', 'ME', 'bob']);
		expect(names(made)).toEqual(['alice', 'bob', 'Me']);
		made.replace(['bob']);
		expect(names(made)).toEqual(['bob', 'Me']);
	});

	it('follows our own rename, and a case-only rename keeps its place', () => {
		const made = roster('alice');
		made.replace(['alice', 'bob', 'carol']);
		made.rename('bob', 'BOB');
		made.rename('alice', 'zoe');
		expect(names(made)).toEqual(['BOB', 'carol', 'zoe']);
		expect(made.me).toBe('zoe');
	});

	it('built from events (2015): senders count as present, and gone users come back when they speak', () => {
		const made = roster('me', false);
		made.seen('old-timer');
		made.add('bob');
		expect(made.markGone('bob')).toBe(true);
		expect(made.markGone('me')).toBe(false);
		expect(made.snapshot().users.find(user => user.name === 'bob')).toMatchObject({gone: true});
		made.seen('bob');
		expect(made.snapshot().users.find(user => user.name === 'bob')).toMatchObject({gone: false});
		expect(names(made)).toEqual(['me', 'old-timer', 'bob']);
	});
});

describe('selectRoster', () => {
	it('sorts case-insensitively and marks you, the gone and your namesakes', () => {
		const made = roster('me', false);
		for (const name of ['bob', 'Carol', 'alice', 'Dave', 'user10', 'user2']) made.add(name);
		made.markGone('Dave');
		made.addNamesake();
		const state = chatReducer(initialState({me: 'me'}), {type: 'roster', roster: made.snapshot()});
		expect(selectRoster(state).map(row => `${row.name}${row.isMe ? '*' : ''}${row.gone ? '?' : ''}${row.namesake ? '~' : ''}`)).toEqual([
			'alice', 'bob', 'Carol', 'Dave?', 'me*', 'me~', 'user2', 'user10',
		]);
		expect(selectRosterNames(state)).toEqual(['alice', 'bob', 'Carol', 'Dave', 'me', 'user2', 'user10']);
		expect([...selectRosterNames(state)].sort(compareNames)).toEqual(selectRosterNames(state));
	});
});
