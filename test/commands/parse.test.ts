import {describe, expect, it} from 'vitest';
import {interpretLine, parseLine} from '../../source/commands/parse.js';
import {unsupported} from '../../source/commands/types.js';
import {createRegistry, defaultRegistry} from '../../source/commands/registry.js';
import {MAX_MESSAGE_CHARS} from '../../source/protocol/limits.js';

const context = {me: 'alice', roster: ['alice', 'bob', 'Carol'], supports: () => false};

describe('parseLine', () => {
	it('treats plain text as a message', () => {
		expect(parseLine('hello')).toEqual({kind: 'message', text: 'hello'});
	});

	it('sends "//text" as "/text"', () => {
		expect(parseLine('//text')).toEqual({kind: 'message', text: '/text'});
		expect(interpretLine('//quit now', context)).toEqual({type: 'send', text: '/quit now'});
	});

	it('finds commands by name and alias, case-insensitively', () => {
		const rename = parseLine('/rename bob2');
		expect(rename.kind === 'command' && rename.command.name).toBe('rename');
		const nick = parseLine('/NICK bob2');
		expect(nick.kind === 'command' && nick.command.name).toBe('rename');
		expect(nick.kind === 'command' && nick.args).toBe('bob2');
	});

	it('says an unknown command is unknown and sends nothing', () => {
		const parsed = parseLine('/frobnicate x');
		expect(parsed.kind).toBe('error');
		expect(parsed.kind === 'error' && parsed.text).toContain('unknown command /frobnicate');
		expect(interpretLine('/frobnicate x', context)?.type).toBe('error');
	});

	it('rejects a bare slash', () => {
		expect(parseLine('/').kind).toBe('error');
		expect(parseLine('/ hi').kind).toBe('error');
	});

	it('ignores a blank line', () => {
		expect(parseLine('   ')).toEqual({kind: 'empty'});
		expect(interpretLine('', context)).toBeUndefined();
	});

	it('keeps newlines in a message and in arguments', () => {
		expect(interpretLine('line one\nline two', context)).toEqual({type: 'send', text: 'line one\nline two'});
		expect(parseLine('/quit see\nyou')).toMatchObject({kind: 'command', args: 'see\nyou'});
	});

	it('refuses a message over the limit locally', () => {
		const descriptor = interpretLine('x'.repeat(MAX_MESSAGE_CHARS + 1), context);
		expect(descriptor).toMatchObject({type: 'error'});
		expect(interpretLine('x'.repeat(MAX_MESSAGE_CHARS), context)?.type).toBe('send');
	});
});

describe('commands', () => {
	it('/rename checks the name before anything is sent', () => {
		expect(interpretLine('/rename bob.2', context)).toEqual({type: 'rename', newname: 'bob.2'});
		expect(interpretLine('/nick bad name!', context)).toMatchObject({type: 'error'});
		expect(interpretLine('/rename', context)).toEqual({type: 'error', text: 'usage: /rename NAME'});
		expect(interpretLine(`/rename ${'a'.repeat(33)}`, context)).toMatchObject({type: 'error'});
		expect(interpretLine('/rename \x1b[31m', context)).toMatchObject({type: 'error'});
	});

	it('/rename refuses a name someone else has, but allows a change of case of your own', () => {
		expect(interpretLine('/rename BOB', context)).toMatchObject({type: 'error'});
		expect(interpretLine('/rename Alice', context)).toEqual({type: 'rename', newname: 'Alice'});
		expect(interpretLine('/rename alice', context)).toMatchObject({type: 'info'});
	});

	it('/rename says whose name a look-alike is, and which letters make it one', () => {
		const room = {me: 'bob', roster: ['bob', 'alicia', 'Carol'], supports: () => false};
		expect(interpretLine('/rename alicia', room)).toEqual({type: 'error', text: 'cannot rename: alicia is already in the room'});
		// A Cyrillic а draws as a Latin a: the line must not claim the name as typed is in the room.
		expect(interpretLine('/rename \u0430licia', room)).toEqual({
			type: 'error',
			text: 'cannot rename: \u0430licia looks like alicia, who is in the room (U+0430 in place of "a"); choose another name',
		});
		expect(interpretLine('/rename carol', room)).toEqual({
			type: 'error',
			text: 'cannot rename: carol looks like Carol, who is in the room (it differs only in capitals); choose another name',
		});
		expect(interpretLine('/rename lj', {me: 'bob', roster: ['bob', '\u01c9'], supports: () => false})).toMatchObject({
			text: 'cannot rename: lj looks like \u01c9, who is in the room (names that look alike count as one); choose another name',
		});
	});

	it('/who and /names refresh the roster', () => {
		expect(interpretLine('/who', context)).toEqual({type: 'who'});
		expect(interpretLine('/names', context)).toEqual({type: 'who'});
	});

	it('/quit and /exit carry an optional reason', () => {
		expect(interpretLine('/quit', context)).toEqual({type: 'quit'});
		expect(interpretLine('/exit gone fishing', context)).toEqual({type: 'quit', reason: 'gone fishing'});
	});

	it('/clear and /reconnect', () => {
		expect(interpretLine('/clear', context)).toEqual({type: 'clear'});
		expect(interpretLine('/reconnect', context)).toEqual({type: 'reconnect'});
	});

	it('/help lists every command and explains one', () => {
		const all = interpretLine('/help', context);
		expect(all?.type).toBe('help');
		for (const command of defaultRegistry.commands) {
			expect(all?.type === 'help' && all.text).toContain(command.usage);
		}
		// Without keys (pipe mode) there is no key list; with them, each line is listed.
		expect(all?.type === 'help' && all.text).not.toContain('Keys:');
		const keys = [{keys: 'PgUp', does: 'scroll up a page'}];
		expect(interpretLine('/help', {...context, keys})).toMatchObject({type: 'help', text: expect.stringContaining('/help keys lists the keys')});
		expect(interpretLine('/help keys', {...context, keys})).toEqual({type: 'help', text: 'Keys:\n  PgUp  scroll up a page'});
		const one = interpretLine('/help /nick', context);
		expect(one).toMatchObject({type: 'help'});
		expect(one?.type === 'help' && one.text).toContain('/rename NAME');
		expect(interpretLine('/help nope', context)).toMatchObject({type: 'error'});
	});
});

describe('registry', () => {
	it('completes command names and aliases', () => {
		expect(defaultRegistry.complete('/re')).toEqual(['/reconnect', '/register', '/rename']);
		expect(defaultRegistry.complete('/n')).toEqual(['/names', '/nick']);
		expect(defaultRegistry.complete('/zz')).toEqual([]);
	});

	it('refuses two commands under one name', () => {
		const command = defaultRegistry.lookup('who')!;
		expect(() => createRegistry([command, {...command, name: 'other', altNames: ['who']}])).toThrow(/twice/);
	});
});

describe('unsupported: a command for an extension the server did not list', () => {
	it('says so in one line and sends nothing; with the feature it lets the command go on', () => {
		expect(unsupported({...context, commands: [], supports: () => false}, 'rooms', '/join')).toEqual({
			type: 'error', text: '/join: this server does not support rooms (it did not list it when we connected)',
		});
		expect(unsupported({...context, commands: [], supports: feature => feature === 'rooms'}, 'rooms', '/join')).toBeUndefined();
	});
});
