// The shared file of PROTOCOL.md §12 behind one interface, kept beside the
// room log: in memory, in the SQLite database of `--data DIR`, or in Redis.
// Each room (by its casefolded key, e.g. '#lobby') has at most one file,
// whose version counts its updates from 1. `update` compares `base` with the
// current version and writes in one atomic step, so no edit overwrites
// another that its author has not seen.

/** A room's file as the store keeps it and `get-file` returns it. */
export type SharedFile = {
	/** For display and highlighting only; never a path. */
	name: string;
	msg: string;
	version: number;
	/** Who made this version. */
	user: string;
	/** Server time of this version, integer milliseconds since 1970. */
	time: number;
};

/** What `connect` and `join` successes carry: the file without its text. */
export type SharedFileInfo = Omit<SharedFile, 'msg'>;

/** An update the caller has validated (name, size, base). */
export type FileUpdate = {
	room: string;
	name: string;
	msg: string;
	/** The version the edit started from; 0 before the first. */
	base: number;
	user: string;
};

export type FileUpdateOutcome =
	/** Written: the new version and its time. */
	| {outcome: 'updated'; version: number; time: number}
	/** `base` was not the current version, which is given; nothing was written. */
	| {outcome: 'conflict'; version: number};

export type FileStore = {
	readonly kind: 'memory' | 'sqlite' | 'redis';
	/** The room's file, or null before its first update. */
	get(room: string): Promise<SharedFile | null>;
	/** Writes the file if `base` is the current version. Rejects with a StoreError `unavailable` when the storage cannot take writes now. */
	update(update: FileUpdate): Promise<FileUpdateOutcome>;
	/** Forgets the room's file (an emptied room). */
	drop(room: string): Promise<void>;
	/** Releases what this store owns. */
	close(): Promise<void>;
};

export function fileInfo(file: SharedFile): SharedFileInfo {
	return {name: file.name, version: file.version, user: file.user, time: file.time};
}
