// The open search (/search TEXT, Ctrl-R), owned here: its session, the keys
// of its prompt, moving the view to each match, and reading older pages from
// the server when nothing loaded matches that way. Keys may come several to
// one read, faster than React renders, so the session lives in a ref that
// every key reads and writes at once; a render is requested on each change.
// Older pages come through the same loadOlder as scrolling up (use-chat), so
// the search only asks for the next one and looks again when it is in.
import {useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import {selectLoadingOlder, selectLogFull, selectSearchMatches} from '../state/search.js';
import type {ChatState} from '../state/types.js';
import {graphemes} from '../text/graphemes.js';
import type {Key} from './keys.js';
import type {RowDecorator, ScrollAnchor} from './pane-layout.js';
import {markEntryRows} from './search-marks.js';
import {useFoldAhead} from './use-fold-ahead.js';
import {openSession, seekMatch, type SearchMode, type SearchSession, type Seek} from './search-session.js';

export type SearchOptions = {
	/** The chat state now. */
	readonly state: () => ChatState;
	/** The log on screen, this render: a page looked for may be in it. */
	readonly log: unknown;
	/** The key of the conversation on screen: another one ends the search, which was for the one left. */
	readonly room: string;
	/** Where the view is now, and a way to put it back. */
	readonly anchor: () => ScrollAnchor;
	readonly restore: (anchor: ScrollAnchor) => void;
	/** Moves the view so the message with this id is in sight. */
	readonly reveal: (id: number) => void;
	/** Asks the server for the page before the oldest loaded message; false when there is none to ask for. */
	readonly loadOlder: () => boolean;
};

export type SearchControl = {
	/** The search as it is now, or undefined when none is open. */
	readonly current: () => SearchSession | undefined;
	readonly open: (query: string, mode: SearchMode) => void;
	/** To the next match older or newer than the one shown. */
	readonly move: (direction: 'older' | 'newer') => void;
	/** A key of the prompt: true when the search took it (typed into the query, Enter, Esc); else it goes to the key table. */
	readonly onKey: (key: Key) => boolean;
	/** Pasted text, typed into the query. */
	readonly paste: (text: string) => void;
	/** How the pane marks the matches this render; undefined with no search open. */
	readonly decorate: RowDecorator | undefined;
};

/** Text as it goes into the one-line query: line breaks and tabs become spaces. */
const oneLine = (text: string) => text.replace(/[\r\n\t]+/g, ' ');

export function useSearch(options: SearchOptions): SearchControl {
	const session = useRef<SearchSession | undefined>(undefined);
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const latest = useRef(options);
	latest.current = options;
	useFoldAhead(options.state, options.log);

	const set = useCallback((next: SearchSession | undefined) => {
		session.current = next;
		rerender();
	}, []);

	/** Shows the match `seek` finds from `from`; with none loaded that way, asks for an older page and says so. */
	const land = useCallback((from: SearchSession, seek: Seek) => {
		const {state, reveal, loadOlder} = latest.current;
		const now = state();
		const found = seekMatch(selectSearchMatches(now, from.query), from.current, seek);
		if (found !== undefined) {
			set({...from, current: found, seeking: undefined, end: undefined});
			reveal(found);
			return;
		}

		if (seek === 'newer' || from.query.trim() === '') {
			set({...from, seeking: undefined, end: seek === 'newer' ? 'noMore' : undefined});
			return;
		}

		// One page on its way already (the view scrolled to the top): the search waits for it.
		if (selectLoadingOlder(now)) set({...from, seeking: seek, end: undefined});
		else if (selectLogFull(now)) set({...from, seeking: undefined, end: 'logFull'});
		else if (loadOlder()) set({...from, seeking: seek, end: undefined});
		else set({...from, seeking: undefined, end: 'noMore'});
	}, [set]);

	const current = useCallback(() => session.current, []);
	const open = useCallback((query: string, mode: SearchMode) => {
		const opened = openSession(oneLine(query), mode, latest.current.anchor());
		if (opened.query === '') set(opened);
		else land(opened, 'here');
	}, [set, land]);

	const move = useCallback((direction: 'older' | 'newer') => {
		if (session.current) land(session.current, direction);
	}, [land]);

	const retype = useCallback((query: string) => {
		if (session.current) land({...session.current, query}, 'here');
	}, [land]);

	const onKey = useCallback((key: Key): boolean => {
		const open = session.current;
		if (open === undefined) return false;
		const cancel = () => {
			set(undefined);
			latest.current.restore(open.origin);
		};

		if (key.name === 'return') {
			set(undefined);
			return true;
		}

		if (key.name === 'escape' || (key.name === 'char' && key.ctrl && key.text === 'c')) {
			cancel();
			return true;
		}

		if (open.mode === 'browsing') return false;
		if (key.name === 'text') retype(open.query + oneLine(key.text));
		else if (key.name === 'backspace') retype([...graphemes(open.query)].slice(0, -1).join(''));
		else if (key.name === 'char' && key.ctrl && key.text === 'u') retype('');
		else return false;
		return true;
	}, [set, retype]);

	const paste = useCallback((text: string) => {
		if (session.current?.mode === 'typing') retype(session.current.query + oneLine(text));
	}, [retype]);

	useEffect(() => {
		const open = session.current;
		if (open?.seeking && !selectLoadingOlder(latest.current.state())) land(open, open.seeking);
	}, [options.log, land]);

	useEffect(() => {
		if (session.current) set(undefined);
	}, [options.room, set]);

	const query = session.current?.query;
	const shown = session.current?.current;
	const decorate = useMemo<RowDecorator | undefined>(
		() => (query === undefined ? undefined : (entry, rows) => markEntryRows(entry, rows, {query, current: shown})),
		[query, shown],
	);
	return {current, open, move, onKey, paste, decorate};
}
