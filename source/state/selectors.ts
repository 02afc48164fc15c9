// Read the chat state through these, not through its fields: they are the
// contract with the UI. Selectors that build an object remember their last
// answer, so the same inputs give the same object (cheap equality checks in
// React), and none of them copies the whole log.
import {entryAt, indexOfId, sliceEntries} from './log.js';
import {sameName} from './roster.js';
import type {ChatEntry, ChatState, ConnectionPhase, Dialect, LogEntry} from './types.js';

/** Remembers the answer for the last inputs, compared by identity. */
function memoLast<Inputs extends readonly unknown[], Result>(compute: (...inputs: Inputs) => Result): (...inputs: Inputs) => Result {
	let lastInputs: Inputs | undefined;
	let lastResult: Result;
	return (...inputs) => {
		if (lastInputs !== undefined && lastInputs.length === inputs.length && lastInputs.every((input, index) => input === inputs[index])) {
			return lastResult;
		}

		lastResult = compute(...inputs);
		lastInputs = inputs;
		return lastResult;
	};
}

export type StatusLine = {
	readonly phase: ConnectionPhase;
	readonly server: string;
	readonly me: string;
	readonly userCount: number;
	readonly lagMs?: number;
	readonly dialect?: Dialect;
	/** Show "roster may be incomplete" (the 2015 dialect). */
	readonly rosterIncomplete: boolean;
	/** Why we are (or were last) disconnected. */
	readonly reason?: string;
	/** Reconnect attempt, while reconnecting or connecting again. */
	readonly attempt?: number;
	/** Epoch ms of the next attempt, while reconnecting: count down to it. */
	readonly retryAt?: number;
};

const statusLine = memoLast((connection: ChatState['connection'], roster: ChatState['roster'], me: string): StatusLine => ({
	phase: connection.phase,
	server: connection.server,
	me,
	userCount: roster.names.length,
	lagMs: connection.lagMs,
	dialect: connection.dialect,
	rosterIncomplete: !roster.complete,
	reason: connection.reason,
	attempt: connection.attempt,
	retryAt: connection.phase === 'reconnecting' ? connection.retryAt : undefined,
}));

/** Everything the status bar shows. */
export function selectStatusLine(state: ChatState): StatusLine {
	return statusLine(state.connection, state.roster, state.me);
}

export type RosterRow = {readonly name: string; readonly isMe: boolean};

const rosterRows = memoLast((names: readonly string[], me: string): readonly RosterRow[] =>
	names.map(name => ({name, isMe: me.length > 0 && sameName(name, me)})));

/** The roster, sorted case-insensitively, with you marked. */
export function selectRoster(state: ChatState): readonly RosterRow[] {
	return rosterRows(state.roster.names, state.me);
}

/** Just the names, sorted (for nick completion). */
export function selectRosterNames(state: ChatState): readonly string[] {
	return state.roster.names;
}

/** How many entries the log holds now. */
export function selectEntryCount(state: ChatState): number {
	return state.log.size;
}

/** Entries [from, to) in order, 0 = oldest; copies only those. */
export function selectEntries(state: ChatState, from: number, to: number): readonly LogEntry[] {
	return sliceEntries(state.log, from, to);
}

/** The newest `count` entries, in order. */
export function selectLastEntries(state: ChatState, count: number): readonly LogEntry[] {
	return sliceEntries(state.log, state.log.size - Math.max(0, count), state.log.size);
}

/** The entry at an index, 0 = oldest. */
export function selectEntry(state: ChatState, index: number): LogEntry | undefined {
	return entryAt(state.log, index);
}

/** Where the entry with this id is now (it moves down as old ones are evicted), or -1 when gone. Use it to anchor a scrolled view. */
export function selectEntryIndex(state: ChatState, id: number): number {
	return indexOfId(state.log, id);
}

const pendingList = memoLast((pending: ChatState['pending']): readonly ChatEntry[] => [...pending.values()]);

/** Your own messages still waiting for the server, in the order typed (for the outbox). */
export function selectPending(state: ChatState): readonly ChatEntry[] {
	return pendingList(state.pending);
}

export type Unread = {
	/** Mentions of you since mentionsRead. */
	readonly mentions: number;
	/** Id of the newest mention (not backlog): ring the bell when it changes. */
	readonly lastMentionId?: number;
	/** Messages from others that arrived while scrolled up. */
	readonly whileScrolled: number;
	/** Id of the first of those. */
	readonly firstUnreadId?: number;
};

const unread = memoLast((mentions: ChatState['mentions'], view: ChatState['view']): Unread => ({
	mentions: mentions.unread,
	lastMentionId: mentions.lastId,
	whileScrolled: view.unreadWhileScrolled,
	firstUnreadId: view.firstUnreadId,
}));

export function selectUnread(state: ChatState): Unread {
	return unread(state.mentions, state.view);
}

export function selectMe(state: ChatState): string {
	return state.me;
}
