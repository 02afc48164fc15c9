// Quiet joins: consecutive joins, leaves and renames in a conversation fold
// into one line, and someone who joins and leaves within a minute without a
// word in between is not shown at all. The reducer owns the log; this module
// only says what the folded line holds and how it reads.
import {sameName} from './roster.js';
import type {PresenceItem, SystemEntry} from './types.js';

/** Joined and left within this long, nothing said in between: neither line is shown. */
export const QUIET_VISIT_MS = 60_000;

/** Names shown per part of a folded line; the rest are counted. */
const NAMES_SHOWN = 3;

/** What a presence line folds: a folded line's items, a plain enter/exit/rename line as one item, else undefined. */
export function itemsOf(entry: SystemEntry): readonly PresenceItem[] | undefined {
	if (entry.run !== undefined) return entry.run;
	return entry.item === undefined ? undefined : [entry.item];
}

/** The fields of the line that shows `run` (at least one item): one item reads as it always did. */
export function runLine(run: readonly PresenceItem[]): Pick<SystemEntry, 'event' | 'text' | 'item' | 'run'> {
	if (run.length === 1) return {event: run[0]!.event, text: run[0]!.text, item: run[0], run: undefined};
	return {event: 'presence', text: runText(run), item: undefined, run};
}

/**
 * The run with `item` added: an exit within QUIET_VISIT_MS of the same
 * user's enter in this run takes that enter away instead (nothing was said
 * since, or the run would have ended); a rename of someone who joined in
 * this run renames the join.
 */
export function foldItem(run: readonly PresenceItem[], item: PresenceItem): readonly PresenceItem[] {
	if (item.event === 'enter') return [...run, item];
	const index = joinIndex(run, item.event === 'rename' ? item.oldname : item.user);
	if (index === -1) return [...run, item];
	if (item.event === 'exit') return item.time - run[index]!.time <= QUIET_VISIT_MS ? run.toSpliced(index, 1) : [...run, item];
	// Someone who joined in this run and renames is shown joined under the new name, so that leaving
	// soon after still hides them; the old name stays in the line, or nobody could tell who they were.
	const joined = run[index] as Extract<PresenceItem, {event: 'enter'}>;
	const firstName = joined.label === joined.user ? joined.user : joined.label.slice(joined.user.length + ' (was '.length, -1);
	return run.with(index, {event: 'enter', user: item.newname, label: `${item.newname} (was ${firstName})`, time: joined.time, text: `→ ${firstName} joined, now ${item.newname}`});
}

/** Where `user` joined in this run, or -1. */
function joinIndex(run: readonly PresenceItem[], user: string): number {
	return run.findLastIndex(earlier => earlier.event === 'enter' && sameName(earlier.user, user));
}

/**
 * "→ 40 joined: u1, u2, u3, … (+37) · ← 1 left: carol · 1 renamed: x → y",
 * the parts in the order each began: "← 1 left: carol · → 1 joined: carol"
 * is someone back, the other way round someone gone. Raw names: the UI
 * sanitises the line.
 */
function runText(run: readonly PresenceItem[]): string {
	// Only the names shown are kept, as a run may hold thousands; `order` is the order each part began.
	const parts = {enter: {count: 0, shown: [] as string[]}, exit: {count: 0, shown: [] as string[]}, rename: {count: 0, shown: [] as string[]}};
	const order: Array<PresenceItem['event']> = [];
	for (const item of run) {
		const part = parts[item.event];
		if (part.count++ === 0) order.push(item.event);
		if (part.shown.length < NAMES_SHOWN) part.shown.push(itemName(item));
	}

	return order.map(event => partText(event, parts[event].count, parts[event].shown)).join(' · ');
}

function itemName(item: PresenceItem): string {
	switch (item.event) {
		case 'enter':
		case 'exit':
			return item.label;
		case 'rename':
			return `${item.oldname} → ${item.newname}`;
		default: {
			const unknown: never = item;
			throw new Error(`unknown presence item ${String(unknown)}`);
		}
	}
}

/** "→ 40 joined: u1, u2, u3, … (+37)": `shown` are the first names of the `count`. */
function partText(event: PresenceItem['event'], count: number, shown: readonly string[]): string {
	const names = count > shown.length ? `${shown.join(', ')}, … (+${count - shown.length})` : shown.join(', ');
	switch (event) {
		case 'enter':
			return `→ ${count} joined: ${names}`;
		case 'exit':
			return `← ${count} left: ${names}`;
		case 'rename':
			return `${count} renamed: ${names}`;
		default:
			return event satisfies never;
	}
}
