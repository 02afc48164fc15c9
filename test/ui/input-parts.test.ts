import {describe, expect, it} from 'vitest';
import {leaveRisk} from '../../source/ui/leave-check.js';
import {nicksByRecency} from '../../source/ui/nick-order.js';
import {inputRows, rowOfCursor} from '../../source/ui/input-rows.js';
import {graphemesOf} from '../../source/ui/input-editor.js';
import {textWidth} from '../../source/text/wrap.js';
import {T0, snapshot, sourceOf, stateWith} from './helpers.js';

describe('nicksByRecency', () => {
	it('puts the most recent speakers first, then the rest by name; own lines and departed names do not count', () => {
		const state = stateWith([
			{type: 'roster', roster: snapshot('alice', ['Zed', 'bob', 'carol', 'dave'])},
			{type: 'message', user: 'carol', text: 'old', time: T0},
			{type: 'message', user: 'gone', text: 'left since', time: T0},
			{type: 'message', user: 'BOB', text: 'newer', time: T0},
			{type: 'ownMessageQueued', localId: 1, text: 'mine', time: T0},
		]);
		expect(nicksByRecency(['alice', 'Zed', 'bob', 'carol', 'dave'], sourceOf(state))).toEqual(['bob', 'carol', 'alice', 'dave', 'Zed']);
	});
});

describe('leaveRisk', () => {
	it('says what would be lost, or nothing', () => {
		expect(leaveRisk({pendingMessages: 0, hosting: false, others: 5})).toBeUndefined();
		expect(leaveRisk({pendingMessages: 0, hosting: true, others: 0})).toBeUndefined();
		expect(leaveRisk({pendingMessages: 2, hosting: true, others: 3})).toBe(
			'2 messages are not sent yet and would be lost; you host this room: leaving closes it for 3 other users',
		);
	});
});

describe('inputRows', () => {
	const rowsOf = (text: string, columns: number) => {
		const parts = graphemesOf(text);
		return {parts, rows: inputRows(parts, parts.map(part => (part === '\n' ? 0 : textWidth(part))), columns)};
	};

	it('gives every cursor position exactly one row, wide characters never split', () => {
		const {parts, rows} = rowsOf('ab世界\n\ncd', 3);
		expect(rows.map(row => parts.slice(row.start, row.end).join(''))).toEqual(['ab', '世', '界', '', 'cd']);
		expect(Array.from({length: parts.length + 1}, (_, cursor) => rowOfCursor(rows, cursor))).toEqual([0, 0, 1, 2, 2, 3, 4, 4, 4]);
	});
});
