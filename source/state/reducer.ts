// The chat reducer: (state, action) -> state. Pure: it never reads the clock
// (times come in actions), never touches a socket, and never mutates a state
// it was given (see log.ts for how the log shares chunks safely). Handlers are
// dispatched from a table keyed by action type that must name every action.
//
// Choices worth knowing:
// - Who is present is the client's to decide (client/roster.ts); actions
//   carry its snapshot and the reducer stores it as it is, so the screen,
//   /who, pipe mode and the transcript show one list. #lobby's members are
//   everyone's roster (ChatState.roster); another room keeps its own.
// - Lines are per conversation (a room or a direct partner, see types.ts);
//   what comes from the network names its conversation (left out: #lobby),
//   connection lines and local output go to the conversation on screen.
// - One rule for the unread and the mention counts: a message from someone
//   else counts when it arrives where you do not see it (its conversation
//   not on screen, or scrolled up), and the counts go when you see the
//   bottom of it (put on screen at the bottom, or scrolled back down). What
//   arrived while you watched is read, so leaving it leaves nothing counted.
//   The first one counted marks where the unread part starts ("N new");
//   leaving a conversation at its bottom clears that marker.
// - `disconnected` logs a line only when it says something new (the rule is
//   connection-lines.ts's, shared with the transcript and pipe mode), so a
//   long outage does not flood the log with the same "cannot reach" per
//   attempt; the status bar carries the live state. Likewise `reconnecting`
//   logs only the first attempt of an outage.
// - Messages from the room log (§9) come from the client in seq order, each
//   once; a seq at or below the newest shown in the same epoch is dropped all
//   the same, so the pane never shows a message twice. Backlog neither rings
//   nor counts as unread; an older page goes above the oldest entry, with ids
//   counting down, so the view's anchor (an id) keeps the view still.
import {disconnectIsNews} from './connection-lines.js';
import {conversationKey, LOBBY_KEY, newConversation} from './conversations.js';
import {backlogText, gapText, RESET_TEXT} from './history-lines.js';
import {appendEntry, clearLog, DEFAULT_LOG_CAPACITY, dropLast, emptyLog, entryAt, indexOfId, prependEntries, replaceEntry} from './log.js';
import {mentionsMe} from './mentions.js';
import {foldItem, itemsOf, MAX_RUN_ITEMS, runLine} from './presence-runs.js';
import {sameName} from './roster.js';
import {
	LOBBY,
	type ChatAction,
	type ChatActionType,
	type ChatEntry,
	type ChatState,
	type Conversation,
	type Delivery,
	type InitialStateOptions,
	type LogEntry,
	type PresenceItem,
	type RosterSnapshot,
	type SystemEntry,
} from './types.js';

/** A fresh state: disconnected, #lobby open and on screen, empty log. Throws on a bad capacity. */
export function initialState(options: InitialStateOptions = {}): ChatState {
	const me = options.me ?? '';
	const capacity = options.capacity ?? DEFAULT_LOG_CAPACITY;
	return {
		connection: {phase: 'disconnected', server: options.server ?? ''},
		me,
		roster: {me, users: me === '' ? [] : [{name: me, isMe: true, gone: false, namesake: false}], complete: true},
		conversations: new Map([[LOBBY_KEY, newConversation(LOBBY, capacity)]]),
		room: LOBBY_KEY,
		capacity,
		nextId: 1,
		olderId: 0,
		dialectNamed: false,
		highlights: options.highlights ?? [],
		quietJoins: options.quietJoins ?? true,
		readSince: options.readSince ?? new Map(),
	};
}

/** The conversation on screen. */
export function currentConversation(state: ChatState): Conversation {
	return state.conversations.get(state.room)!;
}

/** The key an action names: its conversation, else `fallback` (#lobby for the network's, the one on screen for the user's). */
function keyOf(state: ChatState, conversation: string | undefined, fallback: 'lobby' | 'current'): string {
	if (conversation !== undefined) return conversationKey(conversation);
	return fallback === 'lobby' ? LOBBY_KEY : state.room;
}

function withConversation(state: ChatState, key: string, conversation: Conversation): ChatState {
	return {...state, conversations: new Map(state.conversations).set(key, conversation)};
}

/** Opens the conversation `name` (keyed `key`) if it is not open yet. */
function ensureConversation(state: ChatState, key: string, name: string): ChatState {
	return state.conversations.has(key) ? state : withConversation(state, key, newConversation(name, state.capacity));
}

function withRoster(state: ChatState, roster: RosterSnapshot | undefined): ChatState {
	return roster === undefined || roster === state.roster ? state : {...state, roster, me: roster.me};
}

/** Stores a roster where it belongs: everyone's for #lobby, else the room's own (a room not open is ignored). */
function withRosterOf(state: ChatState, key: string, roster: RosterSnapshot | undefined): ChatState {
	if (key === LOBBY_KEY) return withRoster(state, roster);
	const conversation = state.conversations.get(key);
	if (roster === undefined || conversation === undefined || conversation.kind !== 'room' || conversation.roster === roster) return state;
	return withConversation(state, key, {...conversation, roster});
}

// A log entry before the reducer gives it an id (distributes over the union).
type Draft<E> = E extends LogEntry ? Omit<E, 'id'> : never;

/** Whether you see what arrives in `key` now: on screen, at the bottom. */
function seesNewest(state: ChatState, key: string, conversation: Conversation): boolean {
	return key === state.room && !conversation.view.scrolledUp;
}

/** The conversation with its unread and mention counts cleared: you saw its bottom. */
function seen(conversation: Conversation): Conversation {
	if (conversation.unread === 0 && conversation.mentions.unread === 0) return conversation;
	return {...conversation, unread: 0, mentions: {...conversation.mentions, unread: 0}};
}

/** How a message from someone else counts: `news` (not backlog said before you were here), `mention` (of you, or a direct message). */
type Counting = {readonly news: boolean; readonly mention: boolean};

/**
 * Appends an entry with the next id to an open conversation. News you do
 * not see as it arrives (seesNewest) counts as unread, and as a mention too
 * when it is one; a mention that is news rings (mentions.lastId) either way.
 */
function addEntry(state: ChatState, key: string, draft: Draft<LogEntry>, patch?: Pick<Conversation, 'logTop'>, counting?: Counting): ChatState {
	const found = state.conversations.get(key);
	if (found === undefined) return state;
	const id = state.nextId;
	const entry = {...draft, id} as LogEntry;
	let conversation = patch ? {...found, ...patch} : found;
	if (counting?.news) {
		let {view, unread, mentions} = conversation;
		const unseen = !seesNewest(state, key, conversation);
		if (unseen) {
			unread++;
			view = {...view, firstUnreadId: view.firstUnreadId ?? id};
		}

		if (counting.mention) mentions = {unread: mentions.unread + (unseen ? 1 : 0), lastId: id};
		conversation = {...conversation, view, unread, mentions};
	}

	return {...withConversation(state, key, {...conversation, log: appendEntry(conversation.log, entry)}), nextId: id + 1};
}

function systemLine(state: ChatState, key: string, time: number, fields: Omit<SystemEntry, 'id' | 'kind' | 'time'>): ChatState {
	return addEntry(state, key, {kind: 'system', time, ...fields});
}

/**
 * A join, leave or rename. With quiet joins on, it folds into the newest
 * line when that is a presence line too (the line keeps its id, so the view
 * stays put); a run that folds to nothing takes its line away.
 */
function presenceLine(state: ChatState, key: string, item: PresenceItem): ChatState {
	const conversation = state.conversations.get(key);
	if (conversation === undefined) return state;
	const {log} = conversation;
	const last = entryAt(log, log.size - 1);
	const run = state.quietJoins && last?.kind === 'system' ? itemsOf(last) : undefined;
	if (last === undefined || run === undefined || run.length >= MAX_RUN_ITEMS) {
		return systemLine(state, key, item.time, item.event === 'rename'
			? {event: 'rename', text: item.text, oldname: item.oldname, newname: item.newname, item}
			: {event: item.event, text: item.text, user: item.user, item});
	}

	const folded = foldItem(run, item);
	const nextLog = folded.length === 0 ? dropLast(log) : replaceEntry(log, log.size - 1, {...last, ...runLine(folded), time: item.time});
	return withConversation(state, key, {...conversation, log: nextLog});
}

/**
 * The keys in sidebar order: rooms first, then direct conversations, each
 * group in the order it was opened (#lobby first), so Alt-1…9 keep their
 * meaning as conversations come and go after them.
 */
export function conversationOrder(conversations: ChatState['conversations']): string[] {
	const rooms: string[] = [];
	const direct: string[] = [];
	for (const [key, conversation] of conversations) (conversation.kind === 'room' ? rooms : direct).push(key);
	return [...rooms, ...direct];
}

/** Puts `key` on screen: at its bottom its counts go to 0 (scrolled up, the pane's marker goes on counting); the one left forgets its "new" marker unless scrolled up. */
function focus(state: ChatState, key: string): ChatState {
	const target = state.conversations.get(key);
	if (target === undefined) return state;
	const conversations = new Map(state.conversations);
	const left = conversations.get(state.room);
	if (key !== state.room && left !== undefined && !left.view.scrolledUp && left.view.firstUnreadId !== undefined) {
		conversations.set(state.room, {...left, view: {scrolledUp: false}});
	}

	if (!target.view.scrolledUp) conversations.set(key, seen(target));
	return {...state, conversations, room: key};
}

/** "0.5", "4", "30": one decimal under ten seconds, whole seconds above. */
export function formatDelaySeconds(delayMs: number): string {
	const seconds = Math.max(0, delayMs) / 1000;
	return seconds < 10 ? String(Math.round(seconds * 10) / 10) : String(Math.round(seconds));
}

/** Moves a pending own message to `delivery`, in whichever conversation holds it; a localId that is not pending is a no-op. */
function settleOwnMessage(state: ChatState, localId: number, delivery: Exclude<Delivery, 'pending'>, error?: string, seq?: number): ChatState {
	for (const [key, conversation] of state.conversations) {
		const entryId = conversation.ownEntries.get(localId);
		if (entryId === undefined) continue;
		const ownEntries = new Map(conversation.ownEntries);
		ownEntries.delete(localId);
		let {log} = conversation;
		const index = indexOfId(log, entryId);
		if (index !== -1) {
			// Still in the ring (it may have been evicted or cleared meanwhile).
			const entry = entryAt(log, index) as ChatEntry;
			log = replaceEntry(log, index, {...entry, delivery, ...(error === undefined ? {} : {error}), ...(seq === undefined ? {} : {seq})});
		}

		return withConversation(state, key, {...conversation, ownEntries, log});
	}

	return state;
}

/** A direct conversation with `oldname` follows their new name, keeping its place in the order. */
function renamePartner(state: ChatState, oldname: string, newname: string): ChatState {
	const oldKey = conversationKey(oldname);
	const conversation = state.conversations.get(oldKey);
	if (conversation?.kind !== 'direct' || newname.startsWith('#')) return state;
	const newKey = conversationKey(newname);
	if (newKey !== oldKey && state.conversations.has(newKey)) return state; // Both open: leave them apart.
	const conversations = new Map<string, Conversation>();
	for (const [key, value] of state.conversations) {
		if (key === oldKey) conversations.set(newKey, {...conversation, name: newname});
		else conversations.set(key, value);
	}

	return {...state, conversations, room: state.room === oldKey ? newKey : state.room};
}

/** Someone else under your name is shown as such. */
const who = (user: string, namesake: boolean | undefined) => (namesake ? `${user} (not you)` : user);

type Handlers = {
	[K in ChatActionType]: (state: ChatState, action: Extract<ChatAction, {type: K}>) => ChatState;
};

const handlers: Handlers = {
	connecting: (state, {server}) => ({
		...state,
		// Keep attempt and the last reason: "connecting (attempt 3)" is still true.
		connection: {...state.connection, phase: 'connecting', server, retryAt: undefined},
	}),

	connected(state, {server, dialect, time, roster}) {
		let next: ChatState = withRoster({...state, connection: {phase: 'connected', server, dialect}}, roster);
		next = systemLine(next, next.room, time, {event: 'connection', text: `connected to ${server}`});
		if (dialect !== '2015' || state.dialectNamed) return next;
		// Said once: the status bar keeps saying the list may be incomplete.
		next = addEntry(next, next.room, {kind: 'info', time, text: 'this is a 2015 CodeChat server: no user list, so the list shows who was seen'});
		return {...next, dialectNamed: true};
	},

	disconnected(state, {reason, time, roster}) {
		const previous = state.connection;
		const next: ChatState = withRoster({
			...state,
			connection: {...previous, phase: 'disconnected', reason, retryAt: undefined, lagMs: undefined},
		}, roster);
		// The client reports why it failed as an error first: no need to say it twice.
		const {log} = currentConversation(state);
		const last = entryAt(log, log.size - 1);
		const news = disconnectIsNews({connected: previous.phase === 'connected', reason: previous.reason, lastError: last?.kind === 'error' ? last.text : undefined}, reason);
		return news ? systemLine(next, next.room, time, {event: 'connection', text: `disconnected: ${reason}`}) : next;
	},

	reconnecting(state, {attempt, delayMs, time}) {
		const next: ChatState = {
			...state,
			connection: {...state.connection, phase: 'reconnecting', attempt, retryAt: time + Math.max(0, delayMs), lagMs: undefined},
		};
		// One line per outage; the status bar counts down the later attempts.
		if (attempt > 1) return next;
		return systemLine(next, next.room, time, {
			event: 'connection',
			text: `reconnecting in ${formatDelaySeconds(delayMs)} s (attempt ${attempt})`,
		});
	},

	lag: (state, {ms}) => (Number.isFinite(ms) && ms >= 0 ? {...state, connection: {...state.connection, lagMs: ms}} : state),

	roster: (state, {roster, conversation}) => withRosterOf(state, keyOf(state, conversation, 'lobby'), roster),

	enter(state, {user, time, roster, namesake, conversation}) {
		const key = keyOf(state, conversation, 'lobby');
		const label = who(user, namesake);
		return presenceLine(withRosterOf(state, key, roster), key, {event: 'enter', user, label, time, text: `→ ${label} joined`});
	},

	exit(state, {user, time, roster, msg, namesake, part, conversation}) {
		const key = keyOf(state, conversation, 'lobby');
		const verb = part ? 'left the room' : 'left';
		const label = who(user, namesake);
		return presenceLine(withRosterOf(state, key, roster), key, {
			event: 'exit',
			user,
			label,
			time,
			text: `← ${label} ${verb}${msg === undefined ? '' : ` (${msg})`}`,
			...(msg === undefined ? {} : {reason: msg}),
		});
	},

	rename(state, {oldname, newname, time, roster, conversations}) {
		let next = renamePartner(withRoster(state, roster), oldname, newname);
		const keys = new Set((conversations ?? [LOBBY]).map(name => conversationKey(name)));
		const partner = next.conversations.get(conversationKey(newname));
		if (partner?.kind === 'direct') keys.add(conversationKey(newname));
		for (const key of keys) next = presenceLine(next, key, {event: 'rename', oldname, newname, time, text: `${oldname} is now ${newname}`});
		return next;
	},

	message(state, {user, text, time, roster, backlog, recovered, namesake, own, seq, epoch, action, conversation}) {
		const key = keyOf(state, conversation, 'lobby');
		const next = ensureConversation(withRoster(state, roster), key, conversation ?? LOBBY);
		let patch: Pick<Conversation, 'logTop'> | undefined;
		if (seq !== undefined && epoch !== undefined) {
			const {logTop} = next.conversations.get(key)!;
			if (logTop?.epoch === epoch && seq <= logTop.seq) return next;
			patch = {logTop: {epoch, seq}};
		}

		const fromOther = !own && !namesake && !sameName(user, next.me);
		// Backlog said after where the last run had read: new to you, so counted, though not rung (alerts skip backlog).
		const since = backlog && seq !== undefined ? next.readSince.get(key) : undefined;
		const unseenBacklog = since !== undefined && since.epoch === epoch && seq! > since.seq;
		const mention = fromOther && mentionsMe(text, next.me, next.highlights);
		// A direct message is addressed to you: counted as a mention, though not highlighted as one.
		const counted = mention || (fromOther && next.conversations.get(key)!.kind === 'direct');
		return addEntry(next, key, {
			kind: 'chat',
			time,
			user,
			text,
			...(own ? {own: true, delivery: 'sent' as const} : {own: false}),
			mention,
			...(backlog ? {backlog: true} : {}),
			...(recovered ? {recovered: true} : {}),
			...(namesake ? {namesake: true} : {}),
			...(seq === undefined ? {} : {seq}),
			...(action ? {action: true} : {}),
		}, patch, {news: !own && (!backlog || (fromOther && unseenBacklog)), mention: counted});
	},

	historyCaughtUp(state, {backlog, time, conversation}) {
		const key = keyOf(state, conversation, 'lobby');
		return backlog > 0 ? addEntry(state, key, {kind: 'separator', time, text: backlogText(backlog)}) : state;
	},

	historyGap: (state, {missed, kept, time, conversation}) => systemLine(state, keyOf(state, conversation, 'lobby'), time, {event: 'history', text: gapText(missed, kept)}),

	historyReset(state, {time, conversation}) {
		const key = keyOf(state, conversation, 'lobby');
		const next = systemLine(state, key, time, {event: 'history', text: RESET_TEXT});
		const target = next.conversations.get(key);
		// The seqs shown so far name nothing in the new log.
		return target === undefined ? next : withConversation(next, key, {...target, logTop: undefined});
	},

	olderRequested(state, {time, conversation}) {
		const key = keyOf(state, conversation, 'current');
		const target = state.conversations.get(key);
		if (target === undefined || target.loadingId !== undefined) return state;
		const id = state.olderId;
		const log = prependEntries(target.log, [{kind: 'loading', id, time}]);
		return {...withConversation(state, key, {...target, log, loadingId: id}), olderId: id - 1};
	},

	olderLoaded(state, {messages, conversation}) {
		const key = keyOf(state, conversation, 'current');
		const target = state.conversations.get(key);
		if (target === undefined || (target.loadingId === undefined && messages.length === 0)) return state;
		const first = state.olderId - messages.length + 1;
		const entries: LogEntry[] = messages.map(({user, text, time, seq, own, action}, index) => ({
			kind: 'chat',
			id: first + index,
			time,
			user,
			text,
			...(own ? {own: true, delivery: 'sent' as const} : {own: false}),
			mention: !own && !sameName(user, state.me) && mentionsMe(text, state.me, state.highlights),
			backlog: true,
			...(seq === undefined ? {} : {seq}),
			...(action ? {action: true} : {}),
		}));
		const log = prependEntries(target.log, entries, target.loadingId);
		return {...withConversation(state, key, {...target, log, loadingId: undefined}), olderId: first - 1};
	},

	ownMessageQueued(state, {localId, text, time, action, conversation}) {
		const key = keyOf(state, conversation, 'current');
		// The same outbox item twice: once is enough.
		if ([...state.conversations.values()].some(open => open.ownEntries.has(localId))) return state;
		const next = addEntry(ensureConversation(state, key, conversation ?? currentConversation(state).name), key, {kind: 'chat', time, user: state.me, text, own: true, delivery: 'pending', localId, mention: false, ...(action ? {action: true} : {})});
		const target = next.conversations.get(key)!;
		return withConversation(next, key, {...target, ownEntries: new Map(target.ownEntries).set(localId, next.nextId - 1)});
	},

	ownMessageSent: (state, {localId, seq}) => settleOwnMessage(state, localId, 'sent', undefined, seq),

	ownMessageFailed: (state, {localId, error}) => settleOwnMessage(state, localId, 'failed', error),

	error: (state, {text, time, conversation}) => addEntry(state, keyOf(state, conversation, 'current'), {kind: 'error', time, text}),

	info: (state, {text, time, conversation}) => addEntry(state, keyOf(state, conversation, 'current'), {kind: 'info', time, text}),

	clear(state) {
		const conversation = currentConversation(state);
		return withConversation(state, state.room, seen({...conversation, log: clearLog(conversation.log), loadingId: undefined, view: {scrolledUp: conversation.view.scrolledUp}}));
	},

	scroll(state, {scrolledUp}) {
		const conversation = currentConversation(state);
		if (scrolledUp === conversation.view.scrolledUp) return state;
		// Going up starts a fresh marker; coming back down has seen everything.
		const view = {scrolledUp};
		return withConversation(state, state.room, scrolledUp ? {...conversation, view} : seen({...conversation, view}));
	},

	openConversation(state, {conversation, focus: focusIt}) {
		const key = conversationKey(conversation);
		const open = state.conversations.get(key);
		let next = state;
		if (open === undefined) next = withConversation(state, key, newConversation(conversation, state.capacity));
		// A room as the server spells it; a partner's name as the latest message or rename spelt it.
		else if (open.kind === 'room' && open.name !== conversation) next = withConversation(state, key, {...open, name: conversation});
		return focusIt ? focus(next, key) : next;
	},

	closeConversation(state, {conversation}) {
		const key = conversationKey(conversation);
		if (key === LOBBY_KEY || !state.conversations.has(key)) return state;
		const order = conversationOrder(state.conversations);
		const conversations = new Map(state.conversations);
		conversations.delete(key);
		const next: ChatState = {...state, conversations};
		if (state.room !== key) return next;
		// The one before it in the sidebar takes its place, so closing several in a row walks back.
		const before = order[order.indexOf(key) - 1] ?? LOBBY_KEY;
		return focus({...next, room: before}, before);
	},

	switchConversation: (state, {conversation}) => focus(state, conversationKey(conversation)),

	switchBy(state, {offset}) {
		if (!Number.isInteger(offset) || offset === 0) return state;
		const order = conversationOrder(state.conversations);
		const index = order.indexOf(state.room);
		const target = order[(((index + offset) % order.length) + order.length) % order.length];
		return focus(state, target);
	},
};

/** The reducer. An action it does not know (from untyped code) returns the state unchanged. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
	const handler = handlers[action.type] as ((state: ChatState, action: ChatAction) => ChatState) | undefined;
	return handler === undefined ? state : handler(state, action);
}
