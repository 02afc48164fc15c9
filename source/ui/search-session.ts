// An open search (/search TEXT, Ctrl-R) as pure data: what is looked for,
// which match is shown, where the view was, and what the prompt says. The
// search runs back in time, as less's "?" and bash's Ctrl-R do: it starts at
// the newest match, n (or ↑, or Ctrl-R again) goes to older ones, N (↓) to
// newer ones; it does not wrap round. "N of M" counts from the newest.
import type {ScrollAnchor} from './pane-layout.js';

/** 'typing': keys edit the query (Ctrl-R); 'browsing': n/N move (/search TEXT). */
export type SearchMode = 'typing' | 'browsing';

/** Where to look for a match from the one shown: 'here' after the query changed (it, else the nearest). */
export type Seek = 'here' | 'older' | 'newer';

export type SearchSession = {
	readonly query: string;
	readonly mode: SearchMode;
	/** Id of the message shown as the match, or undefined while none is. */
	readonly current?: number;
	/** Where the view was when the search opened: Esc goes back there. */
	readonly origin: ScrollAnchor;
	/** No match loaded that way: older pages are being read from the server to find one. */
	readonly seeking?: Exclude<Seek, 'newer'>;
	/** Why the last move found nothing: the end of what there is, or of what the pane keeps. */
	readonly end?: 'noMore' | 'logFull';
};

export function openSession(query: string, mode: SearchMode, origin: ScrollAnchor): SearchSession {
	return {query, mode, origin};
}

/**
 * The match a seek lands on among `ids` (oldest first), or undefined when
 * none is loaded that way. 'here' keeps the match shown if it still
 * matches, else the nearest older one, else the nearest newer one: a longer
 * query finds what is on screen before it looks back in time.
 */
export function seekMatch(ids: readonly number[], current: number | undefined, seek: Seek): number | undefined {
	if (current === undefined) return seek === 'newer' ? undefined : ids.at(-1);
	switch (seek) {
		case 'here':
			return ids.findLast(id => id <= current) ?? ids.find(id => id > current);
		case 'older':
			return ids.findLast(id => id < current);
		case 'newer':
			return ids.find(id => id > current);
		default: {
			const unknown: never = seek;
			throw new Error(`unknown seek ${String(unknown)}`);
		}
	}
}

/** Where the match shown is among `ids`, or -1 when none is. */
const shownIndex = (session: SearchSession, ids: readonly number[]) => (session.current === undefined ? -1 : ids.indexOf(session.current));

/** A query that was looked for and has no match to show: the prompt marks it ("no matches"). */
export function searchNothingFound(session: SearchSession, ids: readonly number[]): boolean {
	return session.seeking === undefined && session.query.trim() !== '' && shownIndex(session, ids) === -1;
}

/** What the prompt says after the query: "2 of 7", "searching older messages…", "no matches". */
export function searchStatus(session: SearchSession, ids: readonly number[], logCapacity: number): string {
	if (session.seeking) return 'searching older messages…';
	if (session.query.trim() === '') return session.mode === 'typing' ? 'type to search' : '';
	const kept = `in the ${logCapacity.toLocaleString('en-US')} messages kept`;
	const index = shownIndex(session, ids);
	if (index === -1) return session.end === 'logFull' ? `no matches ${kept}` : 'no matches';
	const position = `${ids.length - index} of ${ids.length}`;
	if (session.end === 'noMore') return `${position} · no more matches`;
	if (session.end === 'logFull') return `${position} · no more matches ${kept}`;
	return position;
}
