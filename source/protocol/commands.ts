// Reads a decoded frame as a client command (PROTOCOL.md §2), checking the
// shape only: the server applies the rules (names, state) itself.
import {parseFeatures, type FailureCode} from './codes.js';
import type {Command} from './types.js';

export type ParsedCommand = {ok: true; command: Command} | {ok: false; code: FailureCode; error: string};

type Frame = Record<string, unknown>;

const badField = (error: string): ParsedCommand => ({ok: false, code: 'bad-field', error});

const fieldReaders: Record<string, (frame: Frame) => ParsedCommand> = {
	connect(frame) {
		if (typeof frame.username !== 'string') return badField('connect needs a string "username"');
		const command: Extract<Command, {cmd: 'connect'}> = {cmd: 'connect', username: frame.username};
		// Names this server does not know are left out: a newer client may list more.
		if (frame.features !== undefined && !Array.isArray(frame.features)) return badField('connect "features" must be an array of names');
		if (frame.features !== undefined) command.features = [...parseFeatures(frame.features)];
		// §11: a password or a token, never both; neither is ever quoted back.
		if (frame.password !== undefined && frame.token !== undefined) return badField('connect takes a "password" or a "token", not both');
		if (frame.password !== undefined && typeof frame.password !== 'string') return badField('connect "password" must be a string');
		if (frame.token !== undefined && typeof frame.token !== 'string') return badField('connect "token" must be a string');
		if (typeof frame.password === 'string') command.password = frame.password;
		if (typeof frame.token === 'string') command.token = frame.token;
		return {ok: true, command};
	},
	register: frame => (typeof frame.password === 'string'
		? {ok: true, command: {cmd: 'register', password: frame.password}}
		: badField('register needs a string "password"')),
	logout: () => ({ok: true, command: {cmd: 'logout'}}),
	password: frame => (typeof frame.old === 'string' && typeof frame.new === 'string'
		? {ok: true, command: {cmd: 'password', old: frame.old, new: frame.new}}
		: badField('password needs string "old" and "new"')),
	rename(frame) {
		if (typeof frame.oldname !== 'string' || typeof frame.newname !== 'string') {
			return badField('rename needs string "oldname" and "newname"');
		}

		return {ok: true, command: {cmd: 'rename', oldname: frame.oldname, newname: frame.newname}};
	},
	'get-clients'(frame) {
		const room = optionalRoom(frame);
		return room ? {ok: true, command: {cmd: 'get-clients', ...room}} : badField('get-clients "room" must be a string');
	},
	join: frame => (typeof frame.room === 'string'
		? {ok: true, command: {cmd: 'join', room: frame.room}}
		: badField('join needs a string "room" (e.g. "#rust")')),
	part(frame) {
		if (typeof frame.room !== 'string') return badField('part needs a string "room"');
		if (frame.msg !== undefined && typeof frame.msg !== 'string') return badField('part "msg" (the reason) must be a string');
		return {ok: true, command: frame.msg === undefined ? {cmd: 'part', room: frame.room} : {cmd: 'part', room: frame.room, msg: frame.msg}};
	},
	rooms: () => ({ok: true, command: {cmd: 'rooms'}}),
	conversations: () => ({ok: true, command: {cmd: 'conversations'}}),
	away(frame) {
		if (frame.msg !== undefined && typeof frame.msg !== 'string') return badField('away "msg" must be a string');
		return {ok: true, command: frame.msg === undefined ? {cmd: 'away'} : {cmd: 'away', msg: frame.msg}};
	},
	exit(frame) {
		if (frame.msg !== undefined && typeof frame.msg !== 'string') return badField('exit "msg" must be a string');
		return {ok: true, command: frame.msg === undefined ? {cmd: 'exit'} : {cmd: 'exit', msg: frame.msg}};
	},
	msg(frame) {
		if (typeof frame.msg !== 'string') return badField('msg needs a string "msg"');
		const room = optionalRoom(frame);
		if (!room) return badField('msg "room" must be a string');
		if (frame.to !== undefined && typeof frame.to !== 'string') return badField('msg "to" must be a string (a user name)');
		if (frame.to !== undefined && frame.room !== undefined) return badField('msg goes to a "room" or "to" a user, not both');
		const command: Extract<Command, {cmd: 'msg'}> = {cmd: 'msg', msg: frame.msg, ...room};
		if (typeof frame.to === 'string') command.to = frame.to;
		if (frame.action !== undefined && typeof frame.action !== 'boolean') return badField('msg "action" must be true or false');
		if (frame.action === true) command.action = true;
		if (frame.id === undefined) return {ok: true, command};
		if (typeof frame.id !== 'string' || !MESSAGE_ID.test(frame.id)) return badField('msg "id" must be 16 to 64 of the characters A-Z a-z 0-9 _ -');
		command.id = frame.id;
		return {ok: true, command};
	},
	history(frame) {
		if (frame.room !== undefined && typeof frame.room !== 'string') return badField('history "room" must be a string');
		if (frame.with !== undefined && typeof frame.with !== 'string') return badField('history "with" must be a string (a user name)');
		if (frame.with !== undefined && frame.room !== undefined) return badField('history takes a "room" or "with" a user, not both');
		const command: Extract<Command, {cmd: 'history'}> = {cmd: 'history'};
		if (frame.room !== undefined) command.room = frame.room;
		if (typeof frame.with === 'string') command.with = frame.with;
		for (const field of ['after', 'before', 'limit'] as const) {
			const value = frame[field];
			if (value === undefined) continue;
			const least = field === 'limit' ? 1 : 0;
			if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least) return badField(`history "${field}" must be a whole number of at least ${least}`);
			command[field] = value;
		}

		if (command.after !== undefined && command.before !== undefined) return badField('history takes "after" or "before", not both');
		return {ok: true, command};
	},
};

/** §9: an idempotency key. */
const MESSAGE_ID = /^[\w-]{16,64}$/;

const optionalRoom = (frame: Frame): {room?: string} | undefined => {
	if (frame.room === undefined) return {};
	return typeof frame.room === 'string' ? {room: frame.room} : undefined;
};

/** §12's two commands; only a server that offers `file` reads them (parseCommand with `file`). */
const fileReaders: Record<'update-file' | 'get-file', (frame: Frame) => ParsedCommand> = {
	'update-file'(frame) {
		const room = optionalRoom(frame);
		if (typeof frame.msg !== 'string') return badField('update-file needs a string "msg" (the whole text)');
		if (frame.name !== undefined && typeof frame.name !== 'string') return badField('update-file "name" must be a string');
		if (frame.base !== undefined && !(Number.isSafeInteger(frame.base) && (frame.base as number) >= 0)) {
			return badField('update-file "base" must be a whole number >= 0 (the version your edit started from)');
		}

		if (!room) return badField('"room" must be a string');
		const command: Command = {cmd: 'update-file', msg: frame.msg, ...room};
		if (frame.name !== undefined) command.name = frame.name;
		if (frame.base !== undefined) command.base = frame.base as number;
		return {ok: true, command};
	},
	'get-file'(frame) {
		const room = optionalRoom(frame);
		return room ? {ok: true, command: {cmd: 'get-file', ...room}} : badField('"room" must be a string');
	},
};

export type ParseOptions = {
	/** The server offers the shared file (§12): `update-file` and `get-file` are commands. @default false */
	file?: boolean;
};

export function parseCommand(frame: Frame, {file = false}: ParseOptions = {}): ParsedCommand {
	const {cmd} = frame;
	if (cmd === undefined) return badField('missing "cmd"');
	if (typeof cmd !== 'string') return badField('"cmd" must be a string');
	const read = Object.hasOwn(fieldReaders, cmd) ? fieldReaders[cmd] : file && Object.hasOwn(fileReaders, cmd) ? fileReaders[cmd as keyof typeof fileReaders] : undefined;
	if (!read) return {ok: false, code: 'unknown-command', error: `unknown command "${cmd.slice(0, 40)}"`};
	return read(frame);
}
