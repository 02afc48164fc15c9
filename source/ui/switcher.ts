// The quick switcher (Ctrl-G) as a pure reducer: what was typed, which match
// is selected, and what a key does. Matching ignores case and the rooms' "#";
// a name that starts with the text comes before one that holds it, and among
// equals the busier conversation first, so Ctrl-G Enter goes where there is
// something to read.
import {foldCase} from '../protocol/limits.js';
import {graphemes} from '../text/graphemes.js';
import type {ConversationRow} from './conversation-list.js';
import type {Key} from './keys.js';

/** Matches shown under the query. */
export const SWITCHER_MATCHES_SHOWN = 5;

export type SwitcherState = {
	readonly query: string;
	/** Index into the matches. */
	readonly selected: number;
};

export const closedQuery: SwitcherState = {query: '', selected: 0};

const bare = (text: string) => foldCase(text.startsWith('#') ? text.slice(1) : text);

/** How well `name` answers `query`: lower is better; undefined when it does not. */
function rank(name: string, query: string): number | undefined {
	if (query === '') return 2;
	const at = name.indexOf(query);
	if (at === -1) return undefined;
	if (name === query) return 0;
	return at === 0 ? 1 : 2;
}

/** The rows that match `query`, best first. */
export function switcherMatches(rows: readonly ConversationRow[], query: string): ConversationRow[] {
	const wanted = bare(query.trim());
	const ranked: Array<{row: ConversationRow; rank: number; order: number}> = [];
	rows.forEach((row, order) => {
		const score = rank(bare(row.name), wanted);
		if (score !== undefined) ranked.push({row, rank: score, order});
	});
	ranked.sort((a, b) => a.rank - b.rank || b.row.mentions - a.row.mentions || b.row.unread - a.row.unread || Number(a.row.current) - Number(b.row.current) || a.order - b.order);
	return ranked.map(entry => entry.row);
}

export type SwitcherOutcome =
	| {kind: 'edit'; state: SwitcherState}
	| {kind: 'choose'; name: string}
	| {kind: 'cancel'}
	/** A key the switcher does not use: nothing happens. */
	| {kind: 'ignore'};

const wrap = (index: number, count: number) => (count === 0 ? 0 : ((index % count) + count) % count);

/** What `key` does to the open switcher over `rows`. */
export function switcherKey(state: SwitcherState, key: Key, rows: readonly ConversationRow[]): SwitcherOutcome {
	const matches = switcherMatches(rows, state.query);
	const move = (step: number): SwitcherOutcome => ({kind: 'edit', state: {...state, selected: wrap(state.selected + step, matches.length)}});
	const typed = (query: string): SwitcherOutcome => ({kind: 'edit', state: {query, selected: 0}});
	if (key.name === 'text') return typed(state.query + key.text.replace(/[\r\n\t]/g, ''));
	if (key.name === 'backspace') return typed(Array.from(graphemes(state.query)).slice(0, -1).join(''));
	if (key.name === 'return') {
		const chosen = matches[Math.min(state.selected, matches.length - 1)];
		return chosen ? {kind: 'choose', name: chosen.name} : {kind: 'cancel'};
	}
	if (key.name === 'escape') return {kind: 'cancel'};
	if (key.name === 'down' || (key.name === 'tab' && !key.shift)) return move(1);
	if (key.name === 'up' || (key.name === 'tab' && key.shift)) return move(-1);
	if (key.name === 'char' && key.ctrl) {
		// Ctrl-G again, or Ctrl-C, gives up; Ctrl-N/P move as in the input line's history.
		if (key.text === 'g' || key.text === 'c') return {kind: 'cancel'};
		if (key.text === 'n') return move(1);
		if (key.text === 'p') return move(-1);
		if (key.text === 'u') return typed('');
	}
	return {kind: 'ignore'};
}
