// The server side of `update-file` and `get-file` (PROTOCOL.md §12), as
// functions of a small context, so the connection only says who is asking,
// where replies go and which store keeps the files.
import {failureStatus, successStatus} from '../../protocol/encoder.js';
import type {Command, FileEvent, StatusFrame} from '../../protocol/types.js';
import {StoreError} from '../store/message-log.js';
import {fileNameProblem, fileTextProblem} from '../../protocol/file-rules.js';
import type {RoomName} from '../hub.js';
import {fileInfo, type FileStore, type SharedFileInfo} from './file-store.js';

export type FileCommandContext = {
	store: FileStore;
	/** The caller's current name. */
	user: string;
	/** `limits.file`: bytes of UTF-8. */
	limitBytes: number;
	/** The room a command means (its `room`, or `#lobby` when it gives none) when the caller is in it, else undefined. */
	resolveRoom(requested: string | undefined): RoomName | undefined;
	/** Sends the caller its one status. */
	status(frame: StatusFrame): void;
	/** Sends the event to everyone else in `room`. */
	broadcast(room: RoomName, event: FileEvent): void;
	now?: () => number;
};

type UpdateFile = Extract<Command, {cmd: 'update-file'}>;
type GetFile = Extract<Command, {cmd: 'get-file'}>;

function notInRoom(requested: string | undefined): StatusFrame {
	return failureStatus('not-in-room', `you are not in ${requested ?? 'a room'}: join it first`);
}

/** A store that cannot answer now is `unavailable` with its retry; anything else is a bug and is thrown. */
function storeFailure(error: unknown): StatusFrame {
	if (error instanceof StoreError && (error.code === 'unavailable' || error.code === 'closed')) {
		return failureStatus('unavailable', `the shared file cannot be reached now (${error.message})`, error.retry ?? 1);
	}

	throw error;
}

export async function updateFile(context: FileCommandContext, command: UpdateFile): Promise<void> {
	const room = context.resolveRoom(command.room);
	if (room === undefined) return context.status(notInRoom(command.room));
	if (command.name === undefined) return context.status(failureStatus('bad-field', 'update-file needs "name", the file name others see (e.g. "main.go")'));
	if (command.base === undefined) return context.status(failureStatus('bad-field', 'update-file needs "base": the version your edit started from (0 for a new file)'));
	const nameProblem = fileNameProblem(command.name);
	if (nameProblem) return context.status(failureStatus('bad-field', nameProblem));
	const textProblem = fileTextProblem(command.msg, context.limitBytes);
	if (textProblem) return context.status(failureStatus(textProblem.tooLong ? 'too-long' : 'bad-field', textProblem.error));

	let outcome;
	try {
		outcome = await context.store.update({room: room.key, name: command.name, msg: command.msg, base: command.base, user: context.user});
	} catch (error) {
		return context.status(storeFailure(error));
	}

	if (outcome.outcome === 'conflict') {
		const status = failureStatus('conflict', `the file is at version ${outcome.version}, not ${command.base}: someone else changed it; fetch it with get-file, merge, and send again with base ${outcome.version}`);
		status.version = outcome.version;
		return context.status(status);
	}

	const status = successStatus(`${command.name} is now version ${outcome.version}`);
	status.version = outcome.version;
	context.status(status);
	context.broadcast(room, {cmd: 'update-file', user: context.user, room: room.name, name: command.name, msg: command.msg, version: outcome.version, time: outcome.time});
}

/** Tries before a replace that keeps meeting newer versions gives up with `conflict`. */
const REPLACE_TRIES = 5;

/**
 * The 2015 dialect's `update-file`: the text replaces whatever the room has,
 * without versions (its clients know none). Each try starts from the current
 * version, so only a replace racing another a few times over fails.
 */
export async function replaceFile(context: FileCommandContext, command: UpdateFile & {name: string}): Promise<void> {
	const room = context.resolveRoom(command.room);
	if (room === undefined) return context.status(notInRoom(command.room));
	const textProblem = fileTextProblem(command.msg, context.limitBytes);
	if (textProblem) return context.status(failureStatus(textProblem.tooLong ? 'too-long' : 'bad-field', textProblem.error));
	for (let attempt = 0; attempt < REPLACE_TRIES; attempt++) {
		let outcome;
		try {
			const base = (await context.store.get(room.key))?.version ?? 0;
			outcome = await context.store.update({room: room.key, name: command.name, msg: command.msg, base, user: context.user});
		} catch (error) {
			return context.status(storeFailure(error));
		}

		if (outcome.outcome === 'updated') {
			context.status(successStatus(''));
			context.broadcast(room, {cmd: 'update-file', user: context.user, room: room.name, name: command.name, msg: command.msg, version: outcome.version, time: outcome.time});
			return;
		}
	}

	context.status(failureStatus('conflict', 'the shared file is changing too fast: send it again'));
}

export async function getFile(context: FileCommandContext, command: GetFile): Promise<void> {
	const room = context.resolveRoom(command.room);
	if (room === undefined) return context.status(notInRoom(command.room));
	let file;
	try {
		file = await context.store.get(room.key);
	} catch (error) {
		return context.status(storeFailure(error));
	}

	const status = successStatus(file ? `${file.name}, version ${file.version}` : 'no shared file yet');
	status.file = file;
	context.status(status);
}

/** What a `connect` or `join` success carries (§12): the file without its text, or null. A store that cannot answer leaves it out. */
export async function fileSummary(store: FileStore, room: RoomName): Promise<SharedFileInfo | null | undefined> {
	try {
		const file = await store.get(room.key);
		return file ? fileInfo(file) : null;
	} catch (error) {
		if (error instanceof StoreError) return undefined;
		throw error;
	}
}
