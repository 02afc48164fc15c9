// What a slash command is, and what it may ask for. Commands never touch the
// UI or the socket: an action returns a descriptor and the caller (the TUI's
// use-chat hook, or pipe mode) carries it out (STYLE.md example 9).

/** What running a command asks the caller to do. Plain data. */
export type CommandDescriptor =
	/** Send a chat message. */
	| {type: 'send'; text: string}
	/** Rename yourself; the name is already checked with usernameProblem. */
	| {type: 'rename'; newname: string}
	/** Print the user list and refresh the roster (get-clients). */
	| {type: 'who'}
	/** Send exit (with the optional reason), restore the terminal, exit 0. */
	| {type: 'quit'; reason?: string}
	/** Help text to print, as local output. */
	| {type: 'help'; text: string}
	/** Empty the message pane. */
	| {type: 'clear'}
	/** Drop the connection and connect again now. */
	| {type: 'reconnect'}
	/** A local error: nothing was sent. */
	| {type: 'error'; text: string}
	/** Local information: nothing was sent. */
	| {type: 'info'; text: string};

export type DescriptorType = CommandDescriptor['type'];

/** What an action may read. Passed in, so commands stay pure. */
export type CommandContext = {
	/** Your current name. */
	readonly me: string;
	/** The names in the roster. */
	readonly roster: readonly string[];
	/** Every registered command, for /help. */
	readonly commands: readonly SlashCommand[];
};

export type SlashCommand = {
	/** Lower case, without the slash. */
	readonly name: string;
	/** Other names that run the same command. */
	readonly altNames: readonly string[];
	/** One line for the /help list. */
	readonly description: string;
	/** How to call it, e.g. "/rename NAME". */
	readonly usage: string;
	/** `args` is everything after the command name, with the separating space removed. */
	readonly action: (args: string, context: CommandContext) => CommandDescriptor;
};
