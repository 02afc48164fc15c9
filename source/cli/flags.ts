// The command line's flags, in one table: their type, which command takes
// each, what each needs beside it, and the help line (defaults filled in from
// the constants). The parser, the combination checks and both help texts are
// made from it, so a new flag is parsed, checked and documented in one place.
// Kept free of Ink and the server so that --help and --version start fast.
import {DEFAULT_PORT, MAX_USERNAME_CHARS} from '../protocol/limits.js';
import {DEFAULT_SERVER_OPTIONS} from '../server/options.js';

/** §9: the TUI shows this many messages from before you joined; pipe mode none, so a bot does not answer old messages. */
export const DEFAULT_TUI_BACKLOG = 50;
/** One `history` page. */
export const MAX_BACKLOG = 1000;

/** `join`: the chat client (with or without --serve); `serve`: the server alone. */
export type CommandName = 'join' | 'serve';

type FlagUse<Name extends string> = {
	/** The help text; lines after the first are indented under it. */
	help: string;
	/** Means nothing without this other flag. */
	needs?: Name;
};

type FlagSpec<Name extends string> = {
	type: 'string' | 'boolean';
	/** A string flag that may be given more than once; its value is the list, in order. */
	repeatable?: true;
	/** The value's name in the help, for a string flag. */
	value?: string;
} & {[Command in CommandName]?: FlagUse<Name>};

/** Checks that every `needs` names a flag of the table. */
function defineFlags<const Table extends {[Name in keyof Table]: FlagSpec<Extract<keyof Table, string>>}>(table: Table): Table {
	return table;
}

const server = DEFAULT_SERVER_OPTIONS;
const withServe = (help: string) => ({help: `with --serve: ${help}`, needs: 'serve' as const});

export const flagDefinitions = defineFlags({
	host: {type: 'string', value: 'HOST[:PORT]', join: {help: 'server to join (default localhost, or $CODECHAT_HOST)'}},
	port: {
		type: 'string',
		value: 'N',
		join: {help: `server port (default ${DEFAULT_PORT}, or $CODECHAT_PORT);\nwith --serve, the port the room listens on`},
		serve: {help: `port to listen on (default ${server.port})`},
	},
	user: {type: 'string', value: 'NAME', join: {help: `your name: 1-${MAX_USERNAME_CHARS} letters, digits, _ - .\n(default $CODECHAT_USER, else your login name)`}},
	serve: {type: 'boolean', join: {help: 'host a room in this process and join it'}},
	listen: {
		type: 'string',
		value: 'ADDR',
		join: withServe(`address to listen on (default ${server.host};\n0.0.0.0 lets others on your network join)`),
		serve: {help: `address to listen on (default ${server.host})`},
	},
	json: {type: 'boolean', join: {help: 'pipe mode with NDJSON events on stdout'}},
	room: {
		type: 'string',
		repeatable: true,
		value: '#ROOM',
		join: {help: 'join this room at start (repeatable); in pipe mode, lines\nwithout a command go to the first one given'},
	},
	log: {type: 'string', value: 'FILE', join: {help: 'append a plain-text transcript to FILE'}},
	backlog: {
		type: 'string',
		value: 'N',
		join: {help: `messages from before you joined to show, on a server\nthat keeps history (default ${DEFAULT_TUI_BACKLOG}; 0 in pipe mode; at most ${MAX_BACKLOG})`},
	},
	tls: {type: 'boolean', join: {help: 'connect over TLS, verifying the certificate'}},
	tlsCa: {type: 'string', value: 'FILE', join: {help: 'with --tls: trust this CA certificate (PEM)', needs: 'tls'}},
	insecure: {type: 'boolean', join: {help: 'with --tls: do not verify the certificate (unsafe)', needs: 'tls'}},
	highlight: {type: 'string', value: 'WORD', repeatable: true, join: {help: 'a word that counts as a mention of you, as your name\ndoes (again for more; added to the config file\'s)'}},
	config: {type: 'string', value: 'FILE', join: {help: 'the settings to start from (default: see Config file\nbelow); flags and $CODECHAT_* override them'}},
	passwordFile: {type: 'string', value: 'FILE', join: {help: 'the password of your account, on the first line of FILE\n(mode 600; or $CODECHAT_PASSWORD); sent only when asked'}},
	maxFrame: {
		type: 'string',
		value: 'BYTES',
		join: withServe(`largest frame accepted (default ${server.maxFrameBytes})`),
		serve: {help: `largest frame accepted (default ${server.maxFrameBytes})`},
	},
	maxClients: {
		type: 'string',
		value: 'N',
		join: withServe(`connections at once (default ${server.maxClients})`),
		serve: {help: `connections at once (default ${server.maxClients})`},
	},
	rate: {
		type: 'string',
		value: 'N',
		join: withServe(`commands per second per connection;\n0 = no limit (default ${server.rate})`),
		serve: {help: `commands per second per connection; 0 = no limit (default ${server.rate})`},
	},
	burst: {
		type: 'string',
		value: 'N',
		join: withServe(`commands a connection may send at once\n(default ${server.burst})`),
		serve: {help: `commands a connection may send at once (default ${server.burst})`},
	},
	accountsOnly: {type: 'boolean', serve: {help: 'admit accounts only, no guests (make them with\n`serve --data DIR account add NAME`)'}},
	allowPlaintextPasswords: {type: 'boolean', serve: {help: 'take passwords over plain TCP from other machines\n(default: only over TLS, or from this machine)'}},
	tlsCert: {type: 'string', value: 'FILE', serve: {help: 'serve TLS with this certificate chain (PEM),\nwith --tls-key', needs: 'tlsKey'}},
	tlsKey: {type: 'string', value: 'FILE', serve: {help: 'the certificate\'s private key (PEM, unencrypted)', needs: 'tlsCert'}},
	redis: {type: 'string', value: 'URL', serve: {help: 'one room with other serve processes over Redis,\nwhich also keeps the history; a Redis Cluster: URLs\nof some of its nodes, comma-separated (default $REDIS_URL)'}},
	data: {
		type: 'string',
		value: 'DIR',
		join: withServe('keep the history and accounts in DIR (SQLite),\nso they survive restarts (default: history in memory)'),
		serve: {help: 'keep the history and accounts in DIR (SQLite), so\nthey survive restarts (default: history in memory)'},
	},
	history: {
		type: 'string',
		value: 'N',
		join: withServe(`messages kept per room; 0 = no history\n(default ${server.history})`),
		serve: {help: `messages kept per room; 0 = no history (default ${server.history})`},
	},
	dialect: {
		type: 'string',
		value: 'NAME',
		serve: {help: 'frames to speak: codechat, or 2015 for the original\nGo and Python clients (no history) (default codechat)'},
	},
});

export type FlagName = keyof typeof flagDefinitions;

type FlagValue<Definition> = Definition extends {type: 'boolean'} ? boolean : Definition extends {repeatable: true} ? readonly string[] : string;

/** The flags as given on the command line: every one optional. */
export type CommandLineFlags = {[Name in FlagName]?: FlagValue<(typeof flagDefinitions)[Name]>};

/** Flags that cannot be given together, and why. Each is refused with exit 2. */
export const exclusiveFlags: ReadonlyArray<{flags: readonly [FlagName, FlagName]; why: string}> = [
	{flags: ['serve', 'tls'], why: '--serve hosts a plain TCP room; for TLS run `codechat-tui serve --tls-cert … --tls-key …`'},
	{flags: ['serve', 'host'], why: '--serve joins the room it hosts here; --listen sets where that room listens'},
	{flags: ['tlsCa', 'insecure'], why: '--insecure checks no certificate, so --tls-ca would do nothing; give one'},
];

/** How a flag is written on the command line: maxFrame -> --max-frame. */
export function optionName(name: FlagName): string {
	return '--' + name.replaceAll(/[A-Z]/g, letter => '-' + letter.toLowerCase());
}

/** Every flag name, in the table's order. */
export const flagNames = Object.keys(flagDefinitions) as FlagName[];

const specs: {readonly [Name in FlagName]: FlagSpec<FlagName>} = flagDefinitions;

/** How `command` takes the flag, or undefined when it does not. */
export function flagUse(name: FlagName, command: CommandName): FlagUse<FlagName> | undefined {
	return specs[name][command];
}

/** The value's name in the help ("N", "FILE"), or undefined for a switch. */
export function flagValueName(name: FlagName): string | undefined {
	return specs[name].value;
}

/** True for a flag that may be given more than once. */
export function isRepeatable(name: FlagName): boolean {
	return specs[name].repeatable === true;
}
