// The typed events and options of ChatClient. Every string in an event that
// came from the network is untrusted: the UI sanitises it (PROTOCOL.md §7).
import type {CommandName, Dialect} from '../protocol/types.js';
import type {BackoffOptions} from './backoff.js';
import type {RateOptions} from './pacer.js';
import type {Clock} from './timers.js';
import type {TlsOptions, TransportFactory} from './transport.js';

export type RosterSource = 'connect' | 'refresh' | 'who';

export type ChatClientEvents = {
	/** `connect` succeeded. `server` is "host:port"; `welcome` is the server's success text. */
	connected: {user: string; server: string; dialect: Dialect; welcome: string};
	/** A chat message from someone else (the server does not echo our own). `time` is ms since the epoch, on arrival. */
	message: {user: string; text: string; time: number};
	enter: {user: string};
	exit: {user: string};
	/** Someone else changed name. */
	rename: {oldname: string; newname: string};
	/** The whole roster. `complete` is false when it was built from events alone (2015 dialect). */
	roster: {users: string[]; complete: boolean; source: RosterSource};
	/** The server accepted message `localId`. */
	sent: {localId: number; text: string};
	/** Message `localId` will not be sent: refused by the server (its error-msg), invalid, or the outbox was full or closed. */
	failed: {localId: number; text: string; error: string};
	/** Our own rename succeeded. */
	renamed: {oldname: string; newname: string};
	renameFailed: {oldname: string; newname: string; error: string};
	/** Every status reply, matched to the command it answers. */
	outcome: {command: CommandName; success: boolean; text: string; error: string};
	/** The connection is gone. `willReconnect` tells whether a reconnecting event follows. */
	disconnected: {reason: string; willReconnect: boolean};
	/** A new attempt starts in `delayMs` ms. `attempt` counts from 1 since the last good connection. */
	reconnecting: {attempt: number; delayMs: number};
	/** Round trip of get-clients, in ms. */
	lag: {ms: number};
	/** Something went wrong that the user should read: one line, what happened and what to do. */
	error: {message: string};
	/** The server did something odd (bad frames, events that make no sense); the client carries on. */
	warning: {message: string};
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
	/** Injected time source, for tests. */
	clock?: Clock;
	/** Injected randomness for backoff jitter, [0, 1). @default Math.random */
	random?: () => number;
};
