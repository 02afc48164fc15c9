// The conversations left open when the client last ran (PROTOCOL.md §10):
// the rooms it was in, other than #lobby, and the direct partners, so that
// the next start rejoins them. One file per server and name under
// $XDG_CONFIG_HOME/codechat-tui/open-rooms/ (default ~/.config), the folders
// 0700 and the files 0600 (which rooms you are in is nobody else's
// business), each written whole to a temporary file, flushed and renamed over
// the old one, so a crash leaves the old set or the new, never half.
//
// What is read back is checked name by name: a file that is not JSON, not
// ours, or holds names that are not room or user names is an OpenRoomsError
// (the client shows it as a warning and starts in #lobby), never a crash.
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {nameKey, usernameProblem} from '../protocol/limits.js';
import {MAX_ROOMS_PER_CONNECTION, roomProblem} from '../protocol/rooms.js';
import type {SeenMark} from '../client/events.js';
import {errorCode, writePrivateFile} from './private-file.js';

/** Which server a set belongs to. */
export type OpenRoomsServer = {host: string; port: number; tls: boolean};

/** Far more than 49 rooms and a few hundred partners ever take: a bigger file is not ours. */
const MAX_FILE_BYTES = 64 * 1024;
/** Direct partners kept; the oldest opened go first past this. */
const MAX_DIRECT = 200;

/** $XDG_CONFIG_HOME/codechat-tui, or ~/.config/codechat-tui (the XDG default; a relative value is ignored, as the spec says). */
export function configDirectory(environment: {XDG_CONFIG_HOME?: string}, home: string = homedir()): string {
	const base = environment.XDG_CONFIG_HOME !== undefined && path.isAbsolute(environment.XDG_CONFIG_HOME) ? environment.XDG_CONFIG_HOME : path.join(home, '.config');
	return path.join(base, 'codechat-tui');
}

/** `seen`: how far each stored direct conversation was read, by the partner's name key (§10). */
type StoredSet = {server: string; name: string; open: string[]; seen?: Record<string, SeenMark>};

/** Says what went wrong with the file and what happens now. */
export class OpenRoomsError extends Error {}

export class OpenRoomsStore {
	readonly directory: string;
	readonly #server: OpenRoomsServer;

	/** `configDir`: see configDirectory(). */
	constructor(configDir: string, server: OpenRoomsServer) {
		this.directory = path.join(configDir, 'open-rooms');
		this.#server = server;
	}

	/**
	 * The names kept for this server and `name`, rooms then partners in the
	 * order saved; [] when there is no file. Throws OpenRoomsError for a file
	 * that cannot be read or is damaged.
	 */
	read(name: string): string[] {
		const stored = this.#read(name);
		if (stored === undefined) return [];
		// Each name checked as the protocol checks it: a hand-edited file cannot smuggle anything in.
		const rooms = stored.open.filter(entry => entry.startsWith('#') && roomProblem(entry) === undefined).slice(0, MAX_ROOMS_PER_CONNECTION - 1);
		const direct = stored.open.filter(entry => !entry.startsWith('#') && usernameProblem(entry) === undefined).slice(-MAX_DIRECT);
		return [...rooms, ...direct];
	}

	/** How far each stored direct conversation was seen, by partner name key; empty when there is no file. Throws OpenRoomsError. */
	readSeen(name: string): Map<string, SeenMark> {
		const seen = new Map<string, SeenMark>();
		for (const [key, mark] of Object.entries(this.#read(name)?.seen ?? {}).slice(-MAX_DIRECT)) {
			if (usernameProblem(key) === undefined && key === nameKey(key)) seen.set(key, mark);
		}

		return seen;
	}

	/** Replaces the set for this server and `name`, keeping the seen marks. Throws OpenRoomsError. */
	save(name: string, open: readonly string[]): void {
		this.#write(name, {open: [...open], seen: this.#readQuietly(name)?.seen});
	}

	/** Replaces the seen marks, keeping the set. Throws OpenRoomsError. */
	saveSeen(name: string, seen: ReadonlyMap<string, SeenMark>): void {
		this.#write(name, {open: this.#readQuietly(name)?.open ?? [], seen: Object.fromEntries(seen)});
	}

	#read(name: string): StoredSet | undefined {
		const file = this.#file(name);
		let text: string;
		try {
			text = readFileSync(file, 'utf8');
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return undefined;
			throw new OpenRoomsError(`cannot read the rooms you had open from ${file} (${errorCode(error)}); starting in #lobby only`);
		}

		const stored = parse(text);
		if (stored === undefined || stored.server !== serverKey(this.#server) || stored.name !== nameKey(name)) {
			throw new OpenRoomsError(`the file of the rooms you had open, ${file}, is damaged or not ours; starting in #lobby only (it is replaced when you next join or leave a room)`);
		}

		return stored;
	}

	/** The other half of a write: a damaged file loses it, as read() already said. */
	#readQuietly(name: string): StoredSet | undefined {
		try {
			return this.#read(name);
		} catch {
			return undefined;
		}
	}

	#write(name: string, {open, seen}: {open: string[]; seen: Record<string, SeenMark> | undefined}): void {
		const file = this.#file(name);
		const body = JSON.stringify({server: serverKey(this.#server), name: nameKey(name), open, ...(seen === undefined ? {} : {seen})} satisfies StoredSet) + '\n';
		try {
			mkdirSync(this.directory, {recursive: true, mode: 0o700});
			writePrivateFile(file, body);
		} catch (error) {
			throw new OpenRoomsError(`cannot save the rooms you have open in ${this.directory} (${errorCode(error)}); the next start will not rejoin them`);
		}
	}

	#file(name: string): string {
		return accountFile(this.directory, this.#server, name);
	}
}

function parse(text: string): StoredSet | undefined {
	if (text.length > MAX_FILE_BYTES) return undefined;
	try {
		const value = JSON.parse(text) as Partial<StoredSet>;
		if (typeof value !== 'object' || value === null || typeof value.server !== 'string' || typeof value.name !== 'string' || !Array.isArray(value.open)) return undefined;
		return {server: value.server, name: value.name, open: value.open.filter((entry): entry is string => typeof entry === 'string'), seen: seenMarks(value.seen)};
	} catch {
		return undefined;
	}
}

/** The well-formed marks of a parsed file; anything else in it is dropped. */
function seenMarks(value: unknown): Record<string, SeenMark> {
	const marks: Record<string, SeenMark> = {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return marks;
	for (const [key, mark] of Object.entries(value as Record<string, unknown>)) {
		const {epoch, seq} = (typeof mark === 'object' && mark !== null ? mark : {}) as Partial<SeenMark>;
		if (typeof epoch === 'string' && epoch.length > 0 && epoch.length <= 128 && Number.isSafeInteger(seq) && seq! >= 0) marks[key] = {epoch, seq: seq!};
	}

	return marks;
}

/** The file of one server and name in `directory`: a digest names it, so no host or Unicode name needs escaping and no key reaches outside the folder. */
export function accountFile(directory: string, server: OpenRoomsServer, name: string): string {
	const digest = createHash('sha256').update(`${serverKey(server)}\n${nameKey(name)}`).digest('hex').slice(0, 32);
	return path.join(directory, `${digest}.json`);
}

/** "tcp://host:port": one spelling per server, for the files' contents and names. */
export function serverKey(server: OpenRoomsServer): string {
	const host = server.host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
	return `${server.tls ? 'tls' : 'tcp'}://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
}
