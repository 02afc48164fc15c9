import {describe, expect, it} from 'vitest';
import {normaliseFrame, rosterFromStatus} from '../../source/protocol/normalise.js';

describe('normaliseFrame: our dialect', () => {
	it('reads a status with all three keys', () => {
		expect(normaliseFrame({success: true, 'error-msg': '', 'success-msg': 'welcome alice'})).toEqual({
			kind: 'status', dialect: 'codechat', status: {success: true, error: '', text: 'welcome alice'},
		});
	});

	it('gives a refusal without a reason a readable error', () => {
		const inbound = normaliseFrame({success: false});
		expect(inbound).toMatchObject({kind: 'status', status: {success: false, error: expect.stringContaining('refused')}});
	});

	it('reads the roster from clients, a JSON array, or the comma form', () => {
		expect(normaliseFrame({success: true, 'error-msg': '', 'success-msg': 'a, b', clients: ['a', 'b']}))
			.toMatchObject({status: {clients: ['a', 'b']}});
		expect(rosterFromStatus({text: 'alice, bob'})).toEqual(['alice', 'bob']);
		expect(rosterFromStatus({text: '["alice","bob"]'})).toEqual(['alice', 'bob']);
		expect(rosterFromStatus({text: ''})).toEqual([]);
	});

	it('reads events', () => {
		expect(normaliseFrame({cmd: 'message', user: 'bob', msg: 'hi'})).toEqual({kind: 'event', event: {cmd: 'message', user: 'bob', msg: 'hi'}});
		expect(normaliseFrame({cmd: 'client-enter', user: 'bob'})).toEqual({kind: 'event', event: {cmd: 'client-enter', user: 'bob'}});
		expect(normaliseFrame({cmd: 'client-exit', user: 'bob'})).toEqual({kind: 'event', event: {cmd: 'client-exit', user: 'bob'}});
		expect(normaliseFrame({cmd: 'client-rename', user: 'bo', oldname: 'bob', newname: 'bo'}))
			.toEqual({kind: 'event', event: {cmd: 'client-rename', user: 'bo', oldname: 'bob', newname: 'bo'}});
	});

	it('ignores unknown events and an empty cmd, and flags broken ones', () => {
		expect(normaliseFrame({cmd: 'typing', user: 'bob'})).toEqual({kind: 'ignored', cmd: 'typing'});
		expect(normaliseFrame({cmd: ''})).toEqual({kind: 'ignored', cmd: ''});
		expect(normaliseFrame({cmd: 'message', user: 7, msg: 'x'})).toMatchObject({kind: 'invalid'});
		expect(normaliseFrame({cmd: 'toString'})).toEqual({kind: 'ignored', cmd: 'toString'});
		expect(normaliseFrame({hello: 1})).toMatchObject({kind: 'invalid'});
	});
});

describe('normaliseFrame: the 2015 dialect', () => {
	it('reads return-status', () => {
		expect(normaliseFrame({cmd: 'return-status', 'return-cmd': 'connect', status: true, payload: 'hi'}))
			.toEqual({kind: 'status', dialect: '2015', status: {success: true, error: '', text: 'hi'}});
		expect(normaliseFrame({cmd: 'return-status', 'return-cmd': 'get-clients', status: false, payload: ''}))
			.toEqual({kind: 'status', dialect: '2015', status: {success: false, error: 'get-clients failed', text: ''}});
	});

	it('reads from/payload events', () => {
		expect(normaliseFrame({cmd: 'message', from: 'bob', payload: 'yo'})).toEqual({kind: 'event', event: {cmd: 'message', user: 'bob', msg: 'yo'}});
		expect(normaliseFrame({cmd: 'client-connect', from: 'bob', payload: ''})).toEqual({kind: 'event', event: {cmd: 'client-enter', user: 'bob'}});
		expect(normaliseFrame({cmd: 'client-exit', from: 'bob', payload: 'bye'})).toEqual({kind: 'event', event: {cmd: 'client-exit', user: 'bob'}});
		expect(normaliseFrame({cmd: 'client-rename', from: 'bob', payload: 'bob,rob'}))
			.toEqual({kind: 'event', event: {cmd: 'client-rename', user: 'rob', oldname: 'bob', newname: 'rob'}});
		expect(normaliseFrame({cmd: 'update-file', from: 'bob', payload: 'x'})).toEqual({kind: 'ignored', cmd: 'update-file'});
	});
});
