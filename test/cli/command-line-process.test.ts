// The built CLI's process on bad or odd command lines: help and version from
// anywhere, and each refusal one line on stderr with exit 2, never a stack
// trace and never a connection or a listening server. The cases come from the
// flag table, so a new flag or exclusion is covered without a new test.
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {exclusiveFlags, flagDefinitions, flagNames, flagUse, isRepeatable, optionName, type CommandName, type FlagName} from '../../source/cli/flags.js';
import {cliPath} from '../helpers/pty.js';

function run(args: string[]) {
	// stdin is closed: if the CLI went on to connect, pipe mode would end at once, and not with exit 2.
	return spawnSync(process.execPath, [cliPath, ...args], {input: '', encoding: 'utf8', timeout: 20_000, env: {...process.env, CODECHAT_PORT: '1'}});
}

/** One line on stderr, ending with where the options of the command asked for are listed; exit 2. */
function expectUsageError(args: string[], message: string): void {
	const result = run(args);
	const help = args[0] === 'serve' ? 'codechat-tui serve --help' : 'codechat-tui --help';
	expect(result.stderr).toBe(`codechat-tui: ${message} (see ${help})\n`);
	expect(result.status).toBe(2);
	expect(result.stdout).toBe('');
}

const commandWord = (command: CommandName): string[] => (command === 'serve' ? ['serve'] : []);
const written = (name: FlagName): string[] => (flagDefinitions[name].type === 'boolean' ? [optionName(name)] : [optionName(name), '1']);
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

describe('help and version anywhere', () => {
	it('prints the help, not a connection, for --port 9499 --help', () => {
		const result = run(['--port', '9499', '--help']);
		expect(result.status).toBe(0);
		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('Usage');
		expect(result.stdout).toContain('--host HOST[:PORT]');
		expect(result.stdout).not.toContain('cannot reach');
	});

	it('prints the server\'s own help for serve --help, and listens nowhere', () => {
		const result = run(['serve', '--port', '8080', '--help']);
		expect(result.status).toBe(0);
		expect(result.stderr).toBe('');
		expect(result.stdout).toContain('$ codechat-tui serve [options]');
		for (const flag of ['--max-frame BYTES', '--tls-cert FILE', '--redis URL']) expect(result.stdout).toContain(flag);
		expect(result.stdout).not.toContain('--user');
	});

	it('prints the version wherever --version is', () => {
		const {version} = JSON.parse(readFileSync(path.join(path.dirname(cliPath), '../package.json'), 'utf8')) as {version: string};
		for (const args of [['--version'], ['--user', 'al', '--version'], ['serve', '--version']]) {
			const result = run(args);
			expect(result.status).toBe(0);
			expect(result.stdout).toBe(`${version}\n`);
		}
	});
});

describe('refusals', () => {
	const eachUse = flagNames.filter(name => !isRepeatable(name)).flatMap(name => (['join', 'serve'] as const).filter(command => flagUse(name, command) !== undefined).map(command => [optionName(name), command, name] as const));

	it.each(eachUse)('%s given twice (%s) is one line and exit 2', (option, command, name) => {
		expectUsageError([...commandWord(command), ...withCompanions([name], command), ...written(name)], `${option} is given twice; give it once`);
	});

	it.each(exclusiveFlags.map(({flags, why}) => [...flags, why] as const))('%s with %s is one line and exit 2', (first, second, why) => {
		expectUsageError(withCompanions([first, second], 'join'), `${optionName(first)} and ${optionName(second)} exclude each other: ${why}`);
	});

	it.each([
		[['--json=yes'], '--json takes no value, got "yes"'],
		[['--host'], '--host needs a value (--host=VALUE for one that starts with -)'],
		[['serve', '--tls-key', 'k.pem'], '--tls-key goes with --tls-cert'],
		[['serve', '--json'], '--json is a client option; the serve command does not take it'],
		[['serve', '--user', 'x'], '--user is a client option; the serve command does not take it'],
		[['serve', '--port', 'many'], '--port must be a port number from 1 to 65535, not "many"'],
	])('%j is one line and exit 2', (args, message) => {
		expectUsageError(args, message);
	});
});
