// /me, /away, /back, /whois, /ignore and /unignore (PROTOCOL.md §13, and the
// local ignore list). Texts and names are checked here, so what reaches the
// caller can be sent as it is; on a server without `presence`, /me and /away
// are one local line with nothing sent (a "* text" sent as a plain message
// would read as the user's own words to everyone else).
import {messageProblem, usernameProblem} from '../protocol/limits.js';
import {oneLineReason} from '../protocol/reason.js';
import {unsupported, type CommandDescriptor, type SlashCommand} from './types.js';

const error = (text: string): CommandDescriptor => ({type: 'error', text});

export const meCommand: SlashCommand = {
	name: 'me',
	altNames: [],
	description: 'say an action: /me waves shows as "* you waves"',
	usage: '/me TEXT',
	action(args, context) {
		const refusal = unsupported(context, 'presence', '/me');
		if (refusal) return refusal;
		const text = args.trim();
		if (text === '') return error('usage: /me TEXT');
		const problem = messageProblem(text);
		return problem ? error(`/me: ${problem}`) : {type: 'action', text};
	},
};

export const awayCommand: SlashCommand = {
	name: 'away',
	altNames: [],
	description: 'mark yourself away, with a reason; /away alone or /back: back',
	usage: '/away [REASON]',
	action(args, context) {
		const refusal = unsupported(context, 'presence', '/away');
		if (refusal) return refusal;
		// As the server cleans it: one line, cut to MAX_REASON_CHARS; blank is back.
		return {type: 'away', reason: oneLineReason(args) ?? ''};
	},
};

export const backCommand: SlashCommand = {
	name: 'back',
	altNames: [],
	description: 'you are back (no longer away)',
	usage: '/back',
	action(_args, context) {
		return unsupported(context, 'presence', '/back') ?? {type: 'away', reason: ''};
	},
};

/** A user name argument, checked as the server checks names. */
function nameArgument(args: string, usage: string): {name: string} | {error: CommandDescriptor} {
	const name = args.trim();
	if (name === '') return {error: error(`usage: ${usage}`)};
	const problem = usernameProblem(name);
	return problem ? {error: error(`${usage.split(' ')[0]!}: ${problem}`)} : {name};
}

export const whoisCommand: SlashCommand = {
	name: 'whois',
	altNames: [],
	description: 'whether someone is here, an account, or away (and why)',
	usage: '/whois NAME',
	action(args) {
		const parsed = nameArgument(args, '/whois NAME');
		return 'error' in parsed ? parsed.error : {type: 'whois', name: parsed.name};
	},
};

export const ignoreCommand: SlashCommand = {
	name: 'ignore',
	altNames: [],
	description: 'hide a user\'s messages everywhere (kept across runs); /ignore alone lists them',
	usage: '/ignore [NAME]',
	action(args) {
		if (args.trim() === '') return {type: 'ignore', action: {kind: 'list'}};
		const parsed = nameArgument(args, '/ignore NAME');
		return 'error' in parsed ? parsed.error : {type: 'ignore', action: {kind: 'add', name: parsed.name}};
	},
};

export const unignoreCommand: SlashCommand = {
	name: 'unignore',
	altNames: [],
	description: 'show a user\'s messages again',
	usage: '/unignore NAME',
	action(args) {
		const parsed = nameArgument(args, '/unignore NAME');
		return 'error' in parsed ? parsed.error : {type: 'ignore', action: {kind: 'remove', name: parsed.name}};
	},
};

export const presenceCommands: readonly SlashCommand[] = [meCommand, awayCommand, backCommand, whoisCommand, ignoreCommand, unignoreCommand];
