// argv to what to do: help, version, or a command with its flags, or the one
// line that says what is wrong with them. Pure: nothing is read or started.
// Node's parseArgs tokenises (so `--port=1` and `--port 1` are one thing);
// the rules (once each, which command takes what, what needs what) are ours,
// read from the flag table.
import {parseArgs} from 'node:util';
import {ACCOUNT_ACTIONS, type AccountAction} from '../server/accounts/account-actions.js';
import {exclusiveFlags, flagDefinitions, flagNames, flagUse, isRepeatable, optionName, type CommandLineFlags, type CommandName, type FlagName} from './flags.js';

export type CommandLine =
	| {kind: 'help'; command: CommandName}
	| {kind: 'version'}
	| {kind: 'run'; command: CommandName; flags: CommandLineFlags}
	/** `serve --data DIR account add|reset|delete NAME`, or with `--redis URL`: exactly one of the two is set. */
	| {kind: 'account'; action: AccountAction; name: string; data?: string; redis?: string}
	/** `config`: print the settings the client would start with, and where each comes from. Takes the client's flags. */
	| {kind: 'config'; flags: CommandLineFlags}
	/** `command`: the command the line asked for, whose --help the hint names. */
	| {kind: 'error'; command: CommandName; message: string};

/** What a refusal ends with: where the options of `command` are listed. */
export function helpHint(command: CommandName): string {
	return command === 'serve' ? '(see codechat-tui serve --help)' : '(see codechat-tui --help)';
}

const byOptionName = new Map<string, FlagName>(flagNames.map(name => [optionName(name).slice(2), name]));
const parseOptions = Object.fromEntries(flagNames.map(name => [optionName(name).slice(2), {type: flagDefinitions[name].type}]));

/** A value that is really the next option: `--host --port 9` forgot the host. */
const looksLikeOption = (value: string) => /^--?[a-z]/i.test(value);

class CommandLineError extends Error {}

export function parseCommandLine(argv: readonly string[]): CommandLine {
	const end = argv.indexOf('--');
	const options = end === -1 ? argv : argv.slice(0, end);
	// Asking for help or the version wins over everything else on the line.
	const help = options.includes('--help');
	if (!help && options.includes('--version')) return {kind: 'version'};
	const {tokens} = parseArgs({args: [...argv], options: parseOptions, strict: false, allowPositionals: true, tokens: true});
	const positionals = tokens.flatMap(token => (token.kind === 'positional' ? [token.value] : []));
	const command: CommandName = positionals[0] === 'serve' ? 'serve' : 'join';
	if (help) return {kind: 'help', command};
	try {
		const flags = readFlags(tokens, argv);
		if (positionals[0] === 'serve' && positionals[1] === 'account') return accountCommand(positionals.slice(2), flags);
		if (positionals[0] === 'config') {
			if (positionals.length > 1) throw new CommandLineError(`config takes no arguments, got "${positionals.slice(1).join(' ')}"`);
			checkCombinations('join', flags);
			return {kind: 'config', flags};
		}

		checkPositionals(positionals);
		checkCombinations(command, flags);
		return {kind: 'run', command, flags};
	} catch (error) {
		if (error instanceof CommandLineError) return {kind: 'error', command, message: error.message};
		throw error;
	}
}

type Token = ReturnType<typeof parseArgs>['tokens'] extends Array<infer T> | undefined ? T : never;

function readFlags(tokens: Token[], argv: readonly string[]): CommandLineFlags {
	const flags: Record<string, string | boolean | string[]> = {};
	for (const token of tokens) {
		if (token.kind !== 'option') continue;
		const written = argv[token.index]!.split('=')[0]!;
		const name = written.startsWith('--') ? byOptionName.get(token.name) : undefined;
		if (name === undefined) throw new CommandLineError(`unknown option ${written}`);
		if (name in flags && !isRepeatable(name)) throw new CommandLineError(`${written} is given twice; give it once`);
		if (flagDefinitions[name].type === 'boolean') {
			if (token.value !== undefined) throw new CommandLineError(`${written} takes no value, got "${token.value}"`);
			flags[name] = true;
		} else {
			if (token.value === undefined || (!token.inlineValue && looksLikeOption(token.value))) {
				throw new CommandLineError(`${written} needs a value (${written}=VALUE for one that starts with -)`);
			}

			if (isRepeatable(name)) flags[name] = [...((flags[name] as string[] | undefined) ?? []), token.value];
			else flags[name] = token.value;
		}
	}

	return flags as CommandLineFlags;
}

function checkPositionals(positionals: string[]): void {
	const [first, ...rest] = positionals;
	if (first === undefined) return;
	if (first !== 'serve') throw new CommandLineError(`unknown command "${first}"; the commands are serve and config`);
	if (rest.length > 0) throw new CommandLineError(`serve takes no arguments, got "${rest.join(' ')}"`);
}

/** The operator's account command takes its verb, one name, and where the accounts are: --data or --redis, nothing else. */
function accountCommand(words: string[], flags: CommandLineFlags): CommandLine {
	const usage = 'serve --data DIR account add|reset|delete NAME';
	const [action, name, ...rest] = words;
	if (!ACCOUNT_ACTIONS.includes(action as AccountAction)) {
		throw new CommandLineError(action === undefined ? `account needs what to do: ${usage}` : `unknown account action "${action}"; it is add, reset or delete (${usage})`);
	}

	if (name === undefined) throw new CommandLineError(`account ${action} needs the account's name: ${usage}`);
	if (rest.length > 0) throw new CommandLineError(`account ${action} takes one name, got "${[name, ...rest].join(' ')}"`);
	const other = flagNames.find(flag => flags[flag] !== undefined && flag !== 'data' && flag !== 'redis');
	if (other !== undefined) throw new CommandLineError(`${optionName(other)} does not go with account; it takes only --data DIR or --redis URL`);
	const {data, redis} = flags;
	if (data === undefined && redis === undefined) throw new CommandLineError(`account needs --data DIR (or --redis URL): where the accounts are kept`);
	if (data !== undefined && redis !== undefined) throw new CommandLineError('account takes --data DIR or --redis URL, not both: say which accounts to change');
	return {kind: 'account', action: action as AccountAction, name, ...(data === undefined ? {redis} : {data})};
}

function checkCombinations(command: CommandName, flags: CommandLineFlags): void {
	const given = flagNames.filter(name => flags[name] !== undefined);
	for (const name of given) {
		const use = flagUse(name, command);
		if (use === undefined) throw new CommandLineError(notForCommand(name, command));
		if (use.needs !== undefined && flags[use.needs] === undefined) {
			const alsoServe = command === 'join' && flagUse(name, 'serve') !== undefined ? ' (or the serve command)' : '';
			throw new CommandLineError(`${optionName(name)} goes with ${optionName(use.needs)}${alsoServe}`);
		}
	}

	for (const {flags: [first, second], why} of exclusiveFlags) {
		if (flags[first] !== undefined && flags[second] !== undefined) {
			throw new CommandLineError(`${optionName(first)} and ${optionName(second)} exclude each other: ${why}`);
		}
	}
}

function notForCommand(name: FlagName, command: CommandName): string {
	const flag = optionName(name);
	switch (command) {
		case 'join':
			return `${flag} is for the serve command (codechat-tui serve ${flag} …); --serve hosts a plain in-process room`;
		case 'serve':
			return `${flag} is a client option; the serve command does not take it`;
		default:
			return command satisfies never;
	}
}
