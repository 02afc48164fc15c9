// Quiet joins: consecutive joins, leaves and renames in a conversation fold
// into one line, and someone who joins and leaves within a minute without a
// word in between is not shown at all. The reducer owns the log; this module
// only says what the folded line holds and how it reads.
import {nameKey} from '../protocol/limits.js';
import {sameName} from './roster.js';
import type {PresenceItem, SystemEntry} from './types.js';

/** Joined and left within this long, nothing said in between: neither line is shown. */
export const QUIET_VISIT_MS = 60_000;

/** Names shown per part of a folded line; the rest are counted. */
const NAMES_SHOWN = 3;

/**
 * Items one line folds; the next starts a new line. Each fold reads its
 * whole run, so a join storm of 10,000 costs 10,000 × this, not 10,000².
 */
export const MAX_RUN_ITEMS = 200;

type Enter = Extract<PresenceItem, {event: 'enter'}>;
type Exit = Extract<PresenceItem, {event: 'exit'}>;
type Rename = Extract<PresenceItem, {event: 'rename'}>;

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
 * The run with `item` added: an exit without a reason within QUIET_VISIT_MS
 * of the same user's enter in this run takes that enter away instead
 * (nothing was said since, or the run would have ended); a rename of
 * someone who joined in this run renames the join.
 */
export function foldItem(run: readonly PresenceItem[], item: PresenceItem): readonly PresenceItem[] {
	if (item.event === 'enter') return [...run, item];
	const index = joinIndex(run, item.event === 'rename' ? item.oldname : item.user);
	if (index === -1) return [...run, item];
	if (item.event === 'exit') {
		const quiet = item.reason === undefined && item.time - run[index]!.time <= QUIET_VISIT_MS;
		return quiet ? run.toSpliced(index, 1) : [...run, item];
	}
	// Someone who joined in this run and renames is shown joined under the new name, so that leaving
	// soon after still hides them; the old name stays in the line, or nobody could tell who they were.
	const joined = run[index] as Enter;
	const firstName = joined.label === joined.user ? joined.user : joined.label.slice(joined.user.length + ' (was '.length, -1);
	return run.with(index, {event: 'enter', user: item.newname, label: `${item.newname} (was ${firstName})`, time: joined.time, text: `→ ${firstName} joined, now ${item.newname}`});
}

/** Where `user` joined in this run, or -1. */
function joinIndex(run: readonly PresenceItem[], user: string): number {
	return run.findLastIndex(earlier => earlier.event === 'enter' && sameName(earlier.user, user));
}

/**
 * What a run comes to, a person once per part: in now and not before
 * (joined), gone now (left, with the last reason), or out and back in
 * (rejoined). Someone who joined and left again, past the quiet minute or
 * with a reason, is both joined and left.
 */
type RunSummary = {joined: Enter[]; left: Exit[]; rejoined: Enter[]; renamed: Rename[]};

function summary(run: readonly PresenceItem[]): RunSummary {
	// By name key, in order of first appearance: a join storm folds thousands of items, once per item.
	const visits = new Map<string, {first: Enter | Exit; last: Enter | Exit}>();
	const renamed: Rename[] = [];
	for (const item of run) {
		switch (item.event) {
			case 'enter':
			case 'exit': {
				const key = nameKey(item.user);
				const visit = visits.get(key);
				if (visit === undefined) visits.set(key, {first: item, last: item});
				else visit.last = item;
				break;
			}

			case 'rename': {
				renamed.push(item);
				break;
			}

			default: {
				const unknown: never = item;
				throw new Error(`unknown presence item ${String(unknown)}`);
			}
		}
	}

	const joined: Enter[] = [];
	const left: Exit[] = [];
	const rejoined: Enter[] = [];
	for (const {first, last} of visits.values()) {
		if (first.event === 'enter') joined.push(last.event === 'enter' ? last : first);
		if (last.event === 'exit') left.push(last);
		if (first.event === 'exit' && last.event === 'enter') rejoined.push(last);
	}
	return {joined, left, rejoined, renamed};
}

function names(list: readonly string[]): string {
	const shown = list.slice(0, NAMES_SHOWN).join(', ');
	return list.length > NAMES_SHOWN ? `${shown}, … (+${list.length - NAMES_SHOWN})` : shown;
}

const leftName = (exit: Exit) => (exit.reason === undefined ? exit.label : `${exit.label} (${exit.reason})`);

/**
 * "→ 40 joined: u1, u2, u3, … (+37) · ← 1 left: carol (lunch) · → 1 rejoined: dan · 1 renamed: x → y",
 * or the one line of the one change a run comes to. Raw names: the UI sanitises the line.
 */
function runText(run: readonly PresenceItem[]): string {
	const {joined, left, rejoined, renamed} = summary(run);
	if (joined.length + left.length + rejoined.length + renamed.length === 1) {
		return rejoined.length === 1 ? `→ ${rejoined[0]!.label} rejoined` : [...joined, ...left, ...renamed][0]!.text;
	}

	const parts: string[] = [];
	if (joined.length > 0) parts.push(`→ ${joined.length} joined: ${names(joined.map(item => item.label))}`);
	if (left.length > 0) parts.push(`← ${left.length} left: ${names(left.map(leftName))}`);
	if (rejoined.length > 0) parts.push(`→ ${rejoined.length} rejoined: ${names(rejoined.map(item => item.label))}`);
	if (renamed.length > 0) parts.push(`${renamed.length} renamed: ${names(renamed.map(item => `${item.oldname} → ${item.newname}`))}`);
	return parts.join(' · ');
}
