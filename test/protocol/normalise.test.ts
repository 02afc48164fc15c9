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
			.toEqual({kind: 'status', dialect: '2015', status: {success: true, error: '', text: 'hi', command: 'connect'}});
		expect(normaliseFrame({cmd: 'return-status', 'return-cmd': 'get-clients', status: false, payload: ''}))
			.toEqual({kind: 'status', dialect: '2015', status: {success: false, error: 'get-clients failed', text: '', command: 'get-clients'}});
	});

	it('reads from/payload events', () => {
		expect(normaliseFrame({cmd: 'message', from: 'bob', payload: 'yo'})).toEqual({kind: 'event', event: {cmd: 'message', user: 'bob', msg: 'yo'}});
		expect(normaliseFrame({cmd: 'client-connect', from: 'bob', payload: ''})).toEqual({kind: 'event', event: {cmd: 'client-enter', user: 'bob'}});
		expect(normaliseFrame({cmd: 'client-exit', from: 'bob', payload: 'bye'})).toEqual({kind: 'event', event: {cmd: 'client-exit', user: 'bob', msg: 'bye'}});
		expect(normaliseFrame({cmd: 'client-rename', from: 'bob', payload: 'bob,rob'}))
			.toEqual({kind: 'event', event: {cmd: 'client-rename', user: 'rob', oldname: 'bob', newname: 'rob'}});
		// §12: the 2015 update-file is the whole text, without name or version.
		expect(normaliseFrame({cmd: 'update-file', from: 'bob', payload: 'x'})).toEqual({kind: 'event', event: {cmd: 'update-file', user: 'bob', msg: 'x'}});
		expect(normaliseFrame({cmd: 'update-file', from: 'server', payload: {file: 'main.go'}})).toEqual({kind: 'ignored', cmd: 'update-file'});
	});
});

describe('normaliseFrame: the shared file (§12)', () => {
	it('reads update-file events with name, room, version and time', () => {
		expect(normaliseFrame({cmd: 'update-file', user: 'bob', room: '#lobby', name: 'a.go', msg: 'x', version: 3, time: 9}))
			.toEqual({kind: 'event', event: {cmd: 'update-file', user: 'bob', room: '#lobby', name: 'a.go', msg: 'x', version: 3, time: 9}});
		expect(normaliseFrame({cmd: 'update-file', user: 'bob', msg: 7})).toEqual({kind: 'ignored', cmd: 'update-file'});
		expect(normaliseFrame({cmd: 'update-file', msg: 'x'})).toMatchObject({kind: 'invalid'});
	});

	it('reads a status\'s version and file, null included, and drops a malformed file', () => {
		const status = (extra: Record<string, unknown>) => normaliseFrame({success: true, 'error-msg': '', 'success-msg': '', ...extra});
		expect(status({version: 4})).toMatchObject({status: {version: 4}});
		expect(status({file: null})).toMatchObject({status: {file: null}});
		expect(status({file: {name: 'a.go', version: 2, user: 'bob', time: 5}})).toMatchObject({status: {file: {name: 'a.go', version: 2, user: 'bob', time: 5}}});
		expect(status({file: {name: 'a.go', version: -1, user: 'bob', time: 5}})).not.toHaveProperty('status.file');
		expect(status({file: 'a.go'})).not.toHaveProperty('status.file');
	});
});

describe('normaliseFrame: protocol 2 negotiation (§8)', () => {
	it('reads code, retry, server, features and limits from a status, keeping only what it knows', () => {
		const inbound = normaliseFrame({
			success: false, 'error-msg': 'slow down', 'success-msg': '', code: 'rate-limited', retry: 2,
			server: 'codechat-tui/1.0', features: ['codes', 'history', 'teleport', 7], limits: {frame: 65_536, msg: 4096, file: -1},
		});
		expect(inbound).toEqual({kind: 'status', dialect: 'codechat', status: {
			success: false, error: 'slow down', text: '', code: 'rate-limited', retry: 2, server: 'codechat-tui/1.0',
			features: new Set(['codes', 'history']), limits: {frame: 65_536, msg: 4096},
		}});
	});

	it('leaves features undefined when the server sent none, and drops an unknown code', () => {
		const inbound = normaliseFrame({success: false, 'error-msg': 'no', 'success-msg': '', code: 'made-up'});
		expect(inbound).toEqual({kind: 'status', dialect: 'codechat', status: {success: false, error: 'no', text: ''}});
	});

	it('reads an exit reason and server-closing', () => {
		expect(normaliseFrame({cmd: 'client-exit', user: 'bob', msg: 'lunch'})).toEqual({kind: 'event', event: {cmd: 'client-exit', user: 'bob', msg: 'lunch'}});
		expect(normaliseFrame({cmd: 'server-closing', msg: 'restarting', reconnect: true}))
			.toEqual({kind: 'event', event: {cmd: 'server-closing', msg: 'restarting', reconnect: true}});
		expect(normaliseFrame({cmd: 'server-closing', msg: 'newer login', reconnect: false, code: 'replaced'}))
			.toEqual({kind: 'event', event: {cmd: 'server-closing', msg: 'newer login', reconnect: false, code: 'replaced'}});
		expect(normaliseFrame({cmd: 'server-closing', msg: 'x', reconnect: false, code: 'something-else'}))
			.toEqual({kind: 'event', event: {cmd: 'server-closing', msg: 'x', reconnect: false}});
	});
});
