// Search in a conversation's log (/search, Ctrl-R): which messages match a
// query, and where in a shown text. Matching is over the message text as the
// pane shows it (its first SHOWN_TEXT_LIMITS, sanitised), with case folded,
// so what is found is what can be seen and highlighted. Pure; the folded
// text of each entry is remembered, since entries never change (a change
// makes a new object).
import {foldCase} from '../protocol/limits.js';
import {clipText, SHOWN_TEXT_LIMITS} from '../text/clip.js';
import {sanitize} from '../text/sanitize.js';
import {entryAt, indexOfId} from './log.js';
import {currentConversation} from './reducer.js';
import type {ChatState, LogEntry, Log} from './types.js';

/**
 * Case folded as names are (foldCase: "ß" and "SS" are one), but by
 * toLowerCase and then foldCase of only the few lower-case letters that fold
 * further: foldCase of a whole text costs up to fifty times more (its
 * toUpperCase), measured on the bench's 10,000 messages.
 */
export function searchFold(text: string): string {
	return text.toLowerCase().replace(FOLDS_FURTHER, letter => foldCase(letter));
}

/**
 * The lower-case letters whose capital folds to something else (ß, final ς,
 * ſ, ı, µ, the ligatures…): every one in the BMP, as Node's own case tables
 * have them (test/state/search.test.ts checks the list against them); the
 * letters beyond the BMP all fold simply.
 */
export const FOLDS_FURTHER = /[\u00b5\u00df\u0131\u0149\u017f\u01f0\u0345\u0390\u03b0\u03c2\u03d0-\u03d1\u03d5-\u03d6\u03f0-\u03f1\u03f5\u0587\u1c80-\u1c88\u1e96-\u1e9b\u1f50\u1f52\u1f54\u1f56\u1f80-\u1f87\u1f90-\u1f97\u1fa0-\u1fa7\u1fb2-\u1fb4\u1fb6-\u1fb7\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fc7\u1fd2-\u1fd3\u1fd6-\u1fd7\u1fe2-\u1fe4\u1fe6-\u1fe7\u1ff2-\u1ff4\u1ff6-\u1ff7\ufb00-\ufb06\ufb13-\ufb17]/g;

let lastKey: {query: string; key: string} | undefined;

/**
 * The query as it is compared: sanitised as message text is (so a joiner
 * inside an emoji stays one, as it does in the text), on one line, case
 * folded; '' matches nothing.
 */
export function searchKey(query: string): string {
	// The pane asks once per visible message and frame, always for the same query.
	if (lastKey?.query !== query) lastKey = {query, key: searchFold(sanitize(query.replace(/[\r\n]+/g, ' ')))};
	return lastKey.key;
}

const folded = new WeakMap<LogEntry, string>();

/** What a chat message shows, sanitised; undefined for what search skips (joins, local lines, rules). */
export function searchableText(entry: LogEntry): string | undefined {
	return entry.kind === 'chat' ? sanitize(clipText(entry.text, SHOWN_TEXT_LIMITS).shown) : undefined;
}

function foldedText(entry: LogEntry): string | undefined {
	const known = folded.get(entry);
	if (known !== undefined) return known;
	const text = searchableText(entry);
	if (text === undefined) return undefined;
	const result = searchFold(text);
	folded.set(entry, result);
	return result;
}

/** The run of a log's entries folded so far, by the ids at its ends (ids grow down the log). */
export type FoldedRun = {readonly oldest: number; readonly newest: number};

/**
 * Works out the folded text of up to `budget` more entries, so that the
 * first search finds it ready (10,000 messages cost tens of ms at once).
 * Entries come at the ends only (new messages below, older pages above), so
 * the folded entries are one run: it grows down to the newest entry, then up
 * to the oldest. Give it back the run it returned; `more` while some are left.
 */
export function foldAhead(log: Log, budget: number, run?: FoldedRun): {run: FoldedRun | undefined; more: boolean} {
	if (log.size === 0) return {run: undefined, more: false};
	const newestAt = run === undefined ? -1 : indexOfId(log, run.newest);
	// No run yet, or it was evicted whole: an empty one at the bottom.
	let high = newestAt === -1 ? log.size - 1 : newestAt;
	let low = newestAt === -1 ? log.size : Math.max(0, indexOfId(log, run!.oldest));
	let left = budget;
	for (; high < log.size - 1 && left > 0; left--) foldedText(entryAt(log, ++high)!);
	for (; low > 0 && left > 0; left--) foldedText(entryAt(log, --low)!);
	const folded = low <= high ? {oldest: entryAt(log, low)!.id, newest: entryAt(log, high)!.id} : undefined;
	return {run: folded, more: high < log.size - 1 || low > 0};
}

/** Whether the entry is a message whose shown text holds `key` (a searchKey). */
export function entryMatches(entry: LogEntry, key: string): boolean {
	if (key === '') return false;
	return foldedText(entry)?.includes(key) ?? false;
}

/** Ids of the log's matching entries, oldest first (ids grow down the log). */
export function matchingIds(log: Log, key: string): number[] {
	const ids: number[] = [];
	if (key === '') return ids;
	for (let index = 0; index < log.size; index++) {
		const entry = entryAt(log, index)!;
		if (entryMatches(entry, key)) ids.push(entry.id);
	}

	return ids;
}

let lastMatches: {log: Log; key: string; ids: readonly number[]} | undefined;

/** The matches in the log on screen for `query`, oldest first; the same array while neither changes. */
export function selectSearchMatches(state: ChatState, query: string): readonly number[] {
	const {log} = currentConversation(state);
	const key = searchKey(query);
	if (lastMatches?.log !== log || lastMatches.key !== key) lastMatches = {log, key, ids: matchingIds(log, key)};
	return lastMatches.ids;
}

/** An older page is on its way to the conversation on screen ("loading…" above its oldest message). */
export function selectLoadingOlder(state: ChatState): boolean {
	return currentConversation(state).loadingId !== undefined;
}

/** The log on screen holds as many entries as it keeps: an older page would find no room. */
export function selectLogFull(state: ChatState): boolean {
	const {log} = currentConversation(state);
	return log.size >= log.capacity;
}

/** A match, as [start, end) code-unit offsets in the text searched. */
export type MatchRange = readonly [start: number, end: number];

/**
 * Where `key` (a searchKey) occurs in `text`, left to right, not
 * overlapping. Each character is folded on its own, so that an offset in the
 * folded text maps back to the character it came from even where folding
 * changes the length ("İ" folds to two code units).
 */
export function matchRanges(text: string, key: string): MatchRange[] {
	if (key === '' || text === '') return [];
	let foldedText = '';
	// For each code unit of the folded text: where its character starts and ends in `text`.
	const starts: number[] = [];
	const ends: number[] = [];
	for (let at = 0; at < text.length;) {
		const character = String.fromCodePoint(text.codePointAt(at)!);
		const next = at + character.length;
		const fold = searchFold(character);
		for (let unit = 0; unit < fold.length; unit++) {
			starts.push(at);
			ends.push(next);
		}

		foldedText += fold;
		at = next;
	}

	const ranges: MatchRange[] = [];
	for (let found = foldedText.indexOf(key); found !== -1; found = foldedText.indexOf(key, found + key.length)) {
		const start = starts[found]!;
		const end = ends[found + key.length - 1]!;
		// A match that starts inside the fold of a character already matched would overlap it.
		if (ranges.length > 0 && start < ranges.at(-1)![1]) continue;
		ranges.push([start, end]);
	}

	return ranges;
}
