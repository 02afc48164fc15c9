// Wire types of PROTOCOL.md §2–§5, and the normalised inbound type that both
// dialects are turned into. Pure: no sockets, no React.

/** Commands, client → server (§2). `msg` is our extension. */
export type Command =
	| {cmd: 'connect'; username: string}
	| {cmd: 'rename'; oldname: string; newname: string}
	| {cmd: 'get-clients'}
	| {cmd: 'exit'; msg?: string}
	| {cmd: 'msg'; msg: string};

export type CommandName = Command['cmd'];

/** A status reply exactly as the seed shapes it; all three keys are always present (§3). */
export type StatusFrame = {
	success: boolean;
	'error-msg': string;
	'success-msg': string;
	/** Extension: the roster as an array, on a `get-clients` status. */
	clients?: string[];
};

/** Events, server → client (§4), in our dialect. */
export type ChatEvent =
	| {cmd: 'message'; user: string; msg: string}
	| {cmd: 'client-enter'; user: string}
	| {cmd: 'client-exit'; user: string}
	| {cmd: 'client-rename'; user: string; oldname: string; newname: string};

export type ServerFrame = StatusFrame | ChatEvent;

export type Dialect = 'codechat' | '2015';

/** A status, whichever dialect it came in. */
export type Status = {
	success: boolean;
	/** The error text; empty on success. */
	error: string;
	/** The success text (`success-msg`, or the 2015 `payload`), as a string. */
	text: string;
	/** The roster, when the status carried one (extension `clients`, or an array in `success-msg`). */
	clients?: string[];
};

/** One frame from a server after normalisation (§3–§5). */
export type Inbound =
	| {kind: 'status'; status: Status; dialect: Dialect}
	| {kind: 'event'; event: ChatEvent}
	/** Known to be harmless and without meaning to us: unknown events, an empty `cmd`, 2015 `update-file`. */
	| {kind: 'ignored'; cmd: string}
	/** A JSON object that is neither a status nor a well-formed event. */
	| {kind: 'invalid'; reason: string};
