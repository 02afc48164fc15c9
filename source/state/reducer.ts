// The chat reducer: (state, action) -> state. Pure: it never reads the clock
// (times come in actions), never touches a socket, and never mutates a state
// it was given (see log.ts for how the log shares chunks safely). Handlers are
// dispatched from a table keyed by action type.
//
// Choices worth knowing:
// - The roster always holds `me` (once we have a name). A hostile or confused
//   server that says we left or that sends a roster without us cannot make
//   us vanish from our own screen; such an exit is ignored.
// - In the 2015 dialect the roster is built from events alone, so it is
//   incomplete: an exit of an unknown name still logs "← x left", and the
//   sender of a message is added to the roster (a message proves presence).
//   With a complete roster, an exit of an unknown name is a no-op.
// - An enter for a name already present is a no-op (no duplicate, no line).
// - Only our own confirmed rename (`self`) changes `me`: on a 2015 server
//   someone else may share our name and rename away from it.
// - `disconnected` logs a line only when it says something new (first drop, or
//   a different reason), so a long outage does not flood the log with the
//   same "cannot reach" per attempt; the status bar carries the live state.
//   Likewise `reconnecting` logs only the first attempt of an outage.
import {appendEntry, clearLog, emptyLog, entryAt, indexOfId, replaceEntry} from './log.js';
import {mentionsName} from './mentions.js';
import {addName, buildRoster, indexOfName, removeName, renameName, sameName} from './roster.js';
import type {
	ChatAction,
	ChatActionType,
	ChatEntry,
	ChatState,
	Delivery,
	Dialect,
	InitialStateOptions,
	LogEntry,
	SystemEntry,
} from './types.js';

/** A fresh state: disconnected, empty log. Throws on a bad capacity. */
export function initialState(options: InitialStateOptions = {}): ChatState {
	return {
		connection: {phase: 'disconnected', server: options.server ?? ''},
		me: options.me ?? '',
		roster: {names: [], complete: true},
		log: emptyLog(options.capacity),
		nextId: 1,
		pending: new Map(),
		mentions: {unread: 0},
		view: {scrolledUp: false, unreadWhileScrolled: 0},
	};
}

// A log entry before the reducer gives it an id (distributes over the union).
type Draft<E> = E extends LogEntry ? Omit<E, 'id'> : never;

/** Appends an entry with the next id, and counts it as unread when the view is scrolled up. */
function addEntry(state: ChatState, draft: Draft<LogEntry>): ChatState {
	const id = state.nextId;
	const entry = {...draft, id} as LogEntry;
	let view = state.view;
	if (view.scrolledUp && entry.kind === 'chat' && !entry.own) {
		view = {
			scrolledUp: true,
			unreadWhileScrolled: view.unreadWhileScrolled + 1,
			firstUnreadId: view.firstUnreadId ?? id,
		};
	}

	return {...state, log: appendEntry(state.log, entry), nextId: id + 1, view};
}

function systemLine(state: ChatState, time: number, fields: Omit<SystemEntry, 'id' | 'kind' | 'time'>): ChatState {
	return addEntry(state, {kind: 'system', time, ...fields});
}

function withRoster(state: ChatState, names: readonly string[]): ChatState {
	return names === state.roster.names ? state : {...state, roster: {...state.roster, names}};
}

function rosterIsComplete(dialect: Dialect | undefined): boolean {
	return dialect !== '2015';
}

/** "0.5", "4", "30": one decimal under ten seconds, whole seconds above. */
export function formatDelaySeconds(delayMs: number): string {
	const seconds = Math.max(0, delayMs) / 1000;
	return seconds < 10 ? String(Math.round(seconds * 10) / 10) : String(Math.round(seconds));
}

/** Moves a pending own message to `delivery`; a localId that is not pending is a no-op. */
function settleOwnMessage(state: ChatState, localId: number, delivery: Exclude<Delivery, 'pending'>, error?: string): ChatState {
	const pendingEntry = state.pending.get(localId);
	if (pendingEntry === undefined) return state;
	const pending = new Map(state.pending);
	pending.delete(localId);
	let log = state.log;
	const index = indexOfId(log, pendingEntry.id);
	if (index !== -1) {
		// Still in the ring (it may have been evicted or cleared meanwhile).
		const settled: ChatEntry = error === undefined
			? {...pendingEntry, delivery}
			: {...pendingEntry, delivery, error};
		log = replaceEntry(log, index, settled);
	}

	return {...state, pending, log};
}

type Handlers = {
	[K in ChatActionType]: (state: ChatState, action: Extract<ChatAction, {type: K}>) => ChatState;
};

const handlers: Handlers = {
	connecting: (state, {server}) => ({
		...state,
		// Keep attempt and the last reason: "connecting (attempt 3)" is still true.
		connection: {...state.connection, phase: 'connecting', server, retryAt: undefined},
	}),

	connected(state, {me, server, dialect, time}) {
		const next: ChatState = {
			...state,
			me,
			connection: {phase: 'connected', server, dialect},
			// A new session: the old list is stale. get-clients (or events, in 2015) refill it.
			roster: {names: me.length > 0 ? [me] : [], complete: rosterIsComplete(dialect)},
		};
		return systemLine(next, time, {event: 'connection', text: `connected to ${server}`});
	},

	disconnected(state, {reason, time}) {
		const previous = state.connection;
		const next: ChatState = {
			...state,
			connection: {...previous, phase: 'disconnected', reason, retryAt: undefined, lagMs: undefined},
			// Who is there is unknown until the next connection refills the list.
			roster: state.roster.complete ? {...state.roster, complete: false} : state.roster,
		};
		// The client reports why it failed as an error first: no need to say it twice.
		const last = entryAt(state.log, state.log.size - 1);
		const justSaid = last?.kind === 'error' && last.text === reason;
		const saysSomethingNew = (previous.phase === 'connected' || previous.reason !== reason) && !justSaid;
		return saysSomethingNew ? systemLine(next, time, {event: 'connection', text: `disconnected: ${reason}`}) : next;
	},

	reconnecting(state, {attempt, delayMs, time}) {
		const next: ChatState = {
			...state,
			connection: {...state.connection, phase: 'reconnecting', attempt, retryAt: time + Math.max(0, delayMs), lagMs: undefined},
		};
		// One line per outage; the status bar counts down the later attempts.
		if (attempt > 1) return next;
		return systemLine(next, time, {
			event: 'connection',
			text: `reconnecting in ${formatDelaySeconds(delayMs)} s (attempt ${attempt})`,
		});
	},

	lag: (state, {ms}) => (Number.isFinite(ms) && ms >= 0 ? {...state, connection: {...state.connection, lagMs: ms}} : state),

	dialect: (state, {dialect}) => ({
		...state,
		connection: {...state.connection, dialect},
		roster: {...state.roster, complete: rosterIsComplete(dialect)},
	}),

	roster(state, {names}) {
		return {...state, roster: {names: buildRoster(names, state.me), complete: rosterIsComplete(state.connection.dialect)}};
	},

	enter(state, {user, time}) {
		if (user.length === 0 || indexOfName(state.roster.names, user) !== -1) return state;
		return systemLine(withRoster(state, addName(state.roster.names, user)), time, {event: 'enter', text: `→ ${user} joined`, user});
	},

	exit(state, {user, time}) {
		// We never remove ourselves on a server's word; we know when we leave.
		if (user.length === 0 || sameName(user, state.me)) return state;
		const present = indexOfName(state.roster.names, user) !== -1;
		if (!present && state.roster.complete) return state;
		return systemLine(withRoster(state, removeName(state.roster.names, user)), time, {event: 'exit', text: `← ${user} left`, user});
	},

	rename(state, {oldname, newname, time, self}) {
		if (oldname === newname || newname.length === 0) return state;
		const isMe = self === true;
		let names = renameName(state.roster.names, oldname, newname);
		const me = isMe ? newname : state.me;
		// The new name may have collided with ours (duplicate-friendly server); keep us in.
		if (me.length > 0 && indexOfName(names, me) === -1) names = addName(names, me);
		const next = withRoster({...state, me}, names);
		return systemLine(next, time, {event: 'rename', text: `${oldname} is now ${newname}`, oldname, newname});
	},

	message(state, {user, text, time, backlog}) {
		const mention = !sameName(user, state.me) && mentionsName(text, state.me);
		let next = state;
		if (!state.roster.complete && user.length > 0) next = withRoster(next, addName(next.roster.names, user));
		next = addEntry(next, {
			kind: 'chat',
			time,
			user,
			text,
			own: false,
			mention,
			...(backlog ? {backlog: true} : {}),
		});
		if (!mention) return next;
		const id = next.nextId - 1;
		return {
			...next,
			mentions: {unread: next.mentions.unread + 1, lastId: backlog ? next.mentions.lastId : id},
		};
	},

	ownMessageQueued(state, {localId, text, time}) {
		if (state.pending.has(localId)) return state; // The same outbox item twice: once is enough.
		const next = addEntry(state, {kind: 'chat', time, user: state.me, text, own: true, delivery: 'pending', localId, mention: false});
		const entry = entryAt(next.log, next.log.size - 1) as ChatEntry;
		const pending = new Map(state.pending);
		pending.set(localId, entry);
		return {...next, pending};
	},

	ownMessageSent: (state, {localId}) => settleOwnMessage(state, localId, 'sent'),

	ownMessageFailed: (state, {localId, error}) => settleOwnMessage(state, localId, 'failed', error),

	error: (state, {text, time}) => addEntry(state, {kind: 'error', time, text}),

	info: (state, {text, time}) => addEntry(state, {kind: 'info', time, text}),

	clear: state => ({
		...state,
		log: clearLog(state.log),
		view: {scrolledUp: state.view.scrolledUp, unreadWhileScrolled: 0},
	}),

	scroll(state, {scrolledUp}) {
		if (scrolledUp === state.view.scrolledUp) return state;
		// Going up starts a fresh count; coming back down has read everything.
		return {...state, view: {scrolledUp, unreadWhileScrolled: 0}};
	},

	mentionsRead: state => (state.mentions.unread === 0 ? state : {...state, mentions: {...state.mentions, unread: 0}}),
};

/** The reducer. An action it does not know returns the state unchanged. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
	const handler = handlers[action.type] as ((state: ChatState, action: ChatAction) => ChatState) | undefined;
	return handler === undefined ? state : handler(state, action);
}
