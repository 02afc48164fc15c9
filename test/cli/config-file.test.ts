// The config file: a file with every key read into settings, each kind of bad
// file refused with one line naming the file, line and key, and flags over
// $CODECHAT_* over the file over the defaults.
import {mkdtempSync, mkdirSync, readFileSync, writeFileSync, chmodSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {defaultConfigPath, loadConfigFile, parseConfigText} from '../../source/cli/config-file.js';
import {commandsByFileName, withKeyOverrides} from '../../source/cli/config-keys.js';
import {lineOfKey} from '../../source/cli/config-lines.js';
import {resolveClientConfig} from '../../source/cli/config.js';
import type {FileSettings} from '../../source/cli/config-schema.js';
import {commandForKeys, keyBindings} from '../../source/ui/key-bindings.js';
import {decodeKey} from '../../source/ui/keys.js';

const FILE = '/home/ann/.config/codechat-tui/config.toml';
const HOME = '/home/ann';

const everyKey = `
# Every key the file takes.
host = "chat.example.com:7000"
user = "ann"
tls = true
tls-ca = "certs/ca.pem"
backlog = 200
highlight = ["deploy", "on call"]
ignore = ["spammer"]

[timestamps]
seconds = true
date-lines = true

[colours]
own-nick = "cyanBright"
mention = "#ff8800"

[keys]
scroll-page-up = ["PgUp", "Ctrl-B"]
open-editor = "Ctrl-X Ctrl-E"
newline = "Alt-Enter"

[notifications]
method = "osc777"

[display]
quiet-joins = false

[mouse]
wheel = true
`;

function settingsOf(text: string): FileSettings {
	const result = parseConfigText(text, FILE, HOME);
	if (!result.ok) throw new Error(result.error);
	return result.settings;
}

function errorOf(text: string): string {
	const result = parseConfigText(text, FILE, HOME);
	if (result.ok) throw new Error('the file was accepted');
	return result.error;
}

describe('a good config file', () => {
	it('reads every key', () => {
		expect(settingsOf(everyKey)).toEqual({
			host: {host: 'chat.example.com', port: 7000},
			user: 'ann',
			tls: true,
			// A relative path starts at the config file's directory.
			tlsCa: '/home/ann/.config/codechat-tui/certs/ca.pem',
			backlog: 200,
			highlight: ['deploy', 'on call'],
			ignore: ['spammer'],
			timestamps: {seconds: true, dateLines: true},
			colours: {ownNick: 'cyanBright', mention: '#ff8800'},
			keys: [
				{command: 'scrollPageUp', chords: [[{name: 'pageup'}], [{name: 'char', letter: 'b', ctrl: true}]]},
				{command: 'openEditor', chords: [[{name: 'char', letter: 'x', ctrl: true}, {name: 'char', letter: 'e', ctrl: true}]]},
				{command: 'newline', chords: [[{name: 'return', meta: true}]]},
			],
			notifications: {method: 'osc777'},
			display: {quietJoins: false},
			mouse: {wheel: true},
		});
	});

	it('is empty when empty, and reads ~/ as the home directory', () => {
		expect(settingsOf('')).toEqual({});
		expect(settingsOf('tls = true\ntls-ca = "~/ca.pem"\nport = 9000')).toEqual({tls: true, tlsCa: '/home/ann/ca.pem', port: 9000});
		expect(settingsOf('highlight = [" deploy "]')).toEqual({highlight: ['deploy']});
	});

	it('gives the keys it names to their commands, before the defaults', () => {
		const bindings = withKeyOverrides(keyBindings, settingsOf('[keys]\nscroll-page-up = "Ctrl-B"').keys!);
		const ctrlB = decodeKey('\x02');
		expect(commandForKeys([ctrlB], {inputEmpty: false}, bindings)).toEqual({kind: 'command', command: {type: 'scrollPageUp'}});
		// PgUp was only scroll-page-up's, which now has Ctrl-B alone.
		expect(commandForKeys([decodeKey('\x1b[5~')], {inputEmpty: false}, bindings)).toEqual({kind: 'none'});
		expect(commandForKeys([ctrlB], {inputEmpty: false})).toEqual({kind: 'command', command: {type: 'cursorLeft'}});
	});

	it('numbers room-by-number\'s keys by their place in its list, and takes a digit with Alt', () => {
		const bindings = withKeyOverrides(keyBindings, settingsOf('[keys]\nroom-by-number = ["Alt-Q", "Alt-W", "Alt-E"]\nroom-next = "Alt-0"').keys!);
		const context = {inputEmpty: true};
		expect(commandForKeys([decodeKey('\x1bq')], context, bindings)).toEqual({kind: 'command', command: {type: 'roomByNumber', number: 1}});
		expect(commandForKeys([decodeKey('\x1be')], context, bindings)).toEqual({kind: 'command', command: {type: 'roomByNumber', number: 3}});
		// Alt-1 was only room-by-number's.
		expect(commandForKeys([decodeKey('\x1b1')], context, bindings)).toEqual({kind: 'none'});
		expect(commandForKeys([decodeKey('\x1b0')], context, bindings)).toEqual({kind: 'command', command: {type: 'roomNext'}});
		expect(commandForKeys([decodeKey('\x1b3')], context)).toEqual({kind: 'command', command: {type: 'roomByNumber', number: 3}});
		expect(errorOf('[keys]\nroom-next = "7"')).toBe(`${FILE}:2: keys.room-next: "7" alone types the digit; give it with Alt-`);
		expect(errorOf('[keys]\nroom-next = "Ctrl-7"')).toBe(`${FILE}:2: keys.room-next: "Ctrl-7": a digit is a key with Alt- only; Ctrl and Shift with a digit reach us as other keys`);
	});

	it('takes a plain letter, as typed, for the keys that work only while searching', () => {
		const bindings = withKeyOverrides(keyBindings, settingsOf('[keys]\nsearch = "Ctrl-F"\nsearch-older = ["k", "↑"]\nsearch-newer = "J"').keys!);
		const searching = {inputEmpty: true, searching: true};
		expect(commandForKeys([decodeKey('k')], searching, bindings)).toEqual({kind: 'command', command: {type: 'searchOlder'}});
		expect(commandForKeys([decodeKey('J')], searching, bindings)).toEqual({kind: 'command', command: {type: 'searchNewer'}});
		// "↑" is the arrow, not a character.
		expect(commandForKeys([decodeKey('\x1b[A')], searching, bindings)).toEqual({kind: 'command', command: {type: 'searchOlder'}});
		// n is no longer theirs, j is not J, and outside a search the letters type.
		expect(commandForKeys([decodeKey('n')], searching, bindings)).toEqual({kind: 'command', command: {type: 'insert', text: 'n'}});
		expect(commandForKeys([decodeKey('j')], searching, bindings)).toEqual({kind: 'command', command: {type: 'insert', text: 'j'}});
		expect(commandForKeys([decodeKey('k')], {inputEmpty: true}, bindings)).toEqual({kind: 'command', command: {type: 'insert', text: 'k'}});
		expect(commandForKeys([decodeKey('\x06')], {inputEmpty: true}, bindings)).toEqual({kind: 'command', command: {type: 'search'}});
		expect(errorOf('[keys]\nsearch = "r"')).toBe(`${FILE}:2: keys.search: "r" alone types the letter; give it with Ctrl- or Alt-`);
	});
});

describe('the README', () => {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	const section = readme.slice(readme.indexOf('### Config file'), readme.indexOf('## Pipe mode'));

	it('shows an example file that is read without error, with every key', () => {
		const example = /```toml\n([\s\S]*?)```/.exec(section)![1]!;
		const settings = settingsOf(example);
		expect(Object.keys(settings).sort()).toEqual(['backlog', 'colours', 'display', 'highlight', 'host', 'ignore', 'insecure', 'keys', 'mouse', 'notifications', 'port', 'timestamps', 'tls', 'tlsCa', 'user']);
	});

	it('names every command [keys] takes', () => {
		for (const name of commandsByFileName.keys()) expect(section, name).toMatch(new RegExp(String.raw`\s${name}[,.]`));
	});
});

describe('a bad config file is one line naming the file, line and key', () => {
	it.each([
		['port = 70000', `${FILE}:1: port: must be a port number from 1 to 65535, not 70000`],
		['\nport = "7000"', `${FILE}:2: port: must be a port number from 1 to 65535, not "7000"`],
		['hots = "a"', `${FILE}:1: hots: unknown key "hots"; did you mean "host"? The keys here are host, port, user, tls, tls-ca, insecure, backlog, highlight, ignore, timestamps, colours, keys, notifications, display, mouse.`],
		['[timestamps]\nsecond = true', `${FILE}:2: timestamps.second: unknown key "second"; did you mean "seconds"? The keys here are seconds, date-lines.`],
		['[display]\nquiet-joins = "no"', `${FILE}:2: display.quiet-joins: must be true or false, not "no"`],
		['[timestamps]\nseconds = "yes"', `${FILE}:2: timestamps.seconds: must be true or false, not "yes"`],
		['user = "has space"', `${FILE}:1: user: "has space" is not a valid name`],
		['host = ":9"', `${FILE}:1: host: the host ":9" has a port but no host`],
		['host = "h:7000"\nport = 7001', `${FILE}:2: port: is 7001 but host says port 7000; give one`],
		['tls = true\ntls-ca = "ca.pem"\ninsecure = true', `${FILE}:3: insecure: checks no certificate, so tls-ca would do nothing; give one`],
		['insecure = true', `${FILE}:1: insecure: is for TLS: set tls = true too, or remove it`],
		['port = 1\ntls-ca = "ca.pem"', `${FILE}:2: tls-ca: is for TLS: set tls = true too, or remove it`],
		['backlog = 5000', `${FILE}:1: backlog: must be a number of messages from 0 to 1000, not 5000`],
		['highlight = "deploy"', `${FILE}:1: highlight: must be a list in [brackets], not "deploy"`],
		['highlight = ["ok", ""]', `${FILE}:1: highlight: item 2 is empty; give a word`],
		['highlight = ["a\\u001b[2Jb"]', `${FILE}:1: highlight: item 1 "a\\u001b[2Jb" holds a control or invisible character`],
		['ignore = ["ok", "b@d"]', `${FILE}:1: ignore: item 2 "b@d" is not a valid name`],
		['[colours]\nmention = "purple"', `${FILE}:2: colours.mention: must be a colour`],
		['[keys]\nscrol-page-up = "PgUp"', `${FILE}:2: keys.scrol-page-up: unknown command "scrol-page-up"; did you mean "scroll-page-up"? The commands are listed in the README.`],
		['[keys]\nsubmit = "x"', `${FILE}:2: keys.submit: "x" alone types the letter; give it with Ctrl- or Alt-`],
		['[keys]\nsubmit = "Ctrl-M"', `${FILE}:2: keys.submit: "Ctrl-M" reaches us as Enter; bind Enter instead`],
		['[keys]\nsubmit = "Hyper-A"', `${FILE}:2: keys.submit: "Hyper" in "Hyper-A" is not a modifier`],
		['[keys]\nsubmit = "F13"', `${FILE}:2: keys.submit: "F13" is not a key this client can bind`],
		['[keys]\nsubmit = "Ctrl-O"\nunfold = "Ctrl-O"', `${FILE}:3: keys.unfold: Ctrl-O is given to submit too; give each key to one command`],
		['[notifications]\nmethod = "loud"', `${FILE}:2: notifications.method: must be one of "auto", "osc777", "osc9", "bell", "off", not "loud"`],
		['timestamps = 3', `${FILE}:1: timestamps: must be a table, not 3`],
		['colours = {own-nick = "red", mention = 3}', `${FILE}:1: colours.mention: must be a colour`],
		['port = = 1', `${FILE}:1:8: port: not valid TOML: `],
		['a = "unclosed', `${FILE}:1:`],
		['user = "a"\nuser = "b"', `${FILE}:2:`],
	])('%j', (text, expected) => {
		const error = errorOf(text);
		expect(error.startsWith(expected) || error.includes(expected), error).toBe(true);
		expect(error).not.toContain('\n');
	});

	it('finds a key under its table, dotted or quoted, and not inside a multi-line string', () => {
		const text = 'motd = """\nport = 1\n"""\n[timestamps]\nseconds = 1\n["keys"]\nkeys."submit" = 1\nport = 2';
		expect(lineOfKey(text, ['timestamps', 'seconds'])).toBe(5);
		expect(lineOfKey(text, ['keys', 'keys', 'submit'])).toBe(7);
		expect(lineOfKey(text, ['keys', 'port'])).toBe(8);
		expect(lineOfKey(text, ['port'])).toBeUndefined();
		expect(lineOfKey('colours = {mention = 3}', ['colours', 'mention'])).toBe(1);
	});
});

describe('finding and reading the file', () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'codechat-config-'));
	afterAll(() => {
		rmSync(directory, {recursive: true, force: true});
	});

	it('looks in $XDG_CONFIG_HOME, else ~/.config (a relative $XDG_CONFIG_HOME is ignored)', () => {
		expect(defaultConfigPath({XDG_CONFIG_HOME: '/x'}, HOME)).toBe('/x/codechat-tui/config.toml');
		expect(defaultConfigPath({}, HOME)).toBe(FILE);
		expect(defaultConfigPath({XDG_CONFIG_HOME: 'relative'}, HOME)).toBe(FILE);
	});

	it('is no config when the default file is missing, an error when --config names a missing one', () => {
		expect(loadConfigFile(undefined, {XDG_CONFIG_HOME: directory}, HOME)).toEqual({ok: true, settings: {}, file: path.join(directory, 'codechat-tui', 'config.toml'), found: false});
		const missing = path.join(directory, 'nope.toml');
		expect(loadConfigFile(missing, {}, HOME)).toEqual({ok: false, error: `cannot read the config file ${missing}: there is no such file (given with --config)`});
		expect(loadConfigFile(directory, {}, HOME)).toMatchObject({ok: false, error: expect.stringContaining('it is a directory')});
	});

	it('reads the default file', () => {
		mkdirSync(path.join(directory, 'codechat-tui'));
		const file = path.join(directory, 'codechat-tui', 'config.toml');
		writeFileSync(file, 'user = "zed"\n');
		expect(loadConfigFile(undefined, {XDG_CONFIG_HOME: directory}, HOME)).toEqual({ok: true, settings: {user: 'zed'}, file, found: true});
		if (process.getuid?.() !== 0) {
			chmodSync(file, 0o000);
			expect(loadConfigFile(undefined, {XDG_CONFIG_HOME: directory}, HOME)).toMatchObject({ok: false, error: `cannot read the config file ${file}: permission denied`});
		}
	});
});

describe('precedence: flags, then $CODECHAT_*, then the file, then the defaults', () => {
	const file = settingsOf(everyKey);
	const resolve = (flags: Parameters<typeof resolveClientConfig>[0], environment = {}, settings = file) => {
		const result = resolveClientConfig(flags, environment, 'login', settings);
		if (!result.ok) throw new Error(result.error);
		return result.config;
	};

	it('takes the file over the defaults', () => {
		expect(resolve({})).toMatchObject({host: 'chat.example.com', port: 7000, user: 'ann', tls: {caFile: '/home/ann/.config/codechat-tui/certs/ca.pem', insecure: false}});
		expect(resolve({}).backlog).toBeUndefined();
		expect(resolve({}).ui).toEqual({
			backlog: 200,
			highlights: ['deploy', 'on call'],
			ignore: ['spammer'],
			timestamps: {seconds: true, dateLines: true},
			colours: {ownNick: 'cyanBright', mention: '#ff8800'},
			keys: file.keys,
			notify: 'osc777',
			quietJoins: false,
			mouseWheel: true,
		});
		expect(resolve({}, {}, {}).ui).toEqual({highlights: [], ignore: [], timestamps: {seconds: false, dateLines: false}, colours: {}, keys: [], notify: 'auto', quietJoins: true, mouseWheel: false});
	});

	it('takes the environment over the file, and flags over both', () => {
		expect(resolve({}, {CODECHAT_HOST: 'env.example', CODECHAT_USER: 'envy'})).toMatchObject({host: 'env.example', user: 'envy'});
		// The file's port was written into its host: another host does not take it.
		expect(resolve({}, {CODECHAT_HOST: 'env.example'}).port).toBe(8080);
		expect(resolve({host: 'flag.example', user: 'flagged', backlog: '5'}, {CODECHAT_HOST: 'env.example'})).toMatchObject({host: 'flag.example', user: 'flagged', backlog: 5});
		expect(resolve({port: '9000'})).toMatchObject({host: 'chat.example.com', port: 9000});
		// A port = key is a default port for any host.
		expect(resolve({host: 'other'}, {}, settingsOf('port = 7100'))).toMatchObject({host: 'other', port: 7100});
		// --highlight adds to the file's words.
		expect(resolve({highlight: ['release ', 'deploy']}).ui.highlights).toEqual(['deploy', 'on call', 'release']);
	});

	it('lets a TLS flag win over the file\'s opposite, and --serve host a plain room', () => {
		expect(resolve({tls: true, insecure: true}).tls).toEqual({caFile: undefined, insecure: true});
		expect(resolve({tls: true, tlsCa: 'mine.pem'}, {}, settingsOf('tls = true\ninsecure = true')).tls).toEqual({caFile: 'mine.pem', caSource: '--tls-ca', insecure: false});
		// A CA from the file says so when it cannot be read.
		expect(resolve({tls: true}, {}, settingsOf('tls = true\ntls-ca = "theirs.pem"')).tls).toEqual({caFile: '/home/ann/.config/codechat-tui/theirs.pem', caSource: 'tls-ca in the config file', insecure: false});
		const hosting = resolve({serve: true});
		expect(hosting.tls).toBeUndefined();
		expect(hosting.host).toBe('127.0.0.1');
		expect(hosting.user).toBe('ann');
	});

	it('refuses an empty --highlight', () => {
		expect(resolveClientConfig({highlight: [' ']}, {}, 'login')).toEqual({ok: false, error: '--highlight needs a word'});
	});
});
