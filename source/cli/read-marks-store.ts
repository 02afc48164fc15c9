// How far each conversation was read (state/read-marks.ts), kept across
// runs: one small file per server and name under
// $XDG_STATE_HOME/codechat-tui/read-marks/ (default ~/.local/state; it is
// state the program keeps, not a setting), 0600 in a 0700 folder, written
// whole (writePrivateFile). Only marks with a seq are kept: a server without
// a room log (§9) has no place that means the same on the next run.
//
// Reading moves the mark on every message you see, so writes wait a moment
// (`delayMs`) and go as one; flush() writes what waits, on the way out.
import {mkdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {nameKey} from '../protocol/limits.js';
import type {StoredReadMarks} from '../state/read-marks.js';
import {accountFile, serverKey, type OpenRoomsServer} from './open-rooms.js';
import {errorCode, writePrivateFile} from './private-file.js';

/** Far more than the 49 rooms and few hundred partners ever take: a bigger file is not ours. */
const MAX_FILE_BYTES = 256 * 1024;
/** A conversation key: a room ("#…") or "@" and a partner's name key, at most a name's length and a little. */
const MAX_KEY_CHARACTERS = 256;

type StoredFile = {server: string; name: string; marks: Record<string, {epoch: string; seq: number}>};

export class ReadMarksStore {
	readonly directory: string;
	readonly #server: OpenRoomsServer;
	readonly #name: string;
	readonly #delayMs: number;
	#waiting: {marks: StoredReadMarks; report: (problem: string) => void} | undefined;
	#timer: NodeJS.Timeout | undefined;

	/** `stateDir`: see stateDirectory() in token-store.ts; `name`: the user name the run started with. */
	constructor(stateDir: string, server: OpenRoomsServer, name: string, delayMs = 2000) {
		this.directory = path.join(stateDir, 'read-marks');
		this.#server = server;
		this.#name = name;
		this.#delayMs = delayMs;
	}

	/** The marks kept; none when there is no file, and none (with what went wrong) when it cannot be read or is not ours. */
	read(): {marks: StoredReadMarks; problem?: string} {
		const file = this.#file();
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return {marks: new Map()};
			return {marks: new Map(), problem: `cannot read where you stopped reading from ${file} (${errorCode(error)}); no "new since you were here" line this time`};
		}

		const marks = parse(text, serverKey(this.#server), this.#name);
		if (marks === undefined) return {marks: new Map(), problem: `the file of where you stopped reading, ${file}, is damaged or not ours; it is replaced as you read`};
		return {marks};
	}

	/** Saves `marks` in a moment, with any that come meanwhile; a write that fails is said through `report`. */
	save(marks: StoredReadMarks, report: (problem: string) => void): void {
		this.#waiting = {marks, report};
		if (this.#timer !== undefined) return;
		this.#timer = setTimeout(() => {
			this.flush();
		}, this.#delayMs);
		// A mark waiting to be written never keeps the process alive: flush() on the way out writes it.
		this.#timer.unref();
	}

	/** Writes what waits now; a failure is said through `report`, or the one save() was given. */
	flush(report?: (problem: string) => void): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		const waiting = this.#waiting;
		this.#waiting = undefined;
		if (waiting === undefined) return;
		const body: StoredFile = {server: serverKey(this.#server), name: nameKey(this.#name), marks: Object.fromEntries(waiting.marks)};
		try {
			mkdirSync(this.directory, {recursive: true, mode: 0o700});
			writePrivateFile(this.#file(), JSON.stringify(body) + '\n');
		} catch (error) {
			(report ?? waiting.report)(`cannot save where you stopped reading in ${this.directory} (${errorCode(error)}); the next start will not know it`);
		}
	}

	#file(): string {
		return accountFile(this.directory, this.#server, this.#name);
	}
}

/** The well-formed marks of a file that is ours; undefined for one that is not JSON or not ours. */
function parse(text: string, server: string, name: string): StoredReadMarks | undefined {
	if (text.length > MAX_FILE_BYTES) return undefined;
	let value: Partial<StoredFile>;
	try {
		value = JSON.parse(text) as Partial<StoredFile>;
	} catch {
		return undefined;
	}

	if (typeof value !== 'object' || value === null || value.server !== server || value.name !== nameKey(name)) return undefined;
	const marks = new Map<string, {epoch: string; seq: number}>();
	const stored = typeof value.marks === 'object' && value.marks !== null && !Array.isArray(value.marks) ? (value.marks as Record<string, unknown>) : {};
	for (const [key, mark] of Object.entries(stored)) {
		const {epoch, seq} = (typeof mark === 'object' && mark !== null ? mark : {}) as {epoch?: unknown; seq?: unknown};
		if (key.length <= MAX_KEY_CHARACTERS && typeof epoch === 'string' && epoch.length > 0 && epoch.length <= 128 && Number.isSafeInteger(seq) && (seq as number) >= 0) marks.set(key, {epoch, seq: seq as number});
	}

	return marks;
}
