import {describe, expect, it} from 'vitest';
import {parseCommand} from '../../source/protocol/commands.js';
import {countChars, messageProblem, nameKey, usernameProblem} from '../../source/protocol/limits.js';

describe('parseCommand', () => {
	it('reads each command of §2', () => {
		expect(parseCommand({cmd: 'connect', username: 'a'})).toEqual({ok: true, command: {cmd: 'connect', username: 'a'}});
		expect(parseCommand({cmd: 'rename', oldname: 'a', newname: 'b'})).toMatchObject({ok: true});
		expect(parseCommand({cmd: 'get-clients'})).toEqual({ok: true, command: {cmd: 'get-clients'}});
		expect(parseCommand({cmd: 'exit', msg: 'bye'})).toEqual({ok: true, command: {cmd: 'exit', msg: 'bye'}});
		expect(parseCommand({cmd: 'msg', msg: 'hi'})).toEqual({ok: true, command: {cmd: 'msg', msg: 'hi'}});
	});

	it('refuses a missing cmd, an unknown one, and fields of the wrong type', () => {
		expect(parseCommand({})).toEqual({ok: false, code: 'bad-field', error: 'missing "cmd"'});
		expect(parseCommand({cmd: 5})).toMatchObject({ok: false});
		expect(parseCommand({cmd: 'dance'})).toMatchObject({ok: false, error: expect.stringContaining('unknown command')});
		expect(parseCommand({cmd: '__proto__'})).toMatchObject({ok: false});
		expect(parseCommand({cmd: 'connect', username: 5})).toMatchObject({ok: false});
		expect(parseCommand({cmd: 'msg', msg: ['x']})).toMatchObject({ok: false});
		expect(parseCommand({cmd: 'rename', oldname: 'a'})).toMatchObject({ok: false});
		expect(parseCommand({cmd: 'exit', msg: 1})).toMatchObject({ok: false});
	});
});

describe('limits', () => {
	it('checks user names', () => {
		expect(usernameProblem('alice')).toBeUndefined();
		expect(usernameProblem('Ünïcødé_1.2-3')).toBeUndefined();
		expect(usernameProblem('名前')).toBeUndefined();
		expect(usernameProblem('')).toBeDefined();
		expect(usernameProblem('has space')).toBeDefined();
		expect(usernameProblem('x'.repeat(33))).toBeDefined();
		expect(usernameProblem('\u001b[31m')).toBeDefined();
	});

	it('checks messages by characters, not UTF-16 units', () => {
		expect(messageProblem('hi')).toBeUndefined();
		expect(messageProblem('  \n ')).toBe('message is empty');
		expect(messageProblem('😀'.repeat(4096))).toBeUndefined();
		expect(messageProblem('x'.repeat(4097))).toContain('4097');
		expect(countChars('a😀b')).toBe(3);
	});
});

describe('nameKey', () => {
	it('folds case, final sigma included', () => {
		expect(nameKey('Alice')).toBe(nameKey('aLICE'));
		expect(nameKey('ΑΣ')).toBe(nameKey('ασ'));
		expect(nameKey('ΟΔΥΣΣΕΥΣ')).toBe(nameKey('οδυσσευς'));
		expect(nameKey('alice')).not.toBe(nameKey('alicf'));
	});
});
