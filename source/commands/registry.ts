// The slash-command registry: lookup by name or alias, the list for /help,
// and completion for Tab. Free of React so pipe mode can use it too.
import {clearCommand} from './clear-command.js';
import {fileCommands} from './file-commands.js';
import {helpCommand} from './help-command.js';
import {logoutCommand} from './logout-command.js';
import {passwordCommand} from './password-command.js';
import {presenceCommands} from './presence-commands.js';
import {pasteCommand} from './paste-command.js';
import {quitCommand} from './quit-command.js';
import {reconnectCommand} from './reconnect-command.js';
import {registerCommand} from './register-command.js';
import {renameCommand} from './rename-command.js';
import {roomCommands} from './room-commands.js';
import {searchCommand} from './search-command.js';
import type {SlashCommand} from './types.js';
import {whoCommand} from './who-command.js';

export type CommandRegistry = {
	/** Finds a command by name or alias, case-insensitively, without the slash. */
	lookup(name: string): SlashCommand | undefined;
	/** Every command, in the order given. */
	readonly commands: readonly SlashCommand[];
	/** Command names and aliases (with the slash) that start with `prefix` (with the slash), sorted. */
	complete(prefix: string): string[];
};

export function createRegistry(commands: readonly SlashCommand[]): CommandRegistry {
	const byName = new Map<string, SlashCommand>();
	for (const command of commands) {
		for (const name of [command.name, ...command.altNames]) {
			// Two commands under one name would make lookups depend on order: fail up front.
			if (byName.has(name)) throw new Error(`command name /${name} is registered twice`);
			byName.set(name, command);
		}
	}
	const allNames = [...byName.keys()].map(name => '/' + name).sort();
	return {
		lookup: name => byName.get(name.toLowerCase()),
		commands,
		complete(prefix) {
			const lower = prefix.toLowerCase();
			return allNames.filter(name => name.startsWith(lower));
		},
	};
}

export const builtinCommands: readonly SlashCommand[] = [
	renameCommand,
	whoCommand,
	quitCommand,
	helpCommand,
	clearCommand,
	searchCommand,
	reconnectCommand,
	pasteCommand,
	registerCommand,
	logoutCommand,
	passwordCommand,
	...roomCommands,
	...fileCommands,
	...presenceCommands,
];

export const defaultRegistry: CommandRegistry = createRegistry(builtinCommands);
