// The message pane's rows, computed lazily: an entry is wrapped only when a
// frame needs it, walking up from the bottom (or from the scroll anchor)
// until the pane is full, so the cost of a frame does not grow with the
// history. Pure, so it is tested without rendering.
import type {LogEntry} from '../state/types.js';
import {nickColour, type NickColour} from '../text/nick-colour.js';
import {sanitize, sanitizeLine} from '../text/sanitize.js';
import {textWidth, truncate, wrapText} from '../text/wrap.js';

/** One styled run of text in a row. Text here is already sanitised. */
export type Segment = {
	readonly text: string;
	readonly color?: NickColour | 'red' | 'gray';
	readonly dim?: boolean;
	readonly bold?: boolean;
	readonly inverse?: boolean;
};

export type Row = readonly Segment[];

/** Read access to the log, oldest first; the pane never copies it. */
export type EntrySource = {
	readonly count: number;
	at(index: number): LogEntry | undefined;
	/** Where the entry with this id is now, or -1 when it is gone. */
	indexOf(id: number): number;
};

/**
 * Where the view is. undefined: following the bottom. Otherwise the entry
 * shown at the bottom of the pane, and how many of its rows are hidden below
 * the pane. Anchoring to an entry keeps the view still while new messages
 * arrive below it.
 */
export type ScrollAnchor = {readonly id: number; readonly hiddenBelow: number} | undefined;

/** Text area narrower than this puts continuation rows under the time instead of under the text. */
const MIN_TEXT_COLUMNS = 12;

export function formatClock(time: number): string {
	const date = new Date(time);
	return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * Lays out `text` after a prefix: the first row follows the prefix, the rest
 * are indented to line up under the text, or under the time when the pane is
 * too narrow for that.
 */
function layout(prefix: Segment[], text: string, width: number, style: Omit<Segment, 'text'>): Row[] {
	const prefixWidth = prefix.reduce((sum, segment) => sum + textWidth(segment.text), 0);
	const indent = width - prefixWidth >= MIN_TEXT_COLUMNS ? prefixWidth : Math.min(6, Math.max(0, width - 1));
	// No room after the prefix: it stands alone and the text starts on the next row, so nothing is cut.
	const first = width - prefixWidth >= 1 ? wrapText(text, width - prefixWidth)[0] ?? '' : '';
	const rows: Row[] = [[...prefix, {...style, text: first}]];
	// The first row is a literal prefix of the text; the rest is wrapped to the indent's width.
	let rest = text.slice(first.length);
	if (rest === '') return rows;
	rest = rest.startsWith('\n') ? rest.slice(1) : rest.replace(/^ +/, '');
	const pad = ' '.repeat(indent);
	for (const row of wrapText(rest, Math.max(1, width - indent))) rows.push([{text: pad}, {...style, text: row}]);
	return rows;
}

/** The rows of one entry at a width. */
export function entryRows(entry: LogEntry, me: string, width: number): Row[] {
	const clock: Segment = {text: formatClock(entry.time) + ' ', dim: true};
	switch (entry.kind) {
		case 'chat': {
			// A nick so long that it would leave the text no room is cut with "…".
			const nickRoom = Math.max(1, width - textWidth(clock.text) - 1 - MIN_TEXT_COLUMNS);
			const nick: Segment = {text: truncate(sanitizeLine(entry.user), nickRoom), color: nickColour(entry.user), bold: true, inverse: entry.mention};
			const prefix = [clock, nick, {text: ' '}];
			const pending = entry.own && entry.delivery === 'pending';
			const text = sanitize(entry.text) + (pending ? ' …' : '');
			const style: Omit<Segment, 'text'> = pending ? {dim: true} : entry.mention ? {bold: true} : {};
			const rows = layout(prefix, text, width, style);
			if (entry.own && entry.delivery === 'failed') {
				const reason = sanitizeLine(entry.error ?? 'not sent');
				rows.push(...layout([{text: ' '.repeat(Math.min(6, width - 1))}], `✗ ${reason}`, width, {color: 'red'}));
			}
			return rows;
		}
		case 'system':
			return layout([clock], sanitize(entry.text), width, {dim: true});
		case 'error':
			return layout([clock], sanitize(entry.text), width, {color: 'red'});
		case 'info':
			return layout([clock], sanitize(entry.text), width, {});
	}
}

type Cached = {readonly width: number; readonly me: string; readonly rows: Row[]};
// Entries are immutable (a change makes a new object), so they can key the cache.
const cache = new WeakMap<LogEntry, Cached>();

/** entryRows, remembered per entry object and width. */
export function cachedEntryRows(entry: LogEntry, me: string, width: number): Row[] {
	const hit = cache.get(entry);
	if (hit && hit.width === width && hit.me === me) return hit.rows;
	const rows = entryRows(entry, me, width);
	cache.set(entry, {width, me, rows});
	return rows;
}

/** Index of the anchor entry, and its hidden rows, clamped to what exists. */
function resolveAnchor(source: EntrySource, anchor: ScrollAnchor): {index: number; hiddenBelow: number} {
	if (anchor === undefined) return {index: source.count - 1, hiddenBelow: 0};
	const index = source.indexOf(anchor.id);
	// The anchor was evicted from the log (or cleared): the oldest entry is the best stand-in.
	if (index === -1) return {index: Math.min(0, source.count - 1), hiddenBelow: 0};
	return {index, hiddenBelow: anchor.hiddenBelow};
}

export type PaneView = {
	/** Exactly the rows to show, top to bottom (fewer than the height when the log is short). */
	readonly rows: Row[];
	/** The top of the log is in view. */
	readonly atTop: boolean;
};

/** The rows visible in a pane of `height` rows, bottom at the anchor. Wraps only the entries it shows. */
export function visibleRows(source: EntrySource, me: string, width: number, height: number, anchor: ScrollAnchor): PaneView {
	const {index: bottom, hiddenBelow} = resolveAnchor(source, anchor);
	const collected: Row[][] = [];
	let filled = 0;
	let index = bottom;
	let first = true;
	for (; index >= 0 && filled < height; index--) {
		const entry = source.at(index);
		if (!entry) continue;
		let rows = cachedEntryRows(entry, me, width);
		if (first) {
			rows = rows.slice(0, Math.max(0, rows.length - hiddenBelow));
			first = false;
		}
		collected.push(rows);
		filled += rows.length;
	}
	const rows: Row[] = [];
	for (let i = collected.length - 1; i >= 0; i--) rows.push(...collected[i]!);
	const atTop = index < 0 && rows.length <= height;
	return {rows: rows.slice(Math.max(0, rows.length - height)), atTop};
}

/**
 * Moves the view by `delta` rows (positive: up, into history). Returns the
 * new anchor, or undefined when the view is back at the bottom. Never
 * scrolls past the top: the oldest row stays at the top of the pane.
 */
export function scrollBy(source: EntrySource, me: string, width: number, height: number, anchor: ScrollAnchor, delta: number): ScrollAnchor {
	if (source.count === 0) return undefined;
	let {index, hiddenBelow} = resolveAnchor(source, anchor);
	const rowsOf = (i: number) => cachedEntryRows(source.at(i)!, me, width).length;
	hiddenBelow += delta;
	// Down: give back hidden rows, then move to later entries.
	while (hiddenBelow < 0) {
		if (index >= source.count - 1) return undefined;
		index++;
		hiddenBelow += rowsOf(index);
	}
	// Up: past the anchor's own rows, move to earlier entries.
	while (hiddenBelow >= rowsOf(index)) {
		if (index === 0) {
			hiddenBelow = rowsOf(0) - 1;
			break;
		}
		hiddenBelow -= rowsOf(index);
		index--;
	}
	if (index === source.count - 1 && hiddenBelow <= 0) return undefined;
	const next = {id: source.at(index)!.id, hiddenBelow};
	// Clamp at the top: the rows above the bottom must still fill the pane.
	const above = rowsAbove(source, me, width, index, hiddenBelow, height);
	if (above < height) return topAnchor(source, me, width, height);
	return next;
}

/** How many rows are visible at or above the anchor, counting up to `limit`. */
function rowsAbove(source: EntrySource, me: string, width: number, index: number, hiddenBelow: number, limit: number): number {
	let count = cachedEntryRows(source.at(index)!, me, width).length - hiddenBelow;
	for (let i = index - 1; i >= 0 && count < limit; i--) count += cachedEntryRows(source.at(i)!, me, width).length;
	return count;
}

/** The anchor that shows the oldest rows at the top of the pane (Home / Ctrl+Home). */
export function topAnchor(source: EntrySource, me: string, width: number, height: number): ScrollAnchor {
	let filled = 0;
	for (let index = 0; index < source.count; index++) {
		const rows = cachedEntryRows(source.at(index)!, me, width).length;
		if (filled + rows >= height) {
			const hiddenBelow = filled + rows - height;
			if (index === source.count - 1 && hiddenBelow === 0) return undefined;
			return {id: source.at(index)!.id, hiddenBelow};
		}
		filled += rows;
	}
	// Everything fits: no scrolling at all.
	return undefined;
}
