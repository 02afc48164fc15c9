import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {IgnoreStore, IgnoreStoreError} from '../../source/cli/ignore-store.js';
import {toJsonLine, toPlainLine} from '../../source/cli/pipe-output.js';
import {interpretLine} from '../../source/commands/parse.js';
import type {CommandContext, CommandDescriptor} from '../../source/commands/types.js';
import type {RosterSnapshot} from '../../source/protocol/roster.js';
import {ignoreAction, IgnoreList} from '../../source/ui/ignore-list.js';
import {entryRows} from '../../source/ui/pane-layout.js';
import {whoisLine} from '../../source/ui/whois.js';

type Context = Omit<CommandContext, 'commands'>;
const withPresence: Context = {me: 'alice', roster: ['alice', 'bob'], supports: () => true};
const seed: Context = {...withPresence, supports: () => false};
const errorText = (descriptor: CommandDescriptor | undefined) => (descriptor?.type === 'error' ? descriptor.text : `not an error: ${JSON.stringify(descriptor)}`);

describe('/me and /away', () => {
	it('/me sends the text as an action; empty or too long is a local error', () => {
		expect(interpretLine('/me  waves hello ', withPresence)).toEqual({type: 'action', text: 'waves hello'});
		expect(errorText(interpretLine('/me', withPresence))).toBe('usage: /me TEXT');
		expect(errorText(interpretLine(`/me ${'x'.repeat(5000)}`, withPresence))).toMatch(/^\/me: /);
	});

	it('/away keeps one cleaned line; /away alone and /back are back', () => {
		expect(interpretLine('/away lunch\nthen a walk', withPresence)).toEqual({type: 'away', reason: 'lunch then a walk'});
		expect(interpretLine(`/away ${'y'.repeat(300)}`, withPresence)).toEqual({type: 'away', reason: 'y'.repeat(256)});
		expect(interpretLine('/away', withPresence)).toEqual({type: 'away', reason: ''});
		expect(interpretLine('/back', withPresence)).toEqual({type: 'away', reason: ''});
	});

	it('on a server without presence, refuses in one line and sends nothing', () => {
		for (const line of ['/me waves', '/away lunch', '/back']) {
			expect(errorText(interpretLine(line, seed))).toMatch(/: this server does not support presence/);
		}
	});
});

describe('/whois', () => {
	const roster: RosterSnapshot = {
		me: 'alice',
		complete: true,
		users: [
			{name: 'alice', isMe: true, gone: false, namesake: false},
			{name: 'bob', isMe: false, gone: false, namesake: false, away: 'lunch', account: true},
			{name: 'carol', isMe: false, gone: false, namesake: false},
		],
	};

	it('says account or guest, and the away reason', () => {
		expect(interpretLine('/whois Bob', withPresence)).toEqual({type: 'whois', name: 'Bob'});
		expect(whoisLine('Bob', roster, false)).toBe('bob: logged in to an account, away: lunch');
		expect(whoisLine('carol', roster, true)).toBe('carol: a guest, here; you ignore them');
		expect(whoisLine('dave', roster, false)).toBe('dave is not here');
		expect(errorText(interpretLine('/whois', withPresence))).toBe('usage: /whois NAME');
	});
});

describe('/ignore', () => {
	const freshStore = () => new IgnoreStore(path.join(mkdtempSync(path.join(tmpdir(), 'codechat-ignore-')), 'codechat-tui'));

	it('adds, lists with hidden counts, and removes; the config file names stay', () => {
		const store = freshStore();
		const list = new IgnoreList(['Mallory'], store.read(), store);
		expect(interpretLine('/ignore bob', withPresence)).toEqual({type: 'ignore', action: {kind: 'add', name: 'bob'}});
		expect(interpretLine('/ignore', withPresence)).toEqual({type: 'ignore', action: {kind: 'list'}});
		expect(ignoreAction({kind: 'add', name: 'bob'}, list, 'me', 0)).toMatchObject({type: 'info', text: expect.stringContaining('ignoring bob')});
		expect(ignoreAction({kind: 'add', name: 'BOB'}, list, 'me', 0)).toMatchObject({type: 'error', text: 'you ignore BOB already'});
		expect(list.has('Bob')).toBe(true);
		expect(list.has('mallory')).toBe(true);
		list.hid('bob');
		list.hid('bob');
		expect(ignoreAction({kind: 'list'}, list, 'me', 0)).toMatchObject({text: 'Ignored (2): Mallory (config file), bob (2 hidden)'});
		expect(ignoreAction({kind: 'remove', name: 'mallory'}, list, 'me', 0)).toMatchObject({type: 'error', text: expect.stringContaining('config file')});
		expect(ignoreAction({kind: 'remove', name: 'bob'}, list, 'me', 0)).toMatchObject({type: 'info', text: 'no longer ignoring bob'});
		expect(list.has('bob')).toBe(false);
	});

	it('keeps the list in a 0600 file, written whole, read back name by name', () => {
		const store = freshStore();
		new IgnoreList([], [], store).add('bob');
		expect(statSync(store.file).mode & 0o777).toBe(0o600);
		expect(statSync(path.dirname(store.file)).mode & 0o777).toBe(0o700);
		expect(JSON.parse(readFileSync(store.file, 'utf8'))).toEqual({ignore: ['bob']});
		expect(new IgnoreList([], store.read()).has('bob')).toBe(true);
		// A hand-edited file cannot smuggle a name the protocol refuses.
		writeFileSync(store.file, JSON.stringify({ignore: ['ok', 'bad\u0007name', 7]}));
		expect(store.read()).toEqual(['ok']);
		writeFileSync(store.file, 'not json');
		expect(() => store.read()).toThrow(IgnoreStoreError);
	});
});

describe('how an action shows', () => {
	it('is "* user text" in the pane, in plain pipe output, and carries action in NDJSON', () => {
		const rows = entryRows({kind: 'chat', id: 1, time: 0, user: 'bob', text: 'waves', own: false, mention: false, action: true}, 'alice', 60);
		expect(rows.map(row => row.map(segment => segment.text).join('')).join('\n')).toMatch(/^\S+ \* bob waves$/);
		const event = {type: 'message', user: 'bob\u001b[31m', text: 'waves', time: '2026-01-01T00:00:00.000Z', action: true} as const;
		expect(toPlainLine(event)).toMatch(/^\S+ \* bob.*waves\n$/);
		expect(toPlainLine(event)).not.toContain('\u001b');
		expect(JSON.parse(toJsonLine(event))).toMatchObject({type: 'message', action: true});
	});
});
