// The room log of PROTOCOL.md §9 behind one interface, so the server can keep
// it in memory, in SQLite (`--data DIR`) or in Redis (`--redis URL`) without
// its connection code knowing which. A conversation is named by a key string
// (a room's casefolded name, e.g. '#lobby'); each has its own seq order,
// 1, 2, 3, … with no holes, and its own epoch.

/** A message as the server hands it to the log. */
export type NewMessage = {
	conversation: string;
	user: string;
	msg: string;
	/** The client's idempotency key (§9: 16–64 of [A-Za-z0-9_-]); the caller has validated it. */
	id?: string;
	/** §13: a `/me` action; kept with the message so that history shows it as one. */
	action?: true;
};

/** A message as the log keeps it and gives it back. */
export type StoredMessage = {
	seq: number;
	epoch: string;
	/** Server time, integer milliseconds since 1970; never decreases within a conversation. */
	time: number;
	user: string;
	msg: string;
	id?: string;
	action?: true;
};

/** Where the message now stands in the log; what the sender's status and the event carry. */
export type LogPosition = {seq: number; epoch: string; time: number};

export type AppendOutcome =
	/** Committed: send the status, then the event. */
	| ({outcome: 'stored'} & LogPosition)
	/** The id was seen before with the same sender and text: answer success with this position and `duplicate: true`; deliver nothing. */
	| ({outcome: 'duplicate'} & LogPosition)
	/** The id was seen before with another sender or text: fail with `conflict`. */
	| {outcome: 'conflict'};

/** `after`, `before`, or neither (the newest); the caller refuses both with `bad-field`. */
export type HistoryQuery = {after: number; before?: undefined} | {before: number; after?: undefined} | {after?: undefined; before?: undefined};

export type HistoryPage = {
	/** In seq order, oldest first. */
	messages: StoredMessage[];
	epoch: string;
	/** The oldest and newest seq the log still keeps; both 0 for an empty log. */
	first: number;
	last: number;
	/** More messages lie beyond this page in the direction asked (the limit or the size budget cut it short). */
	more: boolean;
};

/**
 * A page as the `history` reply carries it: `messages` holds the bytes of the
 * inside of the reply's JSON array (no brackets) of §9 message events, in seq
 * order, joined by commas, each with the `room` asked for; `count` says how many. The same page history() gives, encoded as
 * encodeMessageEvent() encodes each one.
 */
export type EncodedHistoryPage = Omit<HistoryPage, 'messages'> & {count: number; messages: Buffer};

export type MessageLog = {
	/** Which backend, for the start-up log line. */
	readonly kind: 'memory' | 'sqlite' | 'redis';
	/**
	 * Appends messages, in order; one outcome per message, in the same order.
	 * Resolves only once the messages are committed (SQLite: the transaction of
	 * this tick; Redis: the script's reply). Appends made in the same tick are
	 * committed together and resolve in seq order. Rejects with a StoreError
	 * `unavailable` when the storage cannot take writes now.
	 */
	append(messages: readonly NewMessage[]): Promise<AppendOutcome[]>;
	/** A page of a conversation's log; `limit` is clamped to 1..1000 (default 100). */
	history(conversation: string, query: HistoryQuery, limit?: number): Promise<HistoryPage>;
	/**
	 * The page history() gives, already encoded for the reply, so that the
	 * server does not build an object per message only to stringify it again.
	 * `room` is the events' `room` field (undefined leaves it out).
	 */
	encodedHistory(conversation: string, query: HistoryQuery, room: string | undefined, limit?: number): Promise<EncodedHistoryPage>;
	/** Deletes a conversation's log and its ids (an emptied room after 24 h); its next message starts a new epoch at seq 1. */
	drop(conversation: string): Promise<void>;
	/** Commits what is queued, then releases the storage (and its lock). */
	close(): Promise<void>;
};

export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_LIMIT = 1000;
/** §9 `--history N`: messages kept per conversation. */
export const DEFAULT_HISTORY_PER_CONVERSATION = 10_000;
/** §9: the memory log keeps at most this many messages over all conversations. */
export const DEFAULT_MEMORY_TOTAL = 1_000_000;
/** §9: ids are kept at least this long… */
export const ID_WINDOW_MS = 10 * 60 * 1000;
/** …and at most this many per server; when both cannot hold, the count wins (memory stays bounded). */
export const MAX_IDS = 100_000;

export function clampLimit(limit: number | undefined): number {
	if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_HISTORY_LIMIT;
	return Math.min(MAX_HISTORY_LIMIT, Math.max(1, Math.floor(limit)));
}

export type StoreErrorCode =
	/** better-sqlite3 is not installed (it is an optional dependency). */
	| 'missing-driver'
	/** The data directory or its database cannot be read or written. */
	| 'unreadable'
	/** The database was written by a newer version of codechat-tui. */
	| 'newer-version'
	/** Another running server holds the data directory. */
	| 'locked'
	/** The database file is damaged beyond what SQLite recovers by itself. */
	| 'corrupt'
	/** A write or read failed now (Redis unreachable, disk full); the client may retry. */
	| 'unavailable'
	/** The log was closed. */
	| 'closed';

/** A failure the CLI prints as one line (`message`) and decides on by `code`. */
export class StoreError extends Error {
	override name = 'StoreError';
	readonly code: StoreErrorCode;
	/** With `unavailable`: seconds after which trying again makes sense (§8 `retry`). */
	readonly retry: number | undefined;

	constructor(code: StoreErrorCode, message: string, options?: {cause?: unknown; retry?: number}) {
		super(message, options);
		this.code = code;
		this.retry = options?.retry;
	}
}
