import {describe, expect, it} from 'vitest';
import {normaliseFrame} from '../../source/protocol/normalise.js';

const status = (fields: Record<string, unknown>) => normaliseFrame({success: true, 'error-msg': '', 'success-msg': '', ...fields});

describe('normaliseFrame: rooms and direct messages (§10)', () => {
	it('reads room, to, part and action on events', () => {
		expect(normaliseFrame({cmd: 'message', user: 'bob', msg: 'hi', room: '#dev', action: true})).toEqual({kind: 'event', event: {cmd: 'message', user: 'bob', msg: 'hi', room: '#dev', action: true}});
		expect(normaliseFrame({cmd: 'message', user: 'bob', msg: 'hi', to: 'alice'})).toEqual({kind: 'event', event: {cmd: 'message', user: 'bob', msg: 'hi', to: 'alice'}});
		expect(normaliseFrame({cmd: 'client-enter', user: 'bob', room: '#dev'})).toEqual({kind: 'event', event: {cmd: 'client-enter', user: 'bob', room: '#dev'}});
		expect(normaliseFrame({cmd: 'client-exit', user: 'bob', room: '#dev', part: true, msg: 'bye'})).toEqual({kind: 'event', event: {cmd: 'client-exit', user: 'bob', room: '#dev', part: true, msg: 'bye'}});
		// Only `true` is an action or a part.
		expect(normaliseFrame({cmd: 'client-exit', user: 'bob', part: 'yes'})).toEqual({kind: 'event', event: {cmd: 'client-exit', user: 'bob'}});
	});

	it('makes an event with a bad room or recipient invalid, rather than show it in the wrong place', () => {
		for (const frame of [
			{cmd: 'message', user: 'bob', msg: 'x', room: 'dev'},
			{cmd: 'message', user: 'bob', msg: 'x', room: '#a b'},
			{cmd: 'message', user: 'bob', msg: 'x', room: `#${'a'.repeat(33)}`},
			{cmd: 'message', user: 'bob', msg: 'x', room: 7},
			{cmd: 'message', user: 'bob', msg: 'x', to: 42},
			{cmd: 'message', user: 'bob', msg: 'x', to: 'a\u001bb'},
			{cmd: 'message', user: 'bob', msg: 'x', to: 'alice', room: '#dev'},
			{cmd: 'client-enter', user: 'bob', room: null},
			{cmd: 'client-exit', user: 'bob', room: {}},
		]) {
			expect(normaliseFrame(frame).kind, JSON.stringify(frame)).toBe('invalid');
		}
	});

	it('reads rooms, room, conversations and away on statuses, leaving out what is not well formed', () => {
		expect(status({
			room: '#Dev',
			rooms: [{room: '#lobby', users: 3}, {room: 'bad', users: 1}, {room: '#ok', users: -1}, 'junk', {room: '#dev', users: 2}],
			conversations: [{with: 'bob', last: 4}, {with: '', last: 1}, {with: 'carol', last: '2'}],
			away: {bob: 'lunch', carol: 5},
		})).toMatchObject({status: {
			room: '#Dev',
			rooms: [{room: '#lobby', users: 3}, {room: '#dev', users: 2}],
			conversations: [{with: 'bob', last: 4}],
			away: {bob: 'lunch'},
		}});
		const odd = status({room: '#not a room', rooms: 'all of them', conversations: {}, away: []});
		expect(odd.kind === 'status' && [odd.status.room, odd.status.rooms, odd.status.conversations, odd.status.away]).toEqual([undefined, undefined, undefined, undefined]);
	});
});
