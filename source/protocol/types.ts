// Wire types of PROTOCOL.md §2–§5 and §8, and the normalised inbound type
// that both dialects are turned into. Pure: no sockets, no React.
import type {FailureCode, Feature, ServerLimits} from './codes.js';

/** Commands, client → server (§2). `msg` is our extension. */
/** Why a connection is closed, in `server-closing`, when it is for this connection alone (§11). */
export type ClosingCode = 'replaced';

export type Command =
	/** §11: `password` or `token` (never both) logs in to the account of that name. */
	| {cmd: 'connect'; username: string; features?: Feature[]; password?: string; token?: string}
	| {cmd: 'rename'; oldname: string; newname: string}
	/** §10: `room` left out means everyone on the server (the seed's meaning), not `#lobby`. */
	| {cmd: 'get-clients'; room?: string}
	| {cmd: 'exit'; msg?: string}
	/**
	 * `id`: §9 idempotency key, 16–64 of [A-Za-z0-9_-], chosen by the client per message.
	 * §10: `room` (left out: `#lobby`) or `to` (a direct message; never both).
	 * §13: `action` marks a `/me` action.
	 */
	| {cmd: 'msg'; msg: string; id?: string; room?: string; to?: string; action?: boolean}
	/**
	 * §9 `history`: at most one of `after` and `before`; `room` left out means `#lobby`.
	 * §10/§11: `with` names the other side of a stored direct conversation (never with `room`).
	 */
	| {cmd: 'history'; room?: string; with?: string; after?: number; before?: number; limit?: number}
	/** §10: joins `room`, creating it if needed. */
	| {cmd: 'join'; room: string}
	/** §10: leaves `room` (never `#lobby`: `forbidden`); `msg` is the reason, one line, ≤ 256 characters. */
	| {cmd: 'part'; room: string; msg?: string}
	/** §10: every room on the server with its member count. */
	| {cmd: 'rooms'}
	/** §10/§11: the stored direct conversations of the logged-in account. */
	| {cmd: 'conversations'}
	/** §13: away with a reason; `msg` empty or left out: back. */
	| {cmd: 'away'; msg?: string}
	/** §11: the current name becomes an account; sent only to a server that lists `accounts`. */
	| {cmd: 'register'; password: string}
	/** §11: the token in use is revoked. */
	| {cmd: 'logout'}
	/** §11: a new password; every token is revoked. */
	| {cmd: 'password'; old: string; new: string}
	/** §12 `file`: the whole text. `name` and `base` are required by our server; the 2015 server takes `msg` alone. */
	| {cmd: 'update-file'; msg: string; name?: string; base?: number; room?: string}
	| {cmd: 'get-file'; room?: string};

export type CommandName = Command['cmd'];

/** A status reply exactly as the seed shapes it; all three keys are always present (§3). */
export type StatusFrame = {
	success: boolean;
	'error-msg': string;
	'success-msg': string;
	/** Extension: the roster as an array, on a `get-clients` status. */
	clients?: string[];
	/** §8 `codes`: on every failure status of a server that lists `codes`. */
	code?: FailureCode;
	/** §8: seconds to wait, with `locked-out`, `rate-limited` and `unavailable`. */
	retry?: number;
	/** Our addition to §11: with `auth-required` at `connect`, whether the name is an account (false: on an accounts-only server, a password cannot help). */
	registered?: boolean;
	/** Our addition to §11: on a `logout` success of an accounts-only server, which closes the connection next. */
	closing?: boolean;
	/** §8: on every `connect` status, success or failure. */
	server?: string;
	features?: Feature[];
	limits?: ServerLimits;
	/** §11: on the success status of a login, `register` and `password`. */
	token?: string;
	/** Our extension to §11: which of the `get-clients` names are logged-in accounts (the rest are guests). */
	accounts?: string[];
	/** §12: the new version, on an `update-file` success, and the current one with `conflict`. */
	version?: number;
	/** §12: on a `get-file` success (with `msg`), and on `connect`/`join` successes (without); null before the first update. */
	file?: WireFile | null;
	/** §10: on a `rooms` success. */
	rooms?: RoomSummary[];
	/** §10: on a `join` success and a `get-clients {room}` success: the room, as the server spells it. */
	room?: string;
	/** §10/§11: on a `conversations` success. */
	conversations?: ConversationSummary[];
	/** §13: on `get-clients` and `join` successes of a server that lists `presence`: who is away, and why. */
	away?: Record<string, string>;
};

/** §10: one row of a `rooms` reply. */
export type RoomSummary = {room: string; users: number};

/** §10/§11: one stored direct conversation: the other account and the newest seq. */
export type ConversationSummary = {with: string; last: number};

/** A room's shared file on the wire (§12); `msg` is left out where only its presence matters. */
export type WireFile = {name: string; msg?: string; version: number; user: string; time: number};

/** §12: another user's update of the room's shared file. */
export type FileEvent = {cmd: 'update-file'; user: string; room: string; name: string; msg: string; version: number; time: number};

/** Events, server → client (§4), in our dialect. */
/** §9: where a stored message stands in its conversation's log. */
export type LogPosition = {seq: number; epoch: string; time: number};

export type ChatEvent =
	/**
	 * `log`: a stored message's seq, epoch and time (§9); `id`: the sender's idempotency key.
	 * §10: `room` (a server with rooms always sends it) or `to` (a direct message: `user` sent it to `to`).
	 * §13: `action` for a `/me` action.
	 */
	| {cmd: 'message'; user: string; msg: string; log?: LogPosition; id?: string; room?: string; to?: string; action?: boolean}
	/** §10: `room` is the room they joined; left out (seed): the server. */
	| {cmd: 'client-enter'; user: string; room?: string}
	/**
	 * `msg`: the reason the user gave when leaving (§8: one line, at most 256 characters).
	 * §10: `room` is the room they left; `part` when they parted it rather than disconnected.
	 */
	| {cmd: 'client-exit'; user: string; msg?: string; room?: string; part?: boolean}
	| {cmd: 'client-rename'; user: string; oldname: string; newname: string}
	/** §13: `msg` is the reason; empty: back. */
	| {cmd: 'client-away'; user: string; msg: string}
	/** 2015 server (§5): an empty `cmd` with `from`; that user's connection may have ended. */
	| {cmd: 'client-gone'; user: string}
	/**
	 * §13: the server is shutting down; `reconnect` says whether it expects to be back.
	 * `code: 'replaced'` (ours, §11): a newer login of the account took this connection's place.
	 */
	| {cmd: 'server-closing'; msg: string; reconnect: boolean; code?: ClosingCode}
	/** §12: someone replaced the room's shared file. The 2015 server sends only `user` and `msg` (§5). */
	| {cmd: 'update-file'; user: string; msg: string; name?: string; room?: string; version?: number; time?: number};

export type ServerFrame = StatusFrame | ChatEvent | FileEvent;

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
	/** The §8 code of a failure, when the server sent one we know. */
	code?: FailureCode;
	/** Seconds to wait before trying again, when the server said. */
	retry?: number;
	/** §12: the version an `update-file` made, or the current one with `conflict`. */
	version?: number;
	/** §12: the room's shared file (`get-file`: with `msg`; `connect`: without), null when there is none; undefined when the status said nothing of it. */
	file?: WireFile | null;
	/** 2015 (§5): the `return-cmd` of the status, the command it answers as that server names it. */
	command?: string;
	/** §8 negotiation, from a `connect` status: undefined when the server sent no `features` (seed, 2015). */
	features?: Set<Feature>;
	limits?: Partial<ServerLimits>;
	server?: string;
	/** §9: on the success status of a stored `msg`; `duplicate` when the id was seen before. */
	log?: LogPosition;
	duplicate?: boolean;
	/** §9: on the success status of `history`. */
	history?: HistoryReply;
	/** §11: the login token a success status carried. */
	token?: string;
	/** With `auth-required`: is the name an account? Absent when the server did not say. */
	registered?: boolean;
	/** On a `logout` success: the server closes the connection now (it admits accounts only). */
	closing?: boolean;
	/** The `get-clients` names that are logged-in accounts, when the server said. */
	accounts?: string[];
	/** §10: a `rooms` reply. */
	rooms?: RoomSummary[];
	/** §10: the room a `join` or `get-clients {room}` success is about, as the server spells it. */
	room?: string;
	/** §10/§11: a `conversations` reply. */
	conversations?: ConversationSummary[];
	/** §13: who is away, and why. */
	away?: Record<string, string>;
};

/** A `history` reply (§9): messages in seq order, and the bounds of what the server keeps. */
export type HistoryReply = {
	messages: Array<Extract<ChatEvent, {cmd: 'message'}>>;
	epoch: string;
	/** The oldest and newest seq the server keeps; both 0 for an empty log. */
	first: number;
	last: number;
	more: boolean;
};

/** One frame from a server after normalisation (§3–§5). */
export type Inbound =
	| {kind: 'status'; status: Status; dialect: Dialect}
	| {kind: 'event'; event: ChatEvent}
	/** Known to be harmless and without meaning to us: unknown events, an empty `cmd`, 2015 `update-file`. */
	| {kind: 'ignored'; cmd: string}
	/** A JSON object that is neither a status nor a well-formed event. */
	| {kind: 'invalid'; reason: string};
