// Reads a decoded frame as a client command (PROTOCOL.md §2), checking the
// shape only: the server applies the rules (names, state) itself.
import type {Command} from './types.js';

export type ParsedCommand = {ok: true; command: Command} | {ok: false; error: string};

type Frame = Record<string, unknown>;

const fieldReaders: Record<string, (frame: Frame) => ParsedCommand> = {
	connect: frame => (typeof frame.username === 'string'
		? {ok: true, command: {cmd: 'connect', username: frame.username}}
		: {ok: false, error: 'connect needs a string "username"'}),
	rename(frame) {
		if (typeof frame.oldname !== 'string' || typeof frame.newname !== 'string') {
			return {ok: false, error: 'rename needs string "oldname" and "newname"'};
		}

		return {ok: true, command: {cmd: 'rename', oldname: frame.oldname, newname: frame.newname}};
	},
	'get-clients': () => ({ok: true, command: {cmd: 'get-clients'}}),
	exit(frame) {
		if (frame.msg !== undefined && typeof frame.msg !== 'string') return {ok: false, error: 'exit "msg" must be a string'};
		return {ok: true, command: frame.msg === undefined ? {cmd: 'exit'} : {cmd: 'exit', msg: frame.msg}};
	},
	msg: frame => (typeof frame.msg === 'string'
		? {ok: true, command: {cmd: 'msg', msg: frame.msg}}
		: {ok: false, error: 'msg needs a string "msg"'}),
};

export function parseCommand(frame: Frame): ParsedCommand {
	const {cmd} = frame;
	if (cmd === undefined) return {ok: false, error: 'missing "cmd"'};
	if (typeof cmd !== 'string') return {ok: false, error: '"cmd" must be a string'};
	const read = Object.hasOwn(fieldReaders, cmd) ? fieldReaders[cmd] : undefined;
	if (!read) return {ok: false, error: `unknown command "${cmd.slice(0, 40)}"`};
	return read(frame);
}
