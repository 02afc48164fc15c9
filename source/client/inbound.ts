// The client's inbound handlers: one per server event and one per kind of
// command a status answers, each dispatched from a table keyed by name, so a
// new event without a handler does not compile. Handlers decide what a frame
// means (and warn when it makes no sense); the session they are given owns
// the connection.
import {rosterFromStatus} from '../protocol/normalise.js';
import {isLobby, LOBBY} from '../protocol/rooms.js';
import type {ChatEvent, ClosingCode, Dialect, HistoryReply, LogPosition, Status} from '../protocol/types.js';
import type {AccountAction, ChatClientEvents, SendTarget} from './events.js';
import type {OpenConversations, OpenRoom} from './open-conversations.js';
import type {Outbox, OutboxEntry} from './outbox.js';
import {resendDelayMs} from './refusal.js';
import type {HistoryPurpose, HistoryRefusal} from './log-sync.js';
import type {Expectation} from './reply-queue.js';
import type {Roster} from './roster.js';

/** What a handler may use of the session. */
export type InboundSession = {
	/** Everyone's: #lobby's members. */
	readonly roster: Roster;
	/** The rooms we are in and the direct partners (§10). */
	readonly open: OpenConversations;
	readonly outbox: Outbox;
	readonly dialect: Dialect | undefined;
	now(): number;
	emit<K extends keyof ChatClientEvents>(name: K, payload: ChatClientEvents[K]): void;
	warn(message: string): void;
	/** Logged in to an account: a message under our name is ours, from another of our connections (§11). */
	sharesAccount(): boolean;
	/** At most once per connection (a server that lets others use our name would repeat it on every line). */
	warnNamesake(message: string): void;
	connectAnswered(status: Status, dialect: Dialect): void;
	renameConfirmed(oldname: string, newname: string): void;
	scheduleRefresh(): void;
	serverClosing(reason: string, reconnect: boolean, code: ClosingCode | undefined): void;
	/** A live chat message of an open room, for that room's log sync to place (§9). */
	liveMessage(event: Extract<ChatEvent, {cmd: 'message'}>, namesake: boolean, room: OpenRoom): void;
	/** A direct message (§10), to us or from us on another connection; `partner` is the other side. */
	directMessage(event: Extract<ChatEvent, {cmd: 'message'}>, partner: string): void;
	/** One of our messages was refused for now: it stays in the outbox and goes again after `ms`. */
	resendLater(ms: number, error: string): void;
	/** A message's status settled or kept it: what waits may go now. */
	messageAnswered(delivered: boolean): void;
	/** One of our messages was stored at this position. */
	ownStored(position: LogPosition, target: SendTarget | undefined): void;
	/** The conversation a message of ours went to, by its name. */
	conversationOf(target: SendTarget | undefined): string;
	historyAnswered(purpose: HistoryPurpose, room: string, reply: HistoryReply | HistoryRefusal): void;
	/** The status of a join, part or rooms (§10). */
	joinAnswered(expected: Extract<Expectation, {cmd: 'join'}>, status: Status): void;
	partAnswered(expected: Extract<Expectation, {cmd: 'part'}>, status: Status): void;
	roomsAnswered(status: Status): void;
	/** The status of `conversations` (§10, §11). */
	conversationsAnswered(status: Status): void;
	/** The status of register, logout or password (§11). */
	accountAnswered(action: AccountAction, status: Status): void;
};

type EventHandlers = {
	[K in ChatEvent['cmd']]: (event: Extract<ChatEvent, {cmd: K}>, session: InboundSession) => void;
};

/** Our dialect names are unique and never echoed; the 2015 server accepts duplicates (§5). */
const strictNames = (session: InboundSession) => session.dialect === 'codechat';

/**
 * The open room an event names (no `room`: #lobby, the seed's one room);
 * undefined, with a warning, for a room we are not in (§10: a server sends
 * events only of rooms we are in).
 */
/** " #dev" for a room other than #lobby, for warnings that read as they did on a one-room server. */
const inRoom = (room: string) => (isLobby(room) ? '' : ` ${room}`);

function roomOf(event: {cmd: string; room?: string}, session: InboundSession): OpenRoom | undefined {
	const room = session.open.room(event.room ?? LOBBY);
	if (room === undefined) session.warn(`the server sent a ${event.cmd} event for ${event.room ?? LOBBY}, a room you are not in; ignored`);
	return room;
}

/** §13: one user's away reason, in every roster that lists them; the conversations whose roster changed. */
function setAway(session: InboundSession, user: string, reason: string): string[] {
	const conversations: string[] = [];
	if (session.roster.setAway(user, reason)) conversations.push(LOBBY);
	for (const room of session.open.rooms()) {
		if (room.roster !== session.roster && room.roster.setAway(user, reason)) conversations.push(room.name);
	}

	return conversations;
}

export const eventHandlers: EventHandlers = {
	message(event, session) {
		const {user, msg, to} = event;
		// The 2015 server relays a msg without text as an empty message (§5).
		if (msg === '') return;
		if (to !== undefined) {
			// §10: to us, or ours from another of our connections; anything else is not ours to show.
			if (session.roster.isMe(to)) session.directMessage(event, user);
			else if (session.roster.isMe(user)) session.directMessage(event, to);
			else session.warn(`the server sent a direct message from ${user} to ${to}, which is not you; ignored`);
			return;
		}

		const room = roomOf(event, session);
		if (room === undefined) return;
		const {roster} = room;
		// The server never echoes a line to the connection that sent it: under our name it is
		// from another terminal of our account, or, without an account, someone else's.
		if (roster.isMe(user) && !session.sharesAccount()) {
			session.warnNamesake(`a message from ${user}, which is your name: shown as someone else`);
			if (session.roster.namesakes === 0) session.roster.addNamesake();
			session.liveMessage(event, true, room);
			return;
		}

		if (roster.complete && !roster.has(user)) session.warn(`message from ${user}, who is not in the roster`);
		roster.seen(user);
		session.liveMessage(event, false, room);
	},

	'client-enter'(event, session) {
		const {user} = event;
		const room = roomOf(event, session);
		if (room === undefined) return;
		const {roster} = room;
		const conversation = room.name;
		if (roster.isMe(user)) {
			if (strictNames(session)) {
				session.warn(`the server announced that ${user} entered, but that is you; ignored`);
				return;
			}

			session.warnNamesake(`someone else joined as ${user}, your name; their lines are marked (not you)`);
			roster.addNamesake();
			session.emit('enter', {user, conversation, namesake: true});
			return;
		}

		if (roster.has(user) && strictNames(session)) {
			session.warn(`${user} entered${inRoom(conversation)} but is already present; ignored`);
			return;
		}

		roster.add(user);
		session.emit('enter', {user, conversation});
	},

	'client-exit'(event, session) {
		const {user, msg} = event;
		const room = roomOf(event, session);
		if (room === undefined) return;
		const {roster} = room;
		const conversation = room.name;
		const reason = {...(msg === undefined ? {} : {msg}), ...(event.part ? {part: true as const} : {})};
		if (roster.isMe(user)) {
			if (strictNames(session)) {
				session.warn(`the server announced that you (${user}) left; ignored`);
				return;
			}

			// A namesake on a 2015 server; we stay listed.
			roster.removeNamesake();
			session.emit('exit', {user, conversation, ...reason, namesake: true});
			return;
		}

		if (roster.complete && !roster.has(user)) {
			session.warn(`${user} left${inRoom(conversation)} but was not in the roster; ignored`);
			return;
		}

		roster.remove(user);
		session.emit('exit', {user, conversation, ...reason});
	},

	'client-gone'({user}, session) {
		if (session.roster.markGone(user)) session.emit('gone', {user});
	},

	'client-away'({user, msg}, session) {
		session.emit('away', {conversations: setAway(session, user, msg), user, reason: msg});
	},

	'client-rename'({oldname, newname}, session) {
		const {roster} = session;
		if (roster.isMe(oldname)) {
			if (strictNames(session)) {
				session.warn(`the server announced a rename of ${oldname}, which is you; ignored`);
				return;
			}

			// A namesake renamed away from our name.
			roster.removeNamesake();
			if (!roster.isMe(newname)) roster.add(newname);
			session.emit('rename', {oldname, newname, conversations: [LOBBY]});
			return;
		}

		if (roster.isMe(newname)) {
			if (strictNames(session)) {
				session.warn(`the server announced that ${oldname} is now ${newname}, which is your name; ignored`);
				return;
			}

			session.warnNamesake(`${oldname} took your name, ${newname}; their lines are marked (not you)`);
			roster.remove(oldname);
			roster.addNamesake();
			session.emit('rename', {oldname, newname, conversations: [LOBBY]});
			return;
		}

		if (roster.complete && !roster.has(oldname)) {
			session.warn(`${oldname} was renamed to ${newname} but was not in the roster; ignored`);
			return;
		}

		// §10: one event per connection, for every room it shares with us; #lobby's roster is everyone's.
		const conversations: string[] = [];
		for (const room of session.open.rooms()) {
			if (room.roster !== roster && !room.roster.has(oldname)) continue;
			if (room.roster !== roster) room.roster.rename(oldname, newname);
			conversations.push(room.name);
		}

		roster.rename(oldname, newname);
		if (session.open.renameDirect(oldname, newname)) conversations.push(newname);
		session.emit('rename', {oldname, newname, conversations});
	},

	'server-closing'({msg, reconnect, code}, session) {
		session.serverClosing(msg, reconnect, code);
	},

	'update-file'(event, session) {
		const {user, msg, name, version, time} = event;
		// Each room has its own file; the 2015 server's one comes without a room, as #lobby's.
		const room = roomOf(event, session);
		if (room === undefined) return;
		session.emit('file', {
			kind: 'updated',
			room: room.name,
			user,
			// The 2015 server's file has no name (§5).
			name: name ?? '',
			text: msg,
			...(version === undefined ? {} : {version}),
			time: time ?? session.now(),
		});
	},
};

export function handleEvent(event: ChatEvent, session: InboundSession): void {
	const handler = eventHandlers[event.cmd] as (event: ChatEvent, session: InboundSession) => void;
	handler(event, session);
}

/** A refusal for now carries when to ask again (§8 `retry`). */
function retryOf(status: Status): {retryMs?: number} {
	const retryMs = resendDelayMs(status);
	return retryMs === undefined ? {} : {retryMs};
}

/** A message's final answer: sent (at its place in the log, if stored) or failed for good. */
function settled(status: Status, entry: OutboxEntry, session: InboundSession): void {
	const conversation = session.conversationOf(entry.target);
	if (!status.success) {
		session.emit('failed', {localId: entry.localId, text: entry.text, conversation, error: status.error, ...(status.code ? {code: status.code} : {})});
		return;
	}

	const {log} = status;
	const action = entry.action ? {action: true as const} : {};
	if (!log) {
		session.emit('sent', {localId: entry.localId, text: entry.text, conversation, ...action});
		return;
	}

	session.ownStored(log, entry.target);
	session.emit('sent', {localId: entry.localId, text: entry.text, conversation, ...log, ...(status.duplicate ? {duplicate: true} : {}), ...action});
}

type StatusHandlers = {
	[K in Expectation['cmd']]: (status: Status, expected: Extract<Expectation, {cmd: K}>, dialect: Dialect, session: InboundSession) => void;
};

/**
 * What a status may do is bounded by the command it answers: a stray status
 * taken for the answer to a msg can settle only that msg, and one taken for
 * a get-clients answer becomes the roster only if it lists us.
 */
export const statusHandlers: StatusHandlers = {
	connect(status, _expected, dialect, session) {
		session.connectAnswered(status, dialect);
	},

	msg(status, {localId}, _dialect, session) {
		const {retryMs: resendMs} = status.success ? {} : retryOf(status);
		if (resendMs !== undefined) {
			if (!session.outbox.keep(localId)) return;
			session.resendLater(resendMs, status.error);
			session.messageAnswered(false);
			return;
		}

		const entry = session.outbox.settle(localId);
		if (!entry) return;
		settled(status, entry, session);
		session.messageAnswered(status.success);
	},

	history(status, {purpose, room}, _dialect, session) {
		if (!status.success) session.historyAnswered(purpose, room, {error: status.error, ...(status.code ? {code: status.code} : {}), ...retryOf(status)});
		else if (status.history) session.historyAnswered(purpose, room, status.history);
		else session.historyAnswered(purpose, room, {error: 'its answer to history had no messages, epoch, first and last'});
	},

	join(status, expected, _dialect, session) {
		session.joinAnswered(expected, status);
	},

	part(status, expected, _dialect, session) {
		session.partAnswered(expected, status);
	},

	rooms(status, _expected, _dialect, session) {
		session.roomsAnswered(status);
	},

	conversations(status, _expected, _dialect, session) {
		session.conversationsAnswered(status);
	},

	away(status, {reason}, _dialect, session) {
		if (status.success) session.emit('away', {conversations: setAway(session, session.roster.me, reason), user: session.roster.me, reason});
		else session.warn(`the server did not take your away status: ${status.error}`);
	},

	rename(status, {oldname, newname}, _dialect, session) {
		if (status.success) session.renameConfirmed(oldname, newname);
		else session.emit('renameFailed', {oldname, newname, error: status.error});
	},

	'get-clients'(status, {source, sentAt}, _dialect, session) {
		const {roster} = session;
		const names = rosterFromStatus(status);
		if (!status.success) {
			session.warn(`the server could not list the clients: ${status.error}`);
		} else if (names.some(name => roster.isMe(name))) {
			roster.replace(names, status.accounts);
			session.emit('roster', {users: roster.names(), complete: true, source, conversation: LOBBY});
			if (status.away && roster.replaceAway(names, status.away)) session.emit('away', {conversations: [LOBBY]});
			session.emit('lag', {ms: Math.max(0, session.now() - sentAt)});
		} else {
			// We are connected, so a real answer lists us: most likely a stray status.
			session.warn(`the answer to get-clients does not list you (${JSON.stringify(status.text.slice(0, 40))}); ignored`);
		}

		session.scheduleRefresh();
	},

	exit() {
		// The server closes the connection next.
	},

	register(status, _expected, _dialect, session) {
		session.accountAnswered('register', status);
	},

	logout(status, _expected, _dialect, session) {
		session.accountAnswered('logout', status);
	},

	password(status, _expected, _dialect, session) {
		session.accountAnswered('password', status);
	},

	'update-file'(status, {room, name, text}, _dialect, session) {
		const {version} = status;
		if (status.success) {
			session.emit('file', {kind: 'saved', room, name, text, ...(version === undefined ? {} : {version})});
			return;
		}

		session.emit('file', {kind: 'refused', room, name, text, error: status.error, ...(status.code ? {code: status.code} : {}), ...(version === undefined ? {} : {version})});
	},

	'get-file'(status, {room}, _dialect, session) {
		if (!status.success) {
			session.warn(`the server could not give the shared file: ${status.error}`);
			return;
		}

		const {file} = status;
		if (file === undefined || (file !== null && file.msg === undefined)) {
			session.warn('its answer to get-file had no file; ignored');
			return;
		}

		session.emit('file', {kind: 'loaded', room, file: file && {name: file.name, text: file.msg!, version: file.version, user: file.user, time: file.time}});
	},
};

export function handleStatus(status: Status, expected: Expectation, dialect: Dialect, session: InboundSession): void {
	const handler = statusHandlers[expected.cmd] as (status: Status, expected: Expectation, dialect: Dialect, session: InboundSession) => void;
	handler(status, expected, dialect, session);
}
