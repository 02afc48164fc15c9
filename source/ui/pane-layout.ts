// The message pane's rows, computed lazily: an entry is wrapped only when a
// frame needs it, walking up from the bottom (or from the scroll anchor)
// until the pane is full, so the cost of a frame does not grow with the
// history. Pure, so it is tested without rendering.
import type {LogEntry} from '../state/types.js';
import {clipText, SHOWN_TEXT_LIMITS, type ClipLimits} from '../text/clip.js';
import {isHighlighterLoaded} from '../text/highlighter.js';
import {nickColour} from '../text/nick-colour.js';
import {sanitize, sanitizeLine} from '../text/sanitize.js';
import {textWidth, truncate, wrapText} from '../text/wrap.js';
import {markupRows, type CodeBlockPlace, type PlainCode} from './markup-rows.js';
import type {Row, Segment} from './row.js';
import {dateRows, loadingRows, separatorRows} from './history-rows.js';
import {dayOf, DEFAULT_LOOK, formatClock, type PaneLook} from './pane-look.js';

export type {Row, Segment} from './row.js';
export {formatClock} from './pane-look.js';

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

/** How much of one entry's text is laid out (clip.ts says why); search reads the same head. */
export {SHOWN_TEXT_LIMITS};

/** Names are at most 32 characters (PROTOCOL.md); a longer one is cut to the pane anyway. */
const SHOWN_NAME_LIMITS: ClipLimits = {maxCharacters: 256, maxLines: Number.POSITIVE_INFINITY};

function widthOf(segments: readonly Segment[]): number {
	return segments.reduce((sum, segment) => sum + textWidth(segment.text), 0);
}

/** Rows after the first line up under the text, or under the time when the pane is too narrow for that. */
function indentFor(prefixWidth: number, width: number): number {
	return width - prefixWidth >= MIN_TEXT_COLUMNS ? prefixWidth : Math.min(6, Math.max(0, width - 1));
}

/**
 * Lays out `text` after a prefix: the first row follows the prefix, the rest
 * are indented to line up under the text, or under the time when the pane is
 * too narrow for that.
 */
function layoutText(prefix: Segment[], text: string, width: number, style: Omit<Segment, 'text'>): Row[] {
	const prefixWidth = widthOf(prefix);
	const indent = indentFor(prefixWidth, width);
	const restColumns = Math.max(1, width - indent);
	let wrapped: string[];
	if (width - prefixWidth >= 1) {
		wrapped = wrapText(text, restColumns, width - prefixWidth);
	} else {
		// No room after the prefix: it stands alone and the text starts on the next row, so nothing is cut.
		const rest = text.startsWith('\n') ? text.slice(1) : text.replace(/^ +/, '');
		wrapped = ['', ...(rest === '' ? [] : wrapText(rest, restColumns))];
	}
	const pad = ' '.repeat(indent);
	return wrapped.map((row, index) => (index === 0 ? [...prefix, {...style, text: row}] : [{text: pad}, {...style, text: row}]));
}

/** The dim row under a clipped text that says how much of it is not shown; none when it is whole. */
function moreRows(hiddenCharacters: number, width: number): Row[] {
	if (hiddenCharacters === 0) return [];
	const count = hiddenCharacters.toLocaleString('en-US');
	return layoutText([{text: ' '.repeat(Math.min(6, width - 1))}], `… ${count} more character${hiddenCharacters === 1 ? '' : 's'}`, width, {dim: true});
}

/** An entry's text laid out after `prefix`, within SHOWN_TEXT_LIMITS, with its "… N more characters" row. */
function clippedLayout(prefix: Segment[], raw: string, width: number, style: Omit<Segment, 'text'>): Row[] {
	const {shown, hiddenCharacters} = clipText(raw, SHOWN_TEXT_LIMITS);
	return [...layoutText(prefix, sanitize(shown), width, style), ...moreRows(hiddenCharacters, width)];
}

/** An entry's rows, and where its code blocks are among them. */
export type EntryLayout = {
	readonly rows: Row[];
	readonly codeBlocks: readonly CodeBlockPlace[];
	/** Whether code was laid out plain, to be laid out again before it is drawn highlighted. */
	readonly plainCode: PlainCode;
	/** The first row is the date above the entry (withDateRow), not the entry's. */
	readonly dated?: true;
};

const plainLayout = (rows: Row[]): EntryLayout => ({rows, codeBlocks: [], plainCode: 'none'});

/** A chat message's text (markup: paragraphs, inline code, URLs, code blocks) after its prefix, within SHOWN_TEXT_LIMITS. */
function chatLayout(prefix: Segment[], raw: string, width: number, style: Omit<Segment, 'text'>, pending: boolean, highlight: boolean, viewKey: string): EntryLayout {
	const {shown, hiddenCharacters} = clipText(raw, SHOWN_TEXT_LIMITS);
	const prefixWidth = widthOf(prefix);
	const markup = markupRows(prefix, shown, {
		width,
		prefixWidth,
		indent: indentFor(prefixWidth, width),
		style,
		dimCode: pending,
		viewKey,
		suffix: pending ? ' …' : '',
		highlight,
	});
	return {...markup, rows: [...markup.rows, ...moreRows(hiddenCharacters, width)]};
}

/** The rows of one entry at a width, in a look, and its code blocks; with `highlight` false, code is laid out plain (to count rows). */
export function entryLayout(entry: LogEntry, me: string, width: number, highlight = true, look: PaneLook = DEFAULT_LOOK): EntryLayout {
	const clock: Segment = {text: formatClock(entry.time, look.seconds) + ' ', dim: true};
	switch (entry.kind) {
		case 'chat': {
			// A nick so long that it would leave the text no room is cut with "…".
			const nickRoom = Math.max(1, width - textWidth(clock.text) - 1 - MIN_TEXT_COLUMNS);
			// Someone else under your name gets a mark and no colour of yours.
			const name = sanitizeLine(clipText(entry.user, SHOWN_NAME_LIMITS).shown);
			const nickText = entry.namesake ? `${name} (not you)` : name;
			const colour = entry.namesake ? 'gray' : entry.mention && look.mention !== undefined ? look.mention : entry.own && look.ownNick !== undefined ? look.ownNick : nickColour(entry.user);
			const nick: Segment = {text: truncate(nickText, nickRoom), color: colour, bold: true, inverse: entry.mention};
			// An action reads "* alice waves", as IRC clients show /me.
			const prefix = entry.action ? [clock, {text: '* '}, nick, {text: ' '}] : [clock, nick, {text: ' '}];
			const pending = entry.own && entry.delivery === 'pending';
			const style: Omit<Segment, 'text'> = pending ? {dim: true} : entry.mention ? {bold: true, ...(look.mention === undefined ? {} : {color: look.mention})} : {};
			const layout = chatLayout(prefix, entry.text, width, style, pending, highlight, look.viewKey);
			if (entry.own && entry.delivery === 'failed') {
				const reason = sanitizeLine(clipText(entry.error ?? 'not sent', SHOWN_TEXT_LIMITS).shown);
				layout.rows.push(...layoutText([{text: ' '.repeat(Math.min(6, width - 1))}], `✗ ${reason}`, width, {color: 'red'}));
			}
			return layout;
		}
		case 'system':
			return plainLayout(clippedLayout([clock], entry.text, width, {dim: true}));
		case 'error':
			return plainLayout(clippedLayout([clock], entry.text, width, {color: 'red'}));
		case 'info':
			return plainLayout(clippedLayout([clock], entry.text, width, {}));
		case 'separator':
			return plainLayout(separatorRows(entry.text, width));
		case 'loading':
			return plainLayout(loadingRows(width));
	}
}

/** The rows of one entry at a width. */
export function entryRows(entry: LogEntry, me: string, width: number, look: PaneLook = DEFAULT_LOOK): Row[] {
	return entryLayout(entry, me, width, true, look).rows;
}

type Cached = {readonly width: number; readonly me: string; readonly look: PaneLook; readonly dated: boolean; readonly layout: EntryLayout};
// Entries are immutable (a change makes a new object), so they can key the cache.
const cache = new WeakMap<LogEntry, Cached>();

/** What the layout is for: drawing it (code highlighted), or only counting its rows. */
type Purpose = 'draw' | 'measure';

function fitsPurpose(layout: EntryLayout, purpose: Purpose): boolean {
	if (purpose === 'measure') return true;
	switch (layout.plainCode) {
		case 'none':
			return true;
		case 'loading':
			return !isHighlighterLoaded();
		case 'measured':
			return false;
		default: {
			const unknown: never = layout.plainCode;
			throw new Error(`unexpected plainCode ${String(unknown)}`);
		}
	}
}

/** The pane's own rows (rules, "loading…") stand between messages without a day of their own. */
const hasOwnDay = (entry: LogEntry) => entry.kind !== 'separator' && entry.kind !== 'loading';

/** Whether a date row goes above the entry at `index`: date lines on, and it is the oldest entry with a day, or on another day than the one before it. */
function datedAt(source: EntrySource, index: number, look: PaneLook): boolean {
	if (!look.dateLines) return false;
	const entry = source.at(index);
	if (entry === undefined || !hasOwnDay(entry)) return false;
	for (let before = index - 1; before >= 0; before--) {
		const previous = source.at(before);
		if (previous !== undefined && hasOwnDay(previous)) return dayOf(previous.time) !== dayOf(entry.time);
	}
	return true;
}

/** A layout with the date row above it; its code blocks move down a row. */
function withDateRow(layout: EntryLayout, time: number, width: number): EntryLayout {
	return {...layout, rows: [...dateRows(time, width), ...layout.rows], codeBlocks: layout.codeBlocks.map(place => ({...place, firstRow: place.firstRow + 1})), dated: true};
}

/**
 * entryLayout, remembered per entry object and width. Counting rows never
 * highlights: a block is highlighted when it is first drawn, so scrolling
 * past a thousand blocks (Home) highlights only those that end up in view.
 * `dated`: with the date row above it (see datedAt).
 */
export function cachedEntryLayout(entry: LogEntry, me: string, width: number, purpose: Purpose = 'draw', dated = false, look: PaneLook = DEFAULT_LOOK): EntryLayout {
	const hit = cache.get(entry);
	if (hit && hit.width === width && hit.me === me && hit.look === look && hit.dated === dated && fitsPurpose(hit.layout, purpose)) return hit.layout;
	const plain = layoutOrFallback(entry, me, width, purpose === 'draw', look);
	const layout = dated ? withDateRow(plain, entry.time, width) : plain;
	cache.set(entry, {width, me, look, dated, layout});
	return layout;
}

/** The entry at `index` and its layout, with its date row when it has one. */
function layoutAt(source: EntrySource, index: number, me: string, width: number, look: PaneLook, purpose: Purpose = 'draw'): {entry: LogEntry; layout: EntryLayout} | undefined {
	const entry = source.at(index);
	return entry === undefined ? undefined : {entry, layout: cachedEntryLayout(entry, me, width, purpose, datedAt(source, index, look), look)};
}

/**
 * A bug in drawing one message (markup, highlighting) must cost that message,
 * never the whole client: a peer could otherwise crash everyone's TUI with one
 * crafted text. Such a message is shown as plain text with a note.
 */
function layoutOrFallback(entry: LogEntry, me: string, width: number, highlight: boolean, look: PaneLook): EntryLayout {
	try {
		return entryLayout(entry, me, width, highlight, look);
	} catch {
		const clock: Segment = {text: formatClock(entry.time, look.seconds) + ' ', dim: true};
		const text = entry.kind === 'loading' ? '' : entry.kind === 'chat' ? (entry.action ? `* ${entry.user} ${entry.text}` : `${entry.user}: ${entry.text}`) : entry.text;
		return plainLayout([
			...clippedLayout([clock], text, width, {}),
			...layoutText([{text: ' '.repeat(Math.min(6, width - 1))}], '(this message could not be formatted; shown as plain text)', width, {dim: true}),
		]);
	}
}

/** How many rows the entry at `index` takes at a width, without highlighting anything. */
function rowCount(source: EntrySource, index: number, me: string, width: number, look: PaneLook): number {
	return layoutAt(source, index, me, width, look, 'measure')?.layout.rows.length ?? 0;
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

/** The layouts in view, top to bottom, with the rows of each that are shown. */
type InView = {readonly entry: LogEntry; readonly layout: EntryLayout; readonly from: number; readonly to: number};

/** Restyles the rows of an entry in view (the search's highlight); gets and returns all of its rows. */
export type RowDecorator = (entry: LogEntry, rows: readonly Row[]) => readonly Row[];

/** Walks up from the anchor until `height` rows are filled. */
function entriesInView(source: EntrySource, me: string, width: number, height: number, anchor: ScrollAnchor, look: PaneLook): {shown: InView[]; atTop: boolean} {
	const {index: bottom, hiddenBelow} = resolveAnchor(source, anchor);
	const collected: InView[] = [];
	let filled = 0;
	let index = bottom;
	for (; index >= 0 && filled < height; index--) {
		const laidOut = layoutAt(source, index, me, width, look);
		if (!laidOut) continue;
		const {entry, layout} = laidOut;
		const to = collected.length === 0 ? Math.max(0, layout.rows.length - hiddenBelow) : layout.rows.length;
		collected.push({entry, layout, from: 0, to});
		filled += to;
	}
	const atTop = index < 0 && filled <= height;
	// The topmost entry may be cut at the top of the pane.
	const top = collected.at(-1);
	if (top && filled > height) collected[collected.length - 1] = {...top, from: filled - height};
	return {shown: collected.reverse(), atTop};
}

/** The rows visible in a pane of `height` rows, bottom at the anchor. Wraps only the entries it shows. */
export function visibleRows(source: EntrySource, me: string, width: number, height: number, anchor: ScrollAnchor, decorate?: RowDecorator, look: PaneLook = DEFAULT_LOOK): PaneView {
	const {shown, atTop} = entriesInView(source, me, width, height, anchor, look);
	const rows: Row[] = [];
	for (const {entry, layout, from, to} of shown) {
		// The date row above an entry is not the entry's: the decorator gets the entry's own rows.
		const entryRows = decorate === undefined ? layout.rows : layout.dated ? [layout.rows[0]!, ...decorate(entry, layout.rows.slice(1))] : decorate(entry, layout.rows);
		for (let row = from; row < to; row++) rows.push(entryRows[row]!);
	}
	return {rows, atTop};
}

/**
 * The code block the viewer key opens: the lowest one in view that the pane
 * cuts (lines left out, or one cut sideways), else the lowest one in view; undefined when no
 * code is in view. A box counts as in view when any of its rows is.
 */
export function codeBlockInView(source: EntrySource, me: string, width: number, height: number, anchor: ScrollAnchor, look: PaneLook = DEFAULT_LOOK): CodeBlockPlace | undefined {
	const places: CodeBlockPlace[] = [];
	for (const {layout, from, to} of entriesInView(source, me, width, height, anchor, look).shown) {
		for (const place of layout.codeBlocks) if (place.firstRow < to && place.firstRow + place.rowCount > from) places.push(place);
	}
	return places.findLast(place => place.cut) ?? places.at(-1);
}

/**
 * Moves the view by `delta` rows (positive: up, into history). Returns the
 * new anchor, or undefined when the view is back at the bottom. Never
 * scrolls past the top: the oldest row stays at the top of the pane.
 */
export function scrollBy(source: EntrySource, me: string, width: number, height: number, anchor: ScrollAnchor, delta: number, look: PaneLook = DEFAULT_LOOK): ScrollAnchor {
	if (source.count === 0) return undefined;
	let {index, hiddenBelow} = resolveAnchor(source, anchor);
	const rowsOf = (i: number) => rowCount(source, i, me, width, look);
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
	const above = rowsAbove(source, me, width, index, hiddenBelow, height, look);
	if (above < height) return topAnchor(source, me, width, height, look);
	return next;
}

/** How many rows are visible at or above the anchor, counting up to `limit`. */
function rowsAbove(source: EntrySource, me: string, width: number, index: number, hiddenBelow: number, limit: number, look: PaneLook): number {
	let count = rowCount(source, index, me, width, look) - hiddenBelow;
	for (let i = index - 1; i >= 0 && count < limit; i--) count += rowCount(source, i, me, width, look);
	return count;
}

/** The anchor that shows the oldest rows at the top of the pane (Home / Ctrl+Home). */
export function topAnchor(source: EntrySource, me: string, width: number, height: number, look: PaneLook = DEFAULT_LOOK): ScrollAnchor {
	let filled = 0;
	for (let index = 0; index < source.count; index++) {
		const rows = rowCount(source, index, me, width, look);
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
