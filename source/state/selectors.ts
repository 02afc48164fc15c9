// Read the chat state through these, not through its fields: they are the
// contract with the UI. Selectors that build an object remember their last
// answer, so the same inputs give the same object (cheap equality checks in
// React), and none of them copies the whole log.
import type {RosterUser} from '../protocol/roster.js';
import {LOBBY_KEY} from './conversations.js';
import {entryAt, indexOfId, sliceEntries} from './log.js';
import {conversationOrder, currentConversation} from './reducer.js';
import {compareNames, sameName} from './roster.js';
import type {ChatState, ConnectionPhase, Conversation, ConversationKind, Dialect, LogEntry, RosterSnapshot} from './types.js';

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
	/** Members of the conversation on screen. */
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

const statusLine = memoLast((connection: ChatState['connection'], roster: RosterSnapshot, me: string): StatusLine => ({
	phase: connection.phase,
	server: connection.server,
	me,
	userCount: roster.users.length,
	lagMs: connection.lagMs,
	dialect: connection.dialect,
	rosterIncomplete: !roster.complete,
	reason: connection.reason,
	attempt: connection.attempt,
	retryAt: connection.phase === 'reconnecting' ? connection.retryAt : undefined,
}));

/** Everything the status bar shows. */
export function selectStatusLine(state: ChatState): StatusLine {
	return statusLine(state.connection, conversationRoster(state), state.me);
}

export type CurrentConversation = {readonly name: string; readonly kind: ConversationKind};

const current = memoLast((name: string, kind: ConversationKind): CurrentConversation => ({name, kind}));

/** The conversation on screen, for the status bar and for where a typed line goes. */
export function selectCurrentConversation(state: ChatState): CurrentConversation {
	const {name, kind} = currentConversation(state);
	return current(name, kind);
}

/** A row of the sidebar's member list: the roster's own user, sorted for display. */
export type RosterRow = RosterUser;

const rosterRows = memoLast((roster: RosterSnapshot): readonly RosterRow[] =>
	[...roster.users].sort((a, b) => compareNames(a.name, b.name) || Number(b.isMe) - Number(a.isMe)));

const directRoster = memoLast((roster: RosterSnapshot, partner: string): RosterSnapshot => {
	const me = roster.users.find(user => user.isMe) ?? {name: roster.me, isMe: true, gone: false, namesake: false};
	const seen = roster.users.find(user => !user.isMe && !user.namesake && sameName(user.name, partner));
	// Someone not on the server's list (gone, or never listed to us) is shown as possibly gone.
	return {me: roster.me, users: [me, seen ?? {name: partner, isMe: false, gone: true, namesake: false}], complete: roster.complete};
});

/**
 * The members of the conversation on screen: a room's own (the client's
 * report), everyone for #lobby or a server without rooms, you and the
 * partner for a direct conversation.
 */
function conversationRoster(state: ChatState): RosterSnapshot {
	const conversation = currentConversation(state);
	if (conversation.kind === 'direct') return directRoster(state.roster, conversation.name);
	if (conversation.roster !== undefined || state.room === LOBBY_KEY) return conversation.roster ?? state.roster;
	// A room whose join has not been answered yet: only you are known to be in it.
	return onlyYou(state.roster);
}

const onlyYou = memoLast((roster: RosterSnapshot): RosterSnapshot => ({
	me: roster.me,
	users: roster.users.filter(user => user.isMe),
	complete: false,
}));

/** The members of the conversation on screen, sorted case-insensitively, with you marked. */
export function selectRoster(state: ChatState): readonly RosterRow[] {
	return rosterRows(conversationRoster(state));
}

const rosterNames = memoLast((rows: readonly RosterRow[]): readonly string[] => [...new Set(rows.map(row => row.name))]);

/** Just the names, sorted, each once (for nick completion). */
export function selectRosterNames(state: ChatState): readonly string[] {
	return rosterNames(selectRoster(state));
}

/** The log on screen; also what changes when it does (the pane's version). */
export function selectLog(state: ChatState): Conversation['log'] {
	return currentConversation(state).log;
}

/** How many entries the log holds now. */
export function selectEntryCount(state: ChatState): number {
	return selectLog(state).size;
}

/** Entries [from, to) in order, 0 = oldest; copies only those. */
export function selectEntries(state: ChatState, from: number, to: number): readonly LogEntry[] {
	return sliceEntries(selectLog(state), from, to);
}

/** The newest `count` entries, in order. */
export function selectLastEntries(state: ChatState, count: number): readonly LogEntry[] {
	const log = selectLog(state);
	return sliceEntries(log, log.size - Math.max(0, count), log.size);
}

/** The entry at an index, 0 = oldest. */
export function selectEntry(state: ChatState, index: number): LogEntry | undefined {
	return entryAt(selectLog(state), index);
}

/** Where the entry with this id is now (it moves down as old ones are evicted), or -1 when gone. Use it to anchor a scrolled view. */
export function selectEntryIndex(state: ChatState, id: number): number {
	return indexOfId(selectLog(state), id);
}

export type Unread = {
	/** Mentions of you among `whileScrolled`. */
	readonly mentions: number;
	/** Id of the newest mention (not backlog) in any conversation: ring the bell when it changes. */
	readonly lastMentionId?: number;
	/** Messages from others below the view that you have not seen (0 at the bottom): the pane's "N new messages ↓". */
	readonly whileScrolled: number;
	/** Id of the first of those. */
	readonly firstUnreadId?: number;
};

const unread = memoLast((mentions: Conversation['mentions'], count: number, view: Conversation['view'], lastMentionId: number | undefined): Unread => ({
	mentions: mentions.unread,
	lastMentionId,
	whileScrolled: count,
	firstUnreadId: view.firstUnreadId,
}));

/** The conversation on screen's counts; `lastMentionId` is the newest mention in any conversation, so a mention elsewhere rings too. */
export function selectUnread(state: ChatState): Unread {
	const conversation = currentConversation(state);
	return unread(conversation.mentions, conversation.unread, conversation.view, newestMention(state.conversations)?.id);
}

/** The conversation on screen: whether its view is scrolled up, and the newest message shown from its room log (§9), for the read marker. */
export function selectReadView(state: ChatState): {readonly scrolledUp: boolean; readonly logTop: Conversation['logTop']} {
	const conversation = currentConversation(state);
	return {scrolledUp: conversation.view.scrolledUp, logTop: conversation.logTop};
}

const newestMention = memoLast((conversations: ChatState['conversations']): {readonly key: string; readonly id: number} | undefined => {
	let newest: {key: string; id: number} | undefined;
	for (const [key, {mentions}] of conversations) {
		if (mentions.lastId !== undefined && (newest === undefined || mentions.lastId > newest.id)) newest = {key, id: mentions.lastId};
	}

	return newest;
});

/** The newest mention of you or direct message (not backlog) in any conversation: its conversation's key and its entry. */
export function selectNewestMention(state: ChatState): {readonly key: string; readonly conversation: Conversation; readonly entry: LogEntry} | undefined {
	const newest = newestMention(state.conversations);
	if (newest === undefined) return undefined;
	const conversation = state.conversations.get(newest.key)!;
	const entry = entryAt(conversation.log, indexOfId(conversation.log, newest.id));
	return entry === undefined ? undefined : {key: newest.key, conversation, entry};
}

/** One row of the sidebar's conversation list. */
export type ConversationRow = {
	/** What switchConversation, closeConversation and the client's calls take: the room name or the partner's name. */
	readonly name: string;
	readonly kind: ConversationKind;
	/** Messages from others that arrived where you did not see them, since you last saw its bottom (Conversation.unread). */
	readonly unread: number;
	/** Mentions of you among them. */
	readonly mentions: number;
	/** On screen. */
	readonly current: boolean;
};

const conversationRows = memoLast((conversations: ChatState['conversations'], room: string): readonly ConversationRow[] =>
	conversationOrder(conversations).map(key => {
		const {name, kind, unread: count, mentions} = conversations.get(key)!;
		return {name, kind, unread: count, mentions: mentions.unread, current: key === room};
	}));

/** The open conversations, rooms first (#lobby first) then direct ones, each group in the order opened: Alt-1…9 index this list. */
export function selectConversations(state: ChatState): readonly ConversationRow[] {
	return conversationRows(state.conversations, state.room);
}

const totalUnread = memoLast((conversations: ChatState['conversations']): number => {
	let total = 0;
	for (const conversation of conversations.values()) total += conversation.unread;
	return total;
});

/** Unread messages in all conversations, for the terminal title. */
export function selectTotalUnread(state: ChatState): number {
	return totalUnread(state.conversations);
}
