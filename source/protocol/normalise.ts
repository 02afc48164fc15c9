// Turns server frames of both dialects (PROTOCOL.md §3–§5) into one Inbound
// type. Dispatches from a table keyed by `cmd`.
import {knownCode, parseFeatures, type ServerLimits} from './codes.js';
import {usernameProblem} from './limits.js';
import {roomProblem} from './rooms.js';
import type {ChatEvent, ConversationSummary, HistoryReply, Inbound, LogPosition, RoomSummary, Status, WireFile} from './types.js';

type Frame = Record<string, unknown>;

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every(item => typeof item === 'string');
}

/** Reads a roster from the extension `clients`, a JSON array in `success-msg`, or the seed's "a, b". */
export function rosterFromStatus(status: Pick<Status, 'text' | 'clients'>): string[] {
	if (status.clients) return status.clients;
	const text = status.text.trim();
	if (text.startsWith('[')) {
		try {
			const parsed: unknown = JSON.parse(text);
			if (isStringArray(parsed)) return parsed;
		} catch {
			// Not JSON after all: fall through to the comma-separated form.
		}
	}

	return text === '' ? [] : text.split(',').map(name => name.trim()).filter(name => name !== '');
}

function ourStatus(frame: Frame): Inbound {
	const successText = frame['success-msg'];
	const errorText = frame['error-msg'];
	const status: Status = {
		success: frame.success === true,
		error: typeof errorText === 'string' ? errorText : '',
		text: typeof successText === 'string' ? successText : '',
	};
	if (isStringArray(frame.clients)) status.clients = frame.clients;
	else if (isStringArray(successText)) status.clients = successText;
	if (!status.success && status.error === '') status.error = 'the server refused the command without a reason';
	const code = knownCode(frame.code);
	if (code) status.code = code;
	if (isPositiveNumber(frame.retry)) status.retry = frame.retry;
	if (!status.success && typeof frame.registered === 'boolean') status.registered = frame.registered;
	// §8: no `features` key means none; an empty list is a server that speaks §8 but nothing of part two.
	if (frame.features !== undefined) status.features = parseFeatures(frame.features);
	const limits = limitsOf(frame.limits);
	if (limits) status.limits = limits;
	if (typeof frame.server === 'string') status.server = frame.server;
	if (isSeq(frame.version)) status.version = frame.version;
	if (frame.file !== undefined) {
		const file = wireFileOf(frame.file);
		if (file !== undefined) status.file = file;
	}

	if (status.success) {
		const log = logPositionOf(frame);
		if (log) status.log = log;
		if (frame.duplicate === true) status.duplicate = true;
		const history = historyOf(frame);
		if (history) status.history = history;
		if (typeof frame.token === 'string' && frame.token !== '') status.token = frame.token;
		if (frame.closing === true) status.closing = true;
		if (isStringArray(frame.accounts)) status.accounts = frame.accounts;
		// §10: a room name that is not one, or rows that are not rows, are left out rather than trusted.
		if (roomProblem(frame.room) === undefined) status.room = frame.room as string;
		const rooms = roomsOf(frame.rooms);
		if (rooms) status.rooms = rooms;
		const conversations = conversationsOf(frame.conversations);
		if (conversations) status.conversations = conversations;
		const away = awayOf(frame.away);
		if (away) status.away = away;
	}

	return {kind: 'status', status, dialect: 'codechat'};
}

const isRow = (value: unknown): value is Frame => typeof value === 'object' && value !== null && !Array.isArray(value);

/** §10 `rooms`: the rows with a valid room name and a member count; undefined when it is no list. */
function roomsOf(value: unknown): RoomSummary[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return value.filter(isRow).flatMap(row => (roomProblem(row.room) === undefined && isSeq(row.users) ? [{room: row.room as string, users: row.users}] : []));
}

/** §10/§11 `conversations`: the rows with a valid user name and a seq. */
function conversationsOf(value: unknown): ConversationSummary[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return value.filter(isRow).flatMap(row => (typeof row.with === 'string' && usernameProblem(row.with) === undefined && isSeq(row.last) ? [{with: row.with, last: row.last}] : []));
}

/** §13 `away`: name → reason, strings only. */
function awayOf(value: unknown): Record<string, string> | undefined {
	if (!isRow(value)) return undefined;
	const away: Record<string, string> = Object.create(null) as Record<string, string>;
	for (const [name, reason] of Object.entries(value)) if (typeof reason === 'string') away[name] = reason;
	return away;
}

/**
 * §10 `room` and `to` of an event: left out, or a valid name. A value that
 * is neither makes the event invalid (a warning): shown in #lobby, or as
 * public, it would be shown in the wrong place.
 */
function placeOf(frame: Frame, what: string): {room?: string; to?: string} | string {
	const place: {room?: string; to?: string} = {};
	if (frame.room !== undefined) {
		const problem = roomProblem(frame.room);
		if (problem !== undefined) return `${what} event with a bad room (${problem})`;
		place.room = frame.room as string;
	}

	if (frame.to !== undefined) {
		if (typeof frame.to !== 'string' || usernameProblem(frame.to) !== undefined) return `${what} event with a bad recipient`;
		if (place.room !== undefined) return `${what} event with both a room and a recipient`;
		place.to = frame.to;
	}

	return place;
}

const isSeq = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** §12 `file`: null, or an object with a name, version, user and time (and `msg` from get-file); anything else is undefined. */
function wireFileOf(value: unknown): WireFile | null | undefined {
	if (value === null) return null;
	if (typeof value !== 'object' || Array.isArray(value)) return undefined;
	const file = value as Frame;
	if (typeof file.name !== 'string' || !isSeq(file.version) || typeof file.user !== 'string' || !isSeq(file.time)) return undefined;
	const wire: WireFile = {name: file.name, version: file.version, user: file.user, time: file.time};
	if (typeof file.msg === 'string') wire.msg = file.msg;
	return wire;
}

/** §9 `seq`, `epoch` and `time`, all three or none: a position missing a part cannot be placed. */
function logPositionOf(frame: Frame): LogPosition | undefined {
	const {seq, epoch, time} = frame;
	if (!isSeq(seq) || seq === 0 || typeof epoch !== 'string' || epoch === '' || typeof time !== 'number' || !Number.isFinite(time)) return undefined;
	return {seq, epoch, time};
}

/** A `history` success (§9); a message in it without a position is left out, since it cannot be placed. */
function historyOf(frame: Frame): HistoryReply | undefined {
	const {messages, epoch, first, last} = frame;
	if (!Array.isArray(messages) || typeof epoch !== 'string' || !isSeq(first) || !isSeq(last)) return undefined;
	const read: HistoryReply['messages'] = [];
	for (const item of messages) {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
		const inbound = eventReaders.message!(item as Frame);
		if (inbound.kind === 'event' && inbound.event.cmd === 'message' && inbound.event.log) read.push(inbound.event);
	}

	return {messages: read, epoch, first, last, more: frame.more === true};
}

function isPositiveNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/** The limits a server announced, keeping only sane positive numbers. */
function limitsOf(value: unknown): Partial<ServerLimits> | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const limits: Partial<ServerLimits> = {};
	for (const key of ['frame', 'msg', 'file'] as const) {
		const limit = (value as Record<string, unknown>)[key];
		if (isPositiveNumber(limit)) limits[key] = Math.floor(limit);
	}

	return limits;
}

function status2015(frame: Frame): Inbound {
	const success = frame.status === true;
	const command = typeof frame['return-cmd'] === 'string' && frame['return-cmd'] !== '' ? frame['return-cmd'] : 'the command';
	const payload = frame.payload;
	const text = typeof payload === 'string' ? payload : payload === undefined || payload === null ? '' : JSON.stringify(payload);
	const status: Status = {success, error: success ? '' : `${command} failed`, text};
	if (typeof frame['return-cmd'] === 'string') status.command = frame['return-cmd'];
	if (isStringArray(payload)) status.clients = payload;
	return {kind: 'status', status, dialect: '2015'};
}

const invalid = (reason: string): Inbound => ({kind: 'invalid', reason});

/** The user an event names: `user` in our dialect, `from` in 2015's. */
function userOf(frame: Frame): string | undefined {
	const user = frame.user ?? frame.from;
	return typeof user === 'string' ? user : undefined;
}

function event(value: ChatEvent): Inbound {
	return {kind: 'event', event: value};
}

const eventReaders: Record<string, (frame: Frame) => Inbound> = {
	'return-status': status2015,
	// The 2015 server's sign that a connection ended without exit (or that its user sent a bad command).
	''(frame) {
		return typeof frame.from === 'string' && frame.from !== '' ? event({cmd: 'client-gone', user: frame.from}) : {kind: 'ignored', cmd: ''};
	},
	message(frame) {
		const user = userOf(frame);
		const text = frame.msg ?? frame.payload;
		if (user === undefined) return invalid('message event without a user');
		if (typeof text !== 'string') return invalid(`message event from ${user} without text`);
		const place = placeOf(frame, 'message');
		if (typeof place === 'string') return invalid(place);
		const message: Extract<ChatEvent, {cmd: 'message'}> = {cmd: 'message', user, msg: text, ...place};
		const log = logPositionOf(frame);
		if (log) message.log = log;
		if (typeof frame.id === 'string' && frame.id !== '') message.id = frame.id;
		if (frame.action === true) message.action = true;
		return event(message);
	},
	'client-enter'(frame) {
		const user = userOf(frame);
		if (user === undefined) return invalid('client-enter event without a user');
		const place = placeOf(frame, 'client-enter');
		if (typeof place === 'string') return invalid(place);
		return event({cmd: 'client-enter', user, ...(place.room === undefined ? {} : {room: place.room})});
	},
	'client-connect'(frame) {
		const user = userOf(frame);
		return user === undefined ? invalid('client-connect event without a user') : event({cmd: 'client-enter', user});
	},
	'client-exit'(frame) {
		const user = userOf(frame);
		if (user === undefined) return invalid('client-exit event without a user');
		const place = placeOf(frame, 'client-exit');
		if (typeof place === 'string') return invalid(place);
		// The reason: `msg` in our dialect, `payload` in 2015's (§5, §8).
		const reason = frame.msg ?? frame.payload;
		return event({
			cmd: 'client-exit',
			user,
			...(typeof reason === 'string' && reason !== '' ? {msg: reason} : {}),
			...(place.room === undefined ? {} : {room: place.room}),
			...(frame.part === true ? {part: true} : {}),
		});
	},
	'update-file'(frame) {
		const user = userOf(frame);
		if (user === undefined) return invalid('update-file event without a user');
		// Ours carries `msg`; the 2015 server's `payload` is the text (§5).
		const text = frame.msg ?? frame.payload;
		// Not text: nothing we could show or keep. Seen from 2015-era servers, so ignored rather than warned about.
		if (typeof text !== 'string') return {kind: 'ignored', cmd: 'update-file'};
		const update: Extract<ChatEvent, {cmd: 'update-file'}> = {cmd: 'update-file', user, msg: text};
		if (typeof frame.name === 'string') update.name = frame.name;
		if (typeof frame.room === 'string') update.room = frame.room;
		if (isSeq(frame.version)) update.version = frame.version;
		if (isSeq(frame.time)) update.time = frame.time;
		return event(update);
	},
	'server-closing'(frame) {
		const reason = typeof frame.msg === 'string' ? frame.msg : '';
		const closing: Extract<ChatEvent, {cmd: 'server-closing'}> = {cmd: 'server-closing', msg: reason, reconnect: frame.reconnect === true};
		if (frame.code === 'replaced') closing.code = 'replaced';
		return event(closing);
	},
	'client-rename'(frame) {
		let {oldname, newname} = frame;
		// 2015: {"from": OLD, "payload": "OLD,NEW"}.
		if (typeof newname !== 'string' && typeof frame.payload === 'string') {
			const comma = frame.payload.indexOf(',');
			if (comma !== -1) {
				oldname = frame.payload.slice(0, comma);
				newname = frame.payload.slice(comma + 1);
			}
		}

		if (typeof oldname !== 'string' && typeof frame.from === 'string') oldname = frame.from;
		if (typeof newname !== 'string' && typeof frame.user === 'string') newname = frame.user;
		if (typeof oldname !== 'string' || typeof newname !== 'string') return invalid('client-rename event without both names');
		return event({cmd: 'client-rename', user: newname, oldname, newname});
	},
	'client-away'(frame) {
		const user = userOf(frame);
		if (user === undefined) return invalid('client-away event without a user');
		// §13: an empty or missing reason is back.
		return event({cmd: 'client-away', user, msg: typeof frame.msg === 'string' ? frame.msg : ''});
	},
};

export function normaliseFrame(frame: Frame): Inbound {
	if (typeof frame.success === 'boolean') return ourStatus(frame);
	const {cmd} = frame;
	if (typeof cmd !== 'string') return invalid('a frame that is neither a status nor an event');
	const read = Object.hasOwn(eventReaders, cmd) ? eventReaders[cmd] : undefined;
	return read ? read(frame) : {kind: 'ignored', cmd};
}
