// The command line, read from argv: help and version anywhere, each flag once,
// and every combination the flag table forbids refused with one line.
import {describe, expect, it} from 'vitest';
import {parseCommandLine} from '../../source/cli/command-line.js';
import {exclusiveFlags, flagNames, flagUse, flagDefinitions, isRepeatable, optionName, type CommandName, type FlagName} from '../../source/cli/flags.js';
import {helpText} from '../../source/cli/help-text.js';
import {DEFAULT_SERVER_OPTIONS} from '../../source/server/options.js';

const commands: CommandName[] = ['join', 'serve'];
/** What a flag looks like on the command line, with a value when it takes one. */
const written = (name: FlagName): string[] => (flagDefinitions[name].type === 'boolean' ? [optionName(name)] : [optionName(name), 'x']);
const commandWord = (command: CommandName): string[] => (command === 'serve' ? ['serve'] : []);
/** The flags, with whatever they need beside them for this command, each once. */
function withCompanions(names: FlagName[], command: CommandName): string[] {
	const all = new Set<FlagName>();
	const add = (name: FlagName) => {
		if (all.has(name)) return;
		all.add(name);
		const needs = flagUse(name, command)?.needs;
		if (needs !== undefined) add(needs);
	};

	for (const name of names) add(name);
	return [...all].flatMap(name => written(name));
}

describe('help and version', () => {
	it.each([
		[['--help'], 'join'],
		[['--port', '9499', '--help'], 'join'],
		[['--host', '--help'], 'join'],
		[['--frobnicate', '--help'], 'join'],
		[['serve', '--help'], 'serve'],
		[['--help', 'serve', '--port', '1', '--port', '2'], 'serve'],
	])('%j asks for help on %s', (argv, command) => {
		expect(parseCommandLine(argv)).toEqual({kind: 'help', command});
	});

	it('finds --version anywhere, and not after --', () => {
		expect(parseCommandLine(['--user', 'a', '--version'])).toEqual({kind: 'version'});
		expect(parseCommandLine(['serve', '--version'])).toEqual({kind: 'version'});
		expect(parseCommandLine(['--', '--version'])).toMatchObject({kind: 'error', message: 'unknown command "--version"; the commands are serve and config'});
	});

	it('lists each command\'s flags, with the defaults the server uses', () => {
		for (const command of commands) {
			const text = helpText(command);
			for (const name of flagNames) {
				expect(text.includes(`    ${optionName(name)} `) || text.includes(`    ${optionName(name)}\n`), `${optionName(name)} in ${command} help`).toBe(flagUse(name, command) !== undefined);
			}
		}

		const serve = helpText('serve');
		expect(serve).toContain(`--max-frame BYTES   largest frame accepted (default ${DEFAULT_SERVER_OPTIONS.maxFrameBytes})`);
		expect(serve).toContain(`(default ${DEFAULT_SERVER_OPTIONS.maxClients})`);
		expect(serve).not.toContain('--user');
		for (const line of [...helpText('join').split('\n'), ...serve.split('\n')]) expect(line.length).toBeLessThanOrEqual(90);
	});
});

describe('flags', () => {
	it('reads both ways of giving a value, and the serve command anywhere', () => {
		expect(parseCommandLine(['--port=9000', '--user', 'al'])).toEqual({kind: 'run', command: 'join', flags: {port: '9000', user: 'al'}});
		expect(parseCommandLine(['--rate', '0', 'serve'])).toEqual({kind: 'run', command: 'serve', flags: {rate: '0'}});
		expect(parseCommandLine(['serve', '--rate', '-1'])).toEqual({kind: 'run', command: 'serve', flags: {rate: '-1'}});
	});

	it.each([
		[['--frobnicate'], 'unknown option --frobnicate'],
		[['-x'], 'unknown option -x'],
		[['--no-json'], 'unknown option --no-json'],
		[['--json=yes'], '--json takes no value, got "yes"'],
		[['--host'], '--host needs a value (--host=VALUE for one that starts with -)'],
		[['--host', '--port', '9'], '--host needs a value'],
		[['lunch'], 'unknown command "lunch"; the commands are serve and config'],
		[['serve', 'now'], 'serve takes no arguments, got "now"'],
		[['--rate', '0'], '--rate goes with --serve (or the serve command)'],
		[['--insecure'], '--insecure goes with --tls'],
		[['serve', '--tls-cert', 'a.pem'], '--tls-cert goes with --tls-key'],
		[['serve', '--user', 'x'], '--user is a client option; the serve command does not take it'],
		[['--redis', 'redis://x'], '--redis is for the serve command'],
	])('refuses %j', (argv, message) => {
		const result = parseCommandLine(argv);
		expect(result.kind).toBe('error');
		expect(result.kind === 'error' ? result.message : '').toContain(message);
	});

	// From the table, so a new flag is covered without a new test.
	const eachUse = flagNames.filter(name => !isRepeatable(name)).flatMap(name => commands.filter(command => flagUse(name, command) !== undefined).map(command => [optionName(name), command, name] as const));

	it.each(eachUse)('accepts %s once and refuses it twice, unless repeatable (%s)', (_option, command, name) => {
		const once = [...commandWord(command), ...withCompanions([name], command)];
		expect(parseCommandLine(once)).toMatchObject({kind: 'run', command});
		const twice = [...once, ...written(name)];
		if (isRepeatable(name)) expect(parseCommandLine(twice)).toMatchObject({kind: 'run', command, flags: {[name]: [expect.any(String), expect.any(String)]}});
		else expect(parseCommandLine(twice)).toEqual({kind: 'error', command, message: `${optionName(name)} is given twice; give it once`});
	});

	it('keeps each --highlight, in order', () => {
		expect(parseCommandLine(['--highlight', 'deploy', '--highlight=on call'])).toMatchObject({kind: 'run', flags: {highlight: ['deploy', 'on call']}});
	});

	it.each(exclusiveFlags.map(({flags}) => flags))('refuses %s with %s', (first, second) => {
		for (const argv of [withCompanions([first, second], 'join'), withCompanions([second, first], 'join')]) {
			expect(parseCommandLine(argv)).toMatchObject({kind: 'error', message: expect.stringContaining(`${optionName(first)} and ${optionName(second)} exclude each other: `)});
		}
	});

	it('each flag a command does not take is refused by that command', () => {
		for (const name of flagNames) {
			for (const command of commands) {
				if (flagUse(name, command) !== undefined) continue;
				expect(parseCommandLine([...commandWord(command), ...written(name)]).kind, `${optionName(name)} with ${command}`).toBe('error');
			}
		}
	});
});
