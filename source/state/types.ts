// The shape of the chat state and every action the reducer understands.
// Pure data: no React, no sockets. The client turns network events into these
// actions; the UI reads the state only through the selectors in selectors.ts.
//
// Every text here (names, messages, reasons) is stored raw, exactly as it came
// from the network. The UI passes each one through its sanitiser before it
// reaches the terminal (PROTOCOL.md §7); the state never does, so that nothing
// is sanitised twice or not at all.
import type {Dialect} from '../protocol/types.js';
import type {Log} from './log.js';

export type {Dialect} from '../protocol/types.js';
export type {Log} from './log.js';

// ---------------------------------------------------------------- log entries

/** Delivery state of one of your own messages. */
export type Delivery = 'pending' | 'sent' | 'failed';

type EntryBase = {
	/** Stable, unique, increasing; also the entry's position key (see log.ts). */
	readonly id: number;
	/** Epoch ms, taken from the action that created the entry. */
	readonly time: number;
};

export type ChatEntry = EntryBase & {
	readonly kind: 'chat';
	readonly user: string;
	readonly text: string;
	/** True for a message you typed (it came from ownMessageQueued, not the network). */
	readonly own: boolean;
	/** Only on own messages. */
	readonly delivery?: Delivery;
	/** The server's `error-msg` when delivery is 'failed'. */
	readonly error?: string;
	/** Only on own messages: the client's outbox id, which ownMessageSent/Failed refer to. */
	readonly localId?: number;
	/** Someone else's message that names you as a word. Never true on your own messages. */
	readonly mention: boolean;
	/** Replayed history: the UI must not ring the bell for it. */
	readonly backlog?: boolean;
};

export type SystemEvent = 'enter' | 'exit' | 'rename' | 'connection';

export type SystemEntry = EntryBase & {
	readonly kind: 'system';
	readonly event: SystemEvent;
	/** Plain text ("→ bob joined"); the UI dims it. */
	readonly text: string;
	/** enter/exit: who. */
	readonly user?: string;
	/** rename: the names. */
	readonly oldname?: string;
	readonly newname?: string;
};

export type ErrorEntry = EntryBase & {readonly kind: 'error'; readonly text: string};

/** Local output such as /who or /help. May hold newlines. */
export type InfoEntry = EntryBase & {readonly kind: 'info'; readonly text: string};

export type LogEntry = ChatEntry | SystemEntry | ErrorEntry | InfoEntry;

// ---------------------------------------------------------------------- state

export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export type ConnectionState = {
	readonly phase: ConnectionPhase;
	/** Why we are disconnected (or why the last attempt failed), for the status bar. */
	readonly reason?: string;
	/** Reconnect attempt number (1, 2, …) while reconnecting/connecting again; cleared on connected. */
	readonly attempt?: number;
	/** Epoch ms when the next attempt starts, so the UI can count down "reconnecting in 4 s". */
	readonly retryAt?: number;
	/** "host:port". */
	readonly server: string;
	readonly dialect?: Dialect;
	/** Last measured round trip of get-clients, ms. */
	readonly lagMs?: number;
};

export type RosterState = {
	/** Sorted case-insensitively; never two names with the same nameKey(). */
	readonly names: readonly string[];
	/**
	 * False in the 2015 dialect: that server has no get-clients, so the roster
	 * is built from events alone and the UI says "roster may be incomplete".
	 */
	readonly complete: boolean;
};

export type MentionState = {
	/** Mentions of you since the last mentionsRead. */
	readonly unread: number;
	/**
	 * Id of the newest non-backlog mention. The UI rings the bell when this
	 * changes, which gives exactly one bell per mentioning message.
	 */
	readonly lastId?: number;
};

export type ViewState = {
	/** Told by the UI: the message pane is not at the bottom. */
	readonly scrolledUp: boolean;
	/** Chat messages from others appended while scrolled up ("N new messages ↓"). */
	readonly unreadWhileScrolled: number;
	/** Id of the first entry appended while scrolled up, for a "new" divider. */
	readonly firstUnreadId?: number;
};

export type ChatState = {
	readonly connection: ConnectionState;
	/** Your own name (the one you connect with; follows renames). */
	readonly me: string;
	readonly roster: RosterState;
	/** The bounded message log; read it with selectEntryCount/selectEntries. */
	readonly log: Log;
	/** Id the next entry gets. */
	readonly nextId: number;
	/**
	 * Own messages still pending, by localId, in the order they were queued.
	 * Kept outside the log so they are found in O(1) and survive the ring
	 * wrapping or /clear (the outbox UI still lists them).
	 */
	readonly pending: ReadonlyMap<number, ChatEntry>;
	readonly mentions: MentionState;
	readonly view: ViewState;
};

export type InitialStateOptions = {
	/** How many log entries to keep; the oldest go first. @default 10_000 */
	readonly capacity?: number;
	/** Your name before the first connect. @default '' */
	readonly me?: string;
	/** "host:port". @default '' */
	readonly server?: string;
};

// -------------------------------------------------------------------- actions

/**
 * Everything that changes the state. Every action that can append a log
 * entry carries `time` (epoch ms); the reducer never reads the clock.
 */
export type ChatAction =
	/** A connection attempt starts (first connect or a retry). No log entry: the status bar shows it. */
	| {type: 'connecting'; server: string}
	/** `connect` succeeded. Resets the roster to just you until a roster action arrives. */
	| {type: 'connected'; me: string; server: string; dialect?: Dialect; time: number}
	/** The connection is gone. The client sends reconnecting next if it will retry. */
	| {type: 'disconnected'; reason: string; time: number}
	/** The next attempt starts in delayMs. attempt counts from 1. */
	| {type: 'reconnecting'; attempt: number; delayMs: number; time: number}
	| {type: 'lag'; ms: number}
	/** The dialect, if detected after connected. */
	| {type: 'dialect'; dialect: Dialect}
	/** A get-clients result: replaces the roster wholesale (deduplicated, you kept). */
	| {type: 'roster'; names: readonly string[]}
	| {type: 'enter'; user: string; time: number}
	| {type: 'exit'; user: string; time: number}
	/** Someone (possibly you) renamed; when oldname is you, `me` follows. */
	/** `self`: our own rename, confirmed by the server; only that changes `me` (a 2015 server lets others share our name). */
	| {type: 'rename'; oldname: string; newname: string; time: number; self?: boolean}
	| {type: 'message'; user: string; text: string; time: number; backlog?: boolean}
	/** You typed a message; it shows as pending. localId is the client's outbox id. */
	| {type: 'ownMessageQueued'; localId: number; text: string; time: number}
	| {type: 'ownMessageSent'; localId: number}
	| {type: 'ownMessageFailed'; localId: number; error: string}
	| {type: 'error'; text: string; time: number}
	| {type: 'info'; text: string; time: number}
	/** /clear: empties the log (pending own messages stay in `pending`). */
	| {type: 'clear'}
	/** The UI's scroll state. Back at the bottom resets the unread-while-scrolled count. */
	| {type: 'scroll'; scrolledUp: boolean}
	| {type: 'mentionsRead'};

export type ChatActionType = ChatAction['type'];
