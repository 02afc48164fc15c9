// The bounded message log: a persistent ring of chunks.
//
// Why this shape: React needs a new state object for every change, but copying
// 10,000 entries per message is what we must avoid, and a plain mutable ring
// inside the state breaks as soon as a reducer runs twice on the same state
// (React StrictMode does exactly that) or anyone keeps an old state around.
//
// So entries live in fixed-size chunks (arrays of CHUNK_SIZE). A Log value is
// {chunks, head, size}: it sees only positions head .. head+size-1 of the
// concatenated chunks. Appending is O(1): when the last chunk's physical length
// equals this Log's logical end, no other Log can see past that point (arrays
// only grow, and a Log only sees what existed when it was made), so we push in
// place and share the chunk. If another Log has already pushed there (a
// branch), we copy that one chunk first. Eviction moves `head`; a chunk is
// dropped once all its entries are evicted. Replacing an entry (delivery state)
// copies one chunk and the chunk list: O(CHUNK_SIZE + capacity / CHUNK_SIZE).
//
// Ids are handed out consecutively by the reducer, so an entry is found by id
// in O(1): index = id - id of the oldest entry (checked, with a binary search
// as a fallback should that ever not hold).
import type {LogEntry} from './types.js';

export const DEFAULT_LOG_CAPACITY = 10_000;

const CHUNK_SHIFT = 8;
/** Entries per chunk. A power of two so positions split with shifts. */
export const CHUNK_SIZE = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_SIZE - 1;

export type Log = {
	/** Shared, append-only chunks. Private to this module: read through the functions below. */
	readonly chunks: readonly LogEntry[][];
	/** Position, in chunks[0], of the oldest live entry. */
	readonly head: number;
	/** Number of live entries; never more than capacity. */
	readonly size: number;
	readonly capacity: number;
};

/** An empty log. Throws on a capacity that is not a positive integer: a bad option should fail loudly, up front. */
export function emptyLog(capacity: number = DEFAULT_LOG_CAPACITY): Log {
	if (!Number.isInteger(capacity) || capacity < 1) {
		throw new RangeError(`log capacity must be a positive integer, got ${String(capacity)}`);
	}

	return {chunks: [], head: 0, size: 0, capacity};
}

/** Adds an entry at the end, evicting the oldest when the log is full. O(1) amortised. */
export function appendEntry(log: Log, entry: LogEntry): Log {
	const end = log.head + log.size;
	const chunkIndex = end >>> CHUNK_SHIFT;
	const offset = end & CHUNK_MASK;
	let chunks = log.chunks;

	if (offset === 0) {
		// Invariant: chunks.length === ceil((head + size) / CHUNK_SIZE), so this is a new last chunk.
		chunks = [...chunks, [entry]];
	} else {
		const last = chunks[chunkIndex];
		if (last.length === offset) {
			last.push(entry); // Nobody sees past `offset`: safe to share.
		} else {
			const copy = last.slice(0, offset); // Another branch pushed here first.
			copy.push(entry);
			chunks = chunks.with(chunkIndex, copy);
		}
	}

	let head = log.head;
	let size = log.size + 1;
	if (size > log.capacity) {
		head++;
		size--;
		if (head === CHUNK_SIZE) {
			chunks = chunks.slice(1);
			head = 0;
		}
	}

	return {chunks, head, size, capacity: log.capacity};
}

/** The entry at `index` (0 = oldest), or undefined when out of range. */
export function entryAt(log: Log, index: number): LogEntry | undefined {
	if (!Number.isInteger(index) || index < 0 || index >= log.size) return undefined;
	const position = log.head + index;
	return log.chunks[position >>> CHUNK_SHIFT][position & CHUNK_MASK];
}

/** Entries [from, to) in order, clamped to the log; copies only those entries. */
export function sliceEntries(log: Log, from = 0, to = log.size): LogEntry[] {
	const start = Math.max(0, Math.floor(from));
	const stop = Math.min(log.size, Math.floor(to));
	const out: LogEntry[] = [];
	for (let index = start; index < stop; index++) {
		const position = log.head + index;
		out.push(log.chunks[position >>> CHUNK_SHIFT][position & CHUNK_MASK]);
	}

	return out;
}

/** Index of the entry with this id, or -1 when it is not (or no longer) in the log. */
export function indexOfId(log: Log, id: number): number {
	if (log.size === 0) return -1;
	const firstId = entryAt(log, 0)!.id;
	const guess = id - firstId;
	if (guess < 0 || guess >= log.size) {
		// Ids only increase, so an id outside [first, last] is not here.
		if (id < firstId || id > entryAt(log, log.size - 1)!.id) return -1;
	} else if (entryAt(log, guess)!.id === id) {
		return guess;
	}

	// Ids were not consecutive (not something the reducer does): fall back to a binary search.
	let low = 0;
	let high = log.size - 1;
	while (low <= high) {
		const middle = (low + high) >>> 1;
		const middleId = entryAt(log, middle)!.id;
		if (middleId === id) return middle;
		if (middleId < id) low = middle + 1;
		else high = middle - 1;
	}

	return -1;
}

/** A log with the entry at `index` replaced. Copies one chunk and the chunk list. */
export function replaceEntry(log: Log, index: number, entry: LogEntry): Log {
	if (!Number.isInteger(index) || index < 0 || index >= log.size) return log;
	const position = log.head + index;
	const chunkIndex = position >>> CHUNK_SHIFT;
	const chunk = log.chunks[chunkIndex];
	// Copy only what this log can see of the chunk, so other branches' entries are not carried along.
	const visibleEnd = Math.min(chunk.length, log.head + log.size - (chunkIndex << CHUNK_SHIFT));
	const copy = chunk.slice(0, visibleEnd);
	copy[position & CHUNK_MASK] = entry;
	return {...log, chunks: log.chunks.with(chunkIndex, copy)};
}

/** The log without its newest entry (a folded line that folded away). */
export function dropLast(log: Log): Log {
	if (log.size === 0) return log;
	const end = log.head + log.size - 1;
	// Keep chunks.length === ceil(end / CHUNK_SIZE): a last chunk left empty goes.
	const chunks = (end & CHUNK_MASK) === 0 ? log.chunks.slice(0, end >>> CHUNK_SHIFT) : log.chunks;
	return {...log, chunks, size: log.size - 1, head: log.size === 1 && chunks.length === 0 ? 0 : log.head};
}

/** An empty log with the same capacity. */
export function clearLog(log: Log): Log {
	return emptyLog(log.capacity);
}

/**
 * `before` above the log's entries, minus the entry with id `without` (the
 * "loading…" row). Builds a new log, O(size): only an older page does this,
 * one per request. When the log would overflow, the oldest of `before` are
 * left out rather than the newest messages.
 */
export function prependEntries(log: Log, before: readonly LogEntry[], without?: number): Log {
	const kept = sliceEntries(log).filter(entry => entry.id !== without);
	const room = Math.max(0, log.capacity - kept.length);
	let next = emptyLog(log.capacity);
	for (const entry of before.slice(Math.max(0, before.length - room))) next = appendEntry(next, entry);
	for (const entry of kept) next = appendEntry(next, entry);
	return next;
}
