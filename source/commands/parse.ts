// One typed line -> what it means. Shared by the TUI and pipe mode.
import {messageProblem} from '../protocol/limits.js';
import {defaultRegistry, type CommandRegistry} from './registry.js';
import type {CommandContext, CommandDescriptor, SlashCommand} from './types.js';

export type ParsedLine =
	/** Nothing but white space: nothing to do. */
	| {kind: 'empty'}
	| {kind: 'message'; text: string}
	| {kind: 'command'; command: SlashCommand; args: string}
	| {kind: 'error'; text: string};

/**
 * Reads a line: "//text" is the message "/text", "/name args" a command,
 * anything else a message. An unknown command is an error, never a message.
 */
export function parseLine(line: string, registry: CommandRegistry = defaultRegistry): ParsedLine {
	if (line.trim() === '') return {kind: 'empty'};
	if (line.startsWith('//')) return {kind: 'message', text: line.slice(1)};
	if (!line.startsWith('/')) return {kind: 'message', text: line};

	const match = /^\/(\S*)(?:\s([\s\S]*))?$/.exec(line)!;
	const name = match[1]!;
	const args = match[2] ?? '';
	if (name === '') return {kind: 'error', text: 'no command after "/"; start with // to send a line that begins with /'};
	const command = registry.lookup(name);
	if (!command) return {kind: 'error', text: `unknown command /${name}; /help lists the commands (nothing was sent)`};
	return {kind: 'command', command, args};
}

/**
 * A line straight to the descriptor to carry out, or undefined for a blank
 * line. Messages are checked against the protocol limits here, so a message
 * the server would refuse is a local error and nothing goes out.
 */
export function interpretLine(
	line: string,
	context: Omit<CommandContext, 'commands'>,
	registry: CommandRegistry = defaultRegistry,
): CommandDescriptor | undefined {
	const parsed = parseLine(line, registry);
	switch (parsed.kind) {
		case 'empty':
			return undefined;
		case 'error':
			return {type: 'error', text: parsed.text};
		case 'message': {
			const problem = messageProblem(parsed.text);
			return problem ? {type: 'error', text: `not sent: ${problem}`} : {type: 'send', text: parsed.text};
		}
		case 'command':
			return parsed.command.action(parsed.args, {...context, commands: registry.commands});
	}
}
