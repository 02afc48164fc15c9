// The typed events and options of ChatClient. Every string in an event that
// came from the network is untrusted: the UI sanitises it (PROTOCOL.md §7).
import type {FailureCode} from '../protocol/codes.js';
import type {Dialect, RoomSummary} from '../protocol/types.js';
import type {BackoffOptions} from './backoff.js';
import type {LoginTransport} from './login-plan.js';
import type {RateOptions} from './pacer.js';
import type {Clock} from './timers.js';
import type {TlsOptions, TransportFactory} from './transport.js';

/** `join`: a room's members, from its join answer. */
export type RosterSource = 'connect' | 'refresh' | 'who' | 'join';

/**
 * Where a message goes (§10): a room, or a user (a direct message). Left
 * out: #lobby, the one room of a server without rooms.
 */
export type SendTarget = {room: string} | {to: string};

/**
 * What happened to the open conversations (§10). The set (rooms other than
 * #lobby, then direct partners) is what `ChatClient.conversations` lists and
 * what survives a restart.
 */
export type ConversationEvent =
	/** A room is open and about to be joined: asked for now, or restored at start (`restored`). Shown at once; `joined` or `refused` follows once connected. */
	| {kind: 'joining'; room: string; restored: boolean}
	/** `join` succeeded (`again`: the rejoin after a reconnect); `room` as the server spells it, `users` its members in join order. */
	| {kind: 'joined'; room: string; users: string[]; again: boolean}
	/** We left the room (part succeeded). */
	| {kind: 'parted'; room: string; reason?: string}
	/** A direct conversation is open: asked for, restored at start, or someone's first message to us. */
	| {kind: 'opened'; with: string; restored: boolean}
	| {kind: 'closed'; with: string}
	/**
	 * join or part was refused: by the server (its code, e.g. invalid-room,
	 * too-many-rooms, not-in-room, forbidden) or here (unsupported: a server
	 * without rooms). A refused join leaves the room closed.
	 */
	| {kind: 'refused'; action: 'join' | 'part'; room: string; error: string; code?: FailureCode};

/** The answer to listRooms(). */
export type RoomListEvent = {ok: true; rooms: RoomSummary[]} | {ok: false; error: string; code?: FailureCode};

/** The room's shared file as the client learnt it (§12). `version`, `user` and `time` are unknown on a 2015 server. */
export type SharedFileText = {name: string; text: string; version?: number; user?: string; time?: number};

/** What happened to a shared file. Every string is from the network, or ours echoed back. */
export type SharedFileChange =
	/** Someone else replaced it. */
	| ({kind: 'updated'; user: string} & SharedFileText)
	/** What the server holds now: the answer to get-file, or the 2015 server's connect payload; null when there is none. */
	| {kind: 'loaded'; file: SharedFileText | null}
	/** Our update was taken; `version` is the new one (undefined on a 2015 server, which keeps none). */
	| {kind: 'saved'; name: string; text: string; version?: number}
	/** Our update was refused: `code` `conflict` with the current `version` when someone else changed it first. */
	| {kind: 'refused'; name: string; text: string; error: string; code?: FailureCode; version?: number};

/** A change of a room's shared file (each room has its own, §12); `room` as the client knows the room. */
export type SharedFileEvent = SharedFileChange & {room: string};

/**
 * A chat message from someone else. `time` is the server's (§9), or the
 * arrival time from a server without a log. `seq` and `epoch`: its place in
 * the room's log, on a server with `history`. `backlog`: said before you
 * joined (no bell, no unread count); `recovered`: said while you were cut
 * off, fetched on the resume.
 */
export type DeliveredMessage = {
	/**
	 * The conversation it belongs to: the room (#lobby on a server without
	 * rooms), or for a direct message the other side (the sender; the
	 * recipient when it is ours from another connection).
	 */
	conversation: string;
	/** The room the server named, when it named one. */
	room?: string;
	/** A direct message: to whom (us, or someone we wrote to from another connection). */
	to?: string;
	user: string;
	text: string;
	time: number;
	namesake?: boolean;
	/** Yours, sent from another connection of your account (§11: the name is yours alone). */
	own?: true;
	seq?: number;
	epoch?: string;
	id?: string;
	backlog?: true;
	recovered?: true;
	/** §13: a `/me` action, shown as "* user text". */
	action?: true;
};

export type ChatClientEvents = {
	/** `connect` succeeded. `server` is "host:port"; `welcome` is the server's success text. */
	connected: {user: string; server: string; dialect: Dialect; welcome: string};
	/** A chat message from someone else (the server does not echo our own), in seq order, each seq once. */
	message: DeliveredMessage;
	/** `namesake`: someone else under your name (a server that allows duplicates). `conversation`: the room they joined (#lobby: the server). */
	enter: {user: string; conversation: string; namesake?: boolean};
	/** `msg`: the reason they gave; `part`: they left the room, not the server. */
	exit: {user: string; conversation: string; msg?: string; namesake?: boolean; part?: true};
	/** A 2015 server's sign that this user's connection ended; they may be back when they speak. */
	gone: {user: string};
	/** Someone else changed name; `conversations`: the open rooms they are in (#lobby included) and a direct conversation with them. */
	rename: {oldname: string; newname: string; conversations: string[]};
	/**
	 * The whole roster of `conversation`: #lobby's is everyone's, another
	 * room's its members (read it with rosterOf). `complete` is false when it
	 * was built from events alone (2015 dialect).
	 */
	roster: {users: string[]; complete: boolean; source: RosterSource; conversation: string};
	/** The server accepted message `localId`; on a server with a log, where it was stored (`duplicate`: an earlier send had arrived). */
	sent: {localId: number; text: string; conversation: string; seq?: number; epoch?: string; time?: number; duplicate?: true; action?: true};
	/** Message `localId` will not be sent: refused by the server (its error-msg, and `code`), invalid, or the outbox was full or closed. */
	failed: {localId: number; text: string; conversation: string; error: string; code?: FailureCode};
	/** Our own rename succeeded. */
	renamed: {oldname: string; newname: string};
	renameFailed: {oldname: string; newname: string; error: string};
	/**
	 * The connection is gone. `willReconnect` tells whether a reconnecting
	 * event follows. `loggedOut`: it ended because you logged out (an
	 * accounts-only server closes the connection then), which is no failure.
	 */
	disconnected: {reason: string; willReconnect: boolean; loggedOut?: true};
	/** A new attempt starts in `delayMs` ms. `attempt` counts from 1 since the last good connection. */
	reconnecting: {attempt: number; delayMs: number};
	/** Round trip of get-clients, in ms. */
	lag: {ms: number};
	/** The backlog or a resume of `conversation`'s log is done: `backlog` messages from before you joined, `recovered` from while you were away. */
	caughtUp: {conversation: string; backlog: number; recovered: number};
	/** A resume found that `missed` messages are gone for good: the server keeps only the last `kept`. */
	historyGap: {conversation: string; missed: number; kept: number};
	/** The server's log is not the one we resumed from (a new epoch, or it went backwards): earlier seqs name nothing now. */
	historyReset: {conversation: string};
	/** The answer to loadOlder(): the page, oldest first, and whether there is more before it. */
	older: {conversation: string; messages: DeliveredMessage[]; more: boolean};
	/** §10: rooms joined and parted, direct conversations opened and closed. */
	conversation: ConversationEvent;
	/** §10: the answer to listRooms(). */
	roomList: RoomListEvent;
	/**
	 * The server wants this name's password (§11) and a person can type it:
	 * ask (masked), then call logIn(). `notice` says why (registered name,
	 * wrong password, a lock-out's wait).
	 */
	passwordNeeded: {notice: string};
	/** The answer to register(), logout() or changePassword(): `message` says what happened (never a password or token). */
	account: {action: AccountAction; ok: boolean; message: string};
	/** §12: the room's shared file. */
	file: SharedFileEvent;
	/**
	 * §13: who is away changed in the rosters of `conversations` (read them
	 * with rosterOf). When one user set it (ourselves included, once the
	 * server took it), `user` and `reason` say so; an empty reason is back.
	 */
	away: {conversations: string[]; user?: string; reason?: string};
	/** Something went wrong that the user should read: one line, what happened and what to do. */
	error: {message: string};
	/** The server did something odd (bad frames, events that make no sense); the client carries on. */
	warning: {message: string};
};

/**
 * Every event, once: the event buffer, the recorder of the tests and every
 * subscriber's table iterate this, so a new event that one of them forgets
 * does not compile.
 */
const eventNames = {
	connected: true, message: true, enter: true, exit: true, gone: true, rename: true, roster: true, sent: true, failed: true,
	renamed: true, renameFailed: true, disconnected: true, reconnecting: true, lag: true, caughtUp: true, historyGap: true,
	historyReset: true, older: true, conversation: true, roomList: true, passwordNeeded: true, account: true, file: true, away: true, error: true, warning: true,
} as const satisfies Record<keyof ChatClientEvents, true>;

export type ChatClientEventName = keyof ChatClientEvents;

export type AccountAction = 'register' | 'logout' | 'password';

/** Where the client keeps its login tokens: one per name, for this client's server. */
export type TokenKeeper = {
	read(name: string): string | undefined;
	save(name: string, token: string): void;
	forget(name: string): void;
};

/**
 * Where the open conversations are kept between runs, for this client's
 * server and the name given: room names and direct partners' names. `save`
 * is called on every change. An Error thrown by either becomes a warning.
 */
export type ConversationKeeper = {
	read(name: string): string[];
	save(name: string, names: readonly string[]): void;
	/**
	 * How far this client has seen each stored direct conversation (§10), by
	 * the partner's name key: the next login counts what came after as unread.
	 */
	readSeen?(name: string): ReadonlyMap<string, SeenMark>;
	saveSeen?(name: string, seen: ReadonlyMap<string, SeenMark>): void;
};

/** A place in a conversation's log (§9). */
export type SeenMark = {epoch: string; seq: number};

/** How the client logs in to accounts (§11). Without it, the client is a guest and never sends a password or token. */
export type LoginOptions = {
	/** How the connection is protected: no password or token ever goes over 'insecure-tls'. */
	transport: LoginTransport;
	/** From --password-file or $CODECHAT_PASSWORD; sent only after this connection's auth-required. */
	scriptedPassword?: string;
	/** A person can type a password (passwordNeeded events); else a password the server wants and we lack ends the run. */
	canPrompt: boolean;
	tokens?: TokenKeeper;
};

export const CLIENT_EVENTS = Object.keys(eventNames) as ChatClientEventName[];

/** One handler per event, `undefined` for those a subscriber ignores on purpose. */
export type ClientEventHandlers = {
	[K in ChatClientEventName]: ((payload: ChatClientEvents[K]) => void) | undefined;
};

export type ChatClientOptions = {
	/** @default "127.0.0.1" */
	host?: string;
	/** @default 8080 */
	port?: number;
	/** The name to connect as (and to reconnect as). */
	user: string;
	/** Connect over TLS with these options. Cannot be combined with `transport`. */
	tls?: TlsOptions;
	/** How to open a connection; tests and proxies pass their own. @default TCP (or TLS with `tls`) */
	transport?: TransportFactory;
	/** Largest frame accepted from the server, bytes. @default DEFAULT_CLIENT_MAX_FRAME (1 MiB) */
	maxFrameBytes?: number;
	/** Time allowed from opening the socket to the `connect` reply, ms. @default 10000 */
	connectTimeoutMs?: number;
	/**
	 * A command unanswered for this long means the link is dead (a server
	 * that stopped reading, a half-open connection): drop it and reconnect.
	 * Idle links are probed by the roster refresh. 0 turns it off. @default 30000
	 */
	replyTimeoutMs?: number;
	/** Reconnect after an unexpected drop or a failed attempt. @default true */
	reconnect?: boolean;
	/**
	 * The backoff starts again from its first step only after a connection
	 * has stayed up this long, ms; a server that accepts and drops at once is
	 * retried ever more slowly. @default 30000
	 */
	stableAfterMs?: number;
	/** Reconnect backoff. @default {baseMs: 500, capMs: 30000} */
	backoff?: Partial<BackoffOptions>;
	/** Idle roster refresh and lag probe, ms; 0 turns it off. @default 30000 */
	refreshIntervalMs?: number;
	/** How long to wait for the server to close after `exit`, ms (the 2015 server never answers). @default 1000 */
	exitTimeoutMs?: number;
	/** Most messages waiting in the outbox. @default 1000 */
	outboxCapacity?: number;
	/** Client-side pacing of messages, below the server's rate limit; false turns it off. @default {burst: 16, perSecond: 8} */
	sendRate?: RateOptions | false;
	/**
	 * Messages from before you joined to show on the first connect, on a
	 * server with `history` (§9); 0 shows none. At most 1,000. @default 0
	 */
	backlog?: number;
	/** The conversations to open at start, and where to keep them as they change (§10). */
	conversations?: ConversationKeeper;
	/** Rooms to join at start besides those the keeper holds (pipe mode's --room), in order. */
	rooms?: readonly string[];
	/** Log in to accounts; see LoginOptions. */
	login?: LoginOptions;
	/** Injected time source, for tests. */
	clock?: Clock;
	/** Injected randomness for backoff jitter, [0, 1). @default Math.random */
	random?: () => number;
};
