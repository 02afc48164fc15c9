// How far you have read each conversation, and where its "new since you
// were here" rule goes, as IRC clients keep a read marker (WeeChat's
// read_marker, irssi's activity line): everything up to `read` was shown
// while you were looking (on screen, terminal focused, at the bottom) or you
// spoke after it; the rule stays where `read` was when you last stopped
// looking, above the first message from someone else after it, until you
// look away again; looking with nothing new under it removes it, so what
// arrives while you watch gets none. Pure data; the screen says when you look and stop
// (use-read-marker.ts), and the marks with a seq (a server that keeps the
// room's log, §9) are kept across runs (read-marks-store.ts).
import type {LogEntry} from './types.js';

/**
 * A place in one conversation's log: an entry of this run (`id`), and its
 * place in the server's log (`seq` in `epoch`) when it has one. A place read
 * back from disk has only the seq.
 */
export type ReadPlace = {readonly id?: number; readonly seq?: number; readonly epoch?: string};

export type ReadMark = {
	/** Everything up to here is read. */
	readonly read?: ReadPlace;
	/** The rule goes above the first message from someone else after here; undefined: no rule. */
	readonly rule?: ReadPlace;
};

/** By conversation key (conversationKey). */
export type ReadMarks = ReadonlyMap<string, ReadMark>;

/** Conversations whose marks are kept for the next run, the most recently read: more than 49 rooms and the direct partners anyone keeps. */
export const MAX_STORED_MARKS = 500;

/** What was kept from an earlier run: read up to `seq` of the log `epoch`, by conversation key. */
export type StoredReadMarks = ReadonlyMap<string, {readonly epoch: string; readonly seq: number}>;

/** The marks a run starts with: read, and the rule, where the last run left them. */
export function restoredReadMarks(stored: StoredReadMarks): ReadMarks {
	return new Map([...stored].map(([key, place]) => [key, {read: place, rule: place}]));
}

/**
 * You are looking at `key` and its newest entry is `newest`: read up to
 * there. A place without a seq (the log not in yet) keeps the seq read
 * before, so a mark from disk is not lost before the backlog comes.
 */
export function readUpTo(marks: ReadMarks, key: string, newest: ReadPlace): ReadMarks {
	const mark = marks.get(key) ?? {};
	const read = newest.seq === undefined && mark.read?.seq !== undefined ? {...newest, seq: mark.read.seq, epoch: mark.read.epoch} : newest;
	if (samePlace(mark.read, read)) return marks;
	// Moved to the end: the map is in the order read, so the oldest go first past MAX_STORED_MARKS.
	const next = new Map(marks);
	next.delete(key);
	return next.set(key, {...mark, read});
}

/** You stopped looking at `key` (another conversation, the terminal unfocused, scrolled up): the rule moves to what you had read. */
export function lookedAway(marks: ReadMarks, key: string): ReadMarks {
	const mark = marks.get(key);
	if (mark === undefined || samePlace(mark.rule, mark.read)) return marks;
	return new Map(marks).set(key, {...mark, rule: mark.read});
}

/** You said something in `key`: you have read what came before it, and need no rule above it. */
export function spoke(marks: ReadMarks, key: string, newest: ReadPlace): ReadMarks {
	return ruleDone(readUpTo(marks, key, newest), key);
}

/** What to keep for the next run: each read place with a seq, of the MAX_STORED_MARKS conversations read last. */
export function storedReadMarks(marks: ReadMarks): StoredReadMarks {
	const stored: Array<[string, {epoch: string; seq: number}]> = [];
	for (const [key, {read}] of marks) {
		if (read?.seq !== undefined && read.epoch !== undefined) stored.push([key, {epoch: read.epoch, seq: read.seq}]);
	}

	return new Map(stored.slice(-MAX_STORED_MARKS));
}

/** Whether two sets of kept marks hold the same places (in any order): a save would change nothing. */
export function sameStoredMarks(a: StoredReadMarks, b: StoredReadMarks): boolean {
	if (a.size !== b.size) return false;
	for (const [key, place] of a) {
		const other = b.get(key);
		if (other?.seq !== place.seq || other.epoch !== place.epoch) return false;
	}

	return true;
}

function samePlace(a: ReadPlace | undefined, b: ReadPlace | undefined): boolean {
	return a?.id === b?.id && a?.seq === b?.seq && a?.epoch === b?.epoch;
}

/** Read access to one conversation's log, oldest first (the pane's EntrySource). */
export type LogReader = {readonly count: number; at(index: number): LogEntry | undefined};

/**
 * The newest entry of the log as a place: its id, and `top`, the newest
 * message shown from the server's log (Conversation.logTop), when it keeps
 * one. Undefined for an empty log. Reads one entry: it runs on every frame.
 */
export function newestPlace(log: LogReader, top: {readonly epoch: string; readonly seq: number} | undefined): ReadPlace | undefined {
	const newest = log.at(log.count - 1);
	if (newest === undefined) return undefined;
	return top === undefined ? {id: newest.id} : {id: newest.id, seq: top.seq, epoch: top.epoch};
}

/**
 * Whether an entry is after the place: by seq where both have one in the
 * log's epoch `epoch`, else by id; undefined when neither tells (an entry
 * without a seq, a place from disk).
 */
function isAfter(entry: LogEntry, place: ReadPlace, epoch: string | undefined): boolean | undefined {
	const seq = entry.kind === 'chat' ? entry.seq : undefined;
	if (seq !== undefined && place.seq !== undefined && place.epoch === epoch) return seq > place.seq;
	return place.id === undefined ? undefined : entry.id > place.id;
}

/** Where the rule is: above an entry, nowhere since nothing came after its place, or not known yet (its place is not in the log). */
export type RulePlace = {readonly kind: 'above'; readonly id: number} | {readonly kind: 'nothingNew'} | {readonly kind: 'unknown'};

/**
 * Where the rule goes: above the first message from someone else after
 * `rule`. Reads from the newest entry back to the place, so its cost is what
 * came since. A place from an earlier run is not known until the log holds
 * an entry with a seq at or before it (the backlog has come), or at all in a
 * log that was reset since.
 */
export function rulePlace(log: LogReader, rule: ReadPlace | undefined, epoch: string | undefined): RulePlace {
	if (rule === undefined) return {kind: 'nothingNew'};
	let first: number | undefined;
	let reachedPlace = rule.id !== undefined;
	for (let index = log.count - 1; index >= 0; index--) {
		const entry = log.at(index);
		if (entry === undefined) continue;
		const after = isAfter(entry, rule, epoch);
		if (after === false) {
			reachedPlace = true;
			break;
		}

		if (after === true && entry.kind === 'chat' && !entry.own) first = entry.id;
	}

	if (first !== undefined) return {kind: 'above', id: first};
	return reachedPlace ? {kind: 'nothingNew'} : {kind: 'unknown'};
}

/**
 * While you look at `key` with nothing new under its rule, the rule goes:
 * what comes while you watch is read as it comes, and needs no rule above it.
 */
export function ruleDone(marks: ReadMarks, key: string): ReadMarks {
	const mark = marks.get(key);
	if (mark?.rule === undefined) return marks;
	return new Map(marks).set(key, {read: mark.read});
}
