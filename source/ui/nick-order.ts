// The order Tab offers names in: who spoke most recently first (the one you
// are most likely answering), then everyone else alphabetically.
import {nameKey} from '../protocol/limits.js';
import type {EntrySource} from './pane-layout.js';

/** How far back the log is read for speakers; older ones fall back to alphabetical order. */
export const SPEAKER_SCAN_LIMIT = 2000;

/** `roster` reordered: the most recent speakers first, then the rest by name. */
export function nicksByRecency(roster: readonly string[], source: EntrySource, scanLimit = SPEAKER_SCAN_LIMIT): string[] {
	const inRoster = new Map(roster.map(name => [nameKey(name), name]));
	const ordered: string[] = [];
	const seen = new Set<string>();
	const oldest = Math.max(0, source.count - scanLimit);
	for (let index = source.count - 1; index >= oldest && seen.size < inRoster.size; index--) {
		const entry = source.at(index);
		if (entry?.kind !== 'chat' || entry.own) continue;
		const key = nameKey(entry.user);
		const name = inRoster.get(key);
		if (name === undefined || seen.has(key)) continue;
		seen.add(key);
		ordered.push(name);
	}
	const rest = roster.filter(name => !seen.has(nameKey(name))).sort((a, b) => {
		const keyA = nameKey(a);
		const keyB = nameKey(b);
		return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
	});
	return [...ordered, ...rest];
}
