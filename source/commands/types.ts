// What a slash command is, and what it may ask for. Commands never touch the
// UI or the socket: an action returns a descriptor and the caller (the TUI's
// use-chat hook, or pipe mode) carries it out.
import type {Feature} from '../protocol/codes.js';

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
	/** Register your current name: the caller asks for the password twice, masked (§11). */
	| {type: 'register'}
	/** Log out: the saved token is revoked and forgotten; you stay as a guest. */
	| {type: 'logout'}
	/** Change your password: the caller asks for the current one and the new one twice, masked. */
	| {type: 'password'}
	/** A local error: nothing was sent. */
	| {type: 'error'; text: string}
	/** Local information: nothing was sent. */
	| {type: 'info'; text: string}
	/** The room's shared file (§12): a screen matter, so pipe mode refuses it. */
	| {type: 'file'; action: FileAction}
	/** Rooms and direct conversations (§10); names are checked already. */
	| {type: 'room'; action: RoomAction}
	/** §13: send `text` as a `/me` action to the conversation on screen. */
	| {type: 'action'; text: string}
	/** §13: away with `reason` (cleaned to one line); empty: back. */
	| {type: 'away'; reason: string}
	/** Say what is known of `name`: present, an account, away and why (local: nothing is sent). */
	| {type: 'whois'; name: string}
	/** The local ignore list: a screen matter, so pipe mode refuses it. */
	| {type: 'ignore'; action: IgnoreAction}
	/** Search the conversation on screen for `query` (empty: as it is typed): a screen matter, so pipe mode refuses it. */
	| {type: 'search'; query: string};

/** What /ignore and /unignore ask of the ignore list. */
export type IgnoreAction = {kind: 'add'; name: string} | {kind: 'remove'; name: string} | {kind: 'list'};

/** What /join, /part, /rooms, /msg, /query and /close ask of the conversations. */
export type RoomAction =
	/** Join `room` (created if needed) and show it. */
	| {kind: 'join'; room: string}
	/** Leave `room` (never #lobby), with the reason given. */
	| {kind: 'part'; room: string; reason?: string}
	/** List the server's rooms with their member counts. */
	| {kind: 'list'}
	/** A message to a room you are in, without switching to it. */
	| {kind: 'say'; room: string; text: string}
	/** A direct message to `to` (§10 `direct`). */
	| {kind: 'direct'; to: string; text: string}
	/** Open (and show) the direct conversation with `with`; `text`, when given, is sent to them. */
	| {kind: 'query'; with: string; text?: string}
	/** Close the direct conversation with `with` (local: nothing is sent). */
	| {kind: 'close'; with: string};

/** What /file, /share, /edit and /save ask of the shared file. */
export type FileAction =
	/** Show or hide the file pane. */
	| {kind: 'toggle'}
	/** Upload this text (read and checked already) as the file `name`. */
	| {kind: 'share'; name: string; text: string}
	/** Edit the file in $VISUAL/$EDITOR and upload it if it changed. */
	| {kind: 'edit'}
	/** Write the file to `path`; an existing file only with `overwrite`. */
	| {kind: 'save'; path: string; overwrite: boolean};

export type DescriptorType = CommandDescriptor['type'];

/** What an action may read. Passed in, so commands stay pure. */
export type CommandContext = {
	/** Your current name. */
	readonly me: string;
	/** The names in the roster. */
	readonly roster: readonly string[];
	/** Every registered command, for /help. */
	readonly commands: readonly SlashCommand[];
	/** The keys and what they do, for /help, where there are keys (not in pipe mode). */
	readonly keys?: readonly KeyHelpLine[];
	/** Whether the server listed this extension (§8); a command for one it did not list sends nothing. */
	readonly supports: (feature: Feature) => boolean;
	/** The conversation on screen, for /part and /close without a name. @default #lobby */
	readonly conversation?: ConversationRef;
};

/** A conversation as the commands name it: a room, or a direct conversation with a user. */
export type ConversationRef = {readonly kind: 'room'; readonly room: string} | {readonly kind: 'direct'; readonly with: string};

/**
 * The one-line refusal for a command whose extension the server did not list
 * (§8: say so, send nothing), or undefined when the server has it:
 * `return unsupported(context, 'rooms', '/join') ?? {type: …}`.
 */
export function unsupported(context: CommandContext, feature: Feature, what: string): CommandDescriptor | undefined {
	return context.supports(feature) ? undefined : {type: 'error', text: `${what}: this server does not support ${feature} (it did not list it when we connected)`};
}

/** One line of the key list: "Ctrl-X Ctrl-E" and what it does. */
export type KeyHelpLine = {readonly keys: string; readonly does: string};

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
