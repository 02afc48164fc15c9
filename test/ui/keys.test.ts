import {describe, expect, it} from 'vitest';
import {commandForKey, commandForKeys, commandHelp, keyHelp} from '../../source/ui/key-bindings.js';
import {helpCommand} from '../../source/commands/help-command.js';
import {builtinCommands} from '../../source/commands/registry.js';
import {decodeKey} from '../../source/ui/keys.js';
import {InputStream} from '../../source/ui/input-stream.js';

const bind = (sequence: string, inputEmpty = false) => commandForKey(decodeKey(sequence), {inputEmpty})?.type;

describe('decodeKey', () => {
	it('decodes plain keys', () => {
		expect(decodeKey('\r').name).toBe('return');
		expect(decodeKey('\t').name).toBe('tab');
		expect(decodeKey('\x7f').name).toBe('backspace');
		expect(decodeKey('\x1b').name).toBe('escape');
		expect(decodeKey('héllo')).toMatchObject({name: 'text', text: 'héllo'});
	});

	it('decodes Ctrl and Alt letters', () => {
		expect(decodeKey('\x17')).toMatchObject({name: 'char', ctrl: true, text: 'w'});
		expect(decodeKey('\x1bb')).toMatchObject({name: 'char', meta: true, text: 'b'});
	});

	it('decodes CSI and SS3 keys with modifiers', () => {
		expect(decodeKey('\x1b[A')).toMatchObject({name: 'up', shift: false});
		expect(decodeKey('\x1b[1;2A')).toMatchObject({name: 'up', shift: true});
		expect(decodeKey('\x1b[1;5H')).toMatchObject({name: 'home', ctrl: true});
		expect(decodeKey('\x1b[5~').name).toBe('pageup');
		expect(decodeKey('\x1b[6~').name).toBe('pagedown');
		expect(decodeKey('\x1b[3~').name).toBe('delete');
		expect(decodeKey('\x1bOH').name).toBe('home');
		expect(decodeKey('\x1b\x1b[D')).toMatchObject({name: 'left', meta: true});
		expect(decodeKey('\x1b[200~').name).toBe('pasteStart');
		expect(decodeKey('\x1b[99x').name).toBe('unknown');
	});
});

describe('commandForKey', () => {
	it('maps editing keys', () => {
		expect(bind('a')).toBe('insert');
		expect(bind('\r')).toBe('submit');
		expect(bind('\x1b\r')).toBe('newline');
		expect(bind('\x01')).toBe('cursorHome');
		expect(bind('\x05')).toBe('cursorEnd');
		expect(bind('\x17')).toBe('deleteWordBefore');
		expect(bind('\x15')).toBe('killToStart');
		expect(bind('\x0b')).toBe('killToEnd');
		expect(bind('\x1bb')).toBe('wordLeft');
		expect(bind('\x1bf')).toBe('wordRight');
		expect(bind('\x1b[3~')).toBe('deleteForward');
		expect(bind('\t')).toBe('complete');
		expect(bind('\x1b[Z')).toBe('completeBackwards');
		expect(bind('\x0f')).toBe('unfold');
	});

	it('Ctrl-X Ctrl-E is a chord: Ctrl-X waits, Ctrl-E then opens the editor', () => {
		const ctrlX = decodeKey('\x18');
		const ctrlE = decodeKey('\x05');
		expect(commandForKeys([ctrlX], {inputEmpty: false})).toEqual({kind: 'prefix'});
		expect(commandForKeys([ctrlX, ctrlE], {inputEmpty: false})).toEqual({kind: 'command', command: {type: 'openEditor'}});
		expect(commandForKeys([ctrlX, decodeKey('q')], {inputEmpty: false})).toEqual({kind: 'none'});
		// Alone, Ctrl-E is still the end of the line.
		expect(bind('\x05')).toBe('cursorEnd');
	});

	it('/help lists every bound command from the same table, with its keys', () => {
		const help = helpCommand.action('keys', {me: 'alice', roster: [], commands: builtinCommands, keys: keyHelp(), supports: () => false});
		expect(help.type).toBe('help');
		const text = (help as {text: string}).text;
		for (const does of Object.values(commandHelp)) expect(text).toContain(does);
		expect(text).toMatch(/Ctrl-X Ctrl-E +edit the message in \$VISUAL/);
		expect(text).toMatch(/Shift-Tab +the same, cycling backwards/);
		expect(text).toMatch(/Home \(empty line\)/);
	});

	it('maps scrolling keys', () => {
		expect(bind('\x1b[5~')).toBe('scrollPageUp');
		expect(bind('\x1b[6~')).toBe('scrollPageDown');
		expect(bind('\x1b[1;2A')).toBe('scrollLineUp');
		expect(bind('\x1b[1;2B')).toBe('scrollLineDown');
		expect(bind('\x1b[A')).toBe('rowUp');
		expect(bind('\x1b[B')).toBe('rowDown');
		expect(bind('\x10')).toBe('historyPrev');
		expect(bind('\x0e')).toBe('historyNext');
	});

	it('Home/End edit the line, or scroll with Ctrl or on an empty line', () => {
		expect(bind('\x1b[H')).toBe('cursorHome');
		expect(bind('\x1b[H', true)).toBe('scrollTop');
		expect(bind('\x1b[1;5H')).toBe('scrollTop');
		expect(bind('\x1b[F')).toBe('cursorEnd');
		expect(bind('\x1b[4~', true)).toBe('scrollBottom');
		expect(bind('\x1b[1;5F')).toBe('scrollBottom');
	});

	it('Ctrl-C interrupts, Ctrl-D is end of input', () => {
		expect(bind('\x03')).toBe('interrupt');
		expect(bind('\x04')).toBe('eof');
	});
});

describe('InputStream', () => {
	it('assembles a bracketed paste over several events into one paste', () => {
		const stream = new InputStream();
		expect(stream.push('\x1b[200~')).toEqual([]);
		expect(stream.push('line one\rline')).toEqual([]);
		expect(stream.push(' two\r')).toEqual([]);
		expect(stream.push('\x1b[201~')).toEqual([{kind: 'paste', text: 'line one\rline two\r'}]);
		expect(stream.push('x')).toMatchObject([{kind: 'key', key: {name: 'text', text: 'x'}}]);
	});

	it('keeps escape sequences inside a paste as text, not keys', () => {
		const stream = new InputStream();
		stream.push('\x1b[200~');
		stream.push('\x1b[A');
		expect(stream.push('\x1b[201~')).toEqual([{kind: 'paste', text: '\x1b[A'}]);
	});

	it('only a bracketed paste is a paste: text and Enter in one read are separate keys, in order', () => {
		const items = new InputStream().push('one\rtwo\rthree\r');
		expect(items.map(item => (item.kind === 'key' ? `${item.key.name}:${item.key.text}` : 'paste'))).toEqual([
			'text:one', 'return:', 'text:two', 'return:', 'text:three', 'return:',
		]);
	});

	it('splits keys sent together: control characters are keys of their own', () => {
		const names = (chunk: string) => new InputStream().push(chunk).map(item => (item.kind === 'key' ? item.key.name : 'paste'));
		expect(names('bo\t')).toEqual(['text', 'tab']);
		expect(names('\x15\x04')).toEqual(['char', 'char']);
		expect(names('abc\x7f\x7fd')).toEqual(['text', 'backspace', 'backspace', 'text']);
		expect(names('hi\r\n')).toEqual(['text', 'return']);
	});

	it('text followed only by Enter is typing plus Enter', () => {
		const items = new InputStream().push('hello\r');
		expect(items.map(item => (item.kind === 'key' ? item.key.name : 'paste'))).toEqual(['text', 'return']);
	});
});
