// Turns server frames of both dialects (PROTOCOL.md §3–§5) into one Inbound
// type. Dispatches from a table keyed by `cmd` (STYLE.md example 7).
import type {ChatEvent, Inbound, Status} from './types.js';

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
	return {kind: 'status', status, dialect: 'codechat'};
}

function status2015(frame: Frame): Inbound {
	const success = frame.status === true;
	const command = typeof frame['return-cmd'] === 'string' && frame['return-cmd'] !== '' ? frame['return-cmd'] : 'the command';
	const payload = frame.payload;
	const text = typeof payload === 'string' ? payload : payload === undefined || payload === null ? '' : JSON.stringify(payload);
	const status: Status = {success, error: success ? '' : `${command} failed`, text};
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
	message(frame) {
		const user = userOf(frame);
		const text = frame.msg ?? frame.payload;
		if (user === undefined) return invalid('message event without a user');
		if (typeof text !== 'string') return invalid(`message event from ${user} without text`);
		return event({cmd: 'message', user, msg: text});
	},
	'client-enter'(frame) {
		const user = userOf(frame);
		return user === undefined ? invalid('client-enter event without a user') : event({cmd: 'client-enter', user});
	},
	'client-connect'(frame) {
		const user = userOf(frame);
		return user === undefined ? invalid('client-connect event without a user') : event({cmd: 'client-enter', user});
	},
	'client-exit'(frame) {
		const user = userOf(frame);
		return user === undefined ? invalid('client-exit event without a user') : event({cmd: 'client-exit', user});
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
};

export function normaliseFrame(frame: Frame): Inbound {
	if (typeof frame.success === 'boolean') return ourStatus(frame);
	const {cmd} = frame;
	if (typeof cmd !== 'string') return invalid('a frame that is neither a status nor an event');
	const read = Object.hasOwn(eventReaders, cmd) ? eventReaders[cmd] : undefined;
	return read ? read(frame) : {kind: 'ignored', cmd};
}
