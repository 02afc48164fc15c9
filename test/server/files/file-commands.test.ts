// The handlers on their own, with a memory store and a recording context;
// the same rules over real sockets and every backend are in conformance.test.ts.
import {describe, expect, it} from 'vitest';
import {getFile, updateFile, type FileCommandContext} from '../../../source/server/files/file-commands.js';
import type {FileStore} from '../../../source/server/files/file-store.js';
import {MemoryFileStore} from '../../../source/server/files/memory-files.js';
import {StoreError} from '../../../source/server/store/message-log.js';
import type {FileEvent, StatusFrame} from '../../../source/protocol/types.js';

function context(store: FileStore = new MemoryFileStore({now: () => 42}), user = 'ann') {
	const statuses: StatusFrame[] = [];
	const events: Array<{room: string; event: FileEvent}> = [];
	const made: FileCommandContext = {
		store,
		user,
		limitBytes: 100,
		resolveRoom: requested => (requested === undefined || requested === '#lobby' ? {name: '#lobby', key: '#lobby'} : undefined),
		status: frame => statuses.push(frame),
		broadcast: (room, event) => events.push({room: room.key, event}),
	};
	return {made, statuses, events};
}

describe('update-file', () => {
	it('stores version 1 from base 0, answers its version and tells the room', async () => {
		const {made, statuses, events} = context();
		await updateFile(made, {cmd: 'update-file', name: 'main.go', msg: 'package main\n', base: 0});
		expect(statuses).toEqual([{success: true, 'error-msg': '', 'success-msg': 'main.go is now version 1', version: 1}]);
		expect(events).toEqual([{room: '#lobby', event: {cmd: 'update-file', user: 'ann', room: '#lobby', name: 'main.go', msg: 'package main\n', version: 1, time: 42}}]);
	});

	it('answers a stale base with conflict and the current version, and tells nobody', async () => {
		const store = new MemoryFileStore();
		const ann = context(store, 'ann');
		const bob = context(store, 'bob');
		await updateFile(ann.made, {cmd: 'update-file', name: 'a.ts', msg: 'one', base: 0});
		await updateFile(bob.made, {cmd: 'update-file', name: 'a.ts', msg: 'two', base: 0});
		expect(bob.statuses[0]).toMatchObject({success: false, code: 'conflict', version: 1});
		expect(bob.statuses[0]!['error-msg']).toMatch(/base 1/);
		expect(bob.events).toEqual([]);
	});

	it.each([
		[{name: 'a.ts', msg: 'x'.repeat(101), base: 0}, 'too-long'],
		[{name: '../a.ts', msg: 'x', base: 0}, 'bad-field'],
		[{msg: 'x', base: 0}, 'bad-field'],
		[{name: 'a.ts', msg: 'x'}, 'bad-field'],
		[{name: 'a.ts', msg: '\ud800', base: 0}, 'bad-field'],
		[{name: 'a.ts', msg: 'x', base: 0, room: '#elsewhere'}, 'not-in-room'],
	] as const)('refuses %j with %s and stores nothing', async (fields, code) => {
		const {made, statuses, events} = context();
		await updateFile(made, {cmd: 'update-file', ...fields});
		expect(statuses).toHaveLength(1);
		expect(statuses[0]).toMatchObject({success: false, code});
		expect(events).toEqual([]);
		expect(await made.store.get('#lobby')).toBeNull();
	});

	it('turns a store that cannot answer into unavailable with retry', async () => {
		const failing: FileStore = {
			kind: 'redis',
			drop: async () => {},
			close: async () => {},
			get: async () => null,
			update: async () => {
				throw new StoreError('unavailable', 'Redis did not answer', {retry: 2});
			},
		};
		const {made, statuses} = context(failing);
		await updateFile(made, {cmd: 'update-file', name: 'a.ts', msg: 'x', base: 0});
		expect(statuses[0]).toMatchObject({success: false, code: 'unavailable', retry: 2});
	});
});

describe('get-file', () => {
	it('answers null before the first update, then the whole file', async () => {
		const {made, statuses} = context();
		await getFile(made, {cmd: 'get-file'});
		await updateFile(made, {cmd: 'update-file', name: 'a.ts', msg: 'let a = 1;\n', base: 0});
		await getFile(made, {cmd: 'get-file', room: '#lobby'});
		expect(statuses[0]).toMatchObject({success: true, file: null});
		expect(statuses[2]).toMatchObject({success: true, file: {name: 'a.ts', msg: 'let a = 1;\n', version: 1, user: 'ann', time: 42}});
	});
});
