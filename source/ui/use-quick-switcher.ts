// The quick switcher's state while it is open (Ctrl-G), owned here. Keys may
// come several to one read, faster than React renders, so it lives in a ref
// that every key reads and writes at once; a render is requested on each change.
import {useCallback, useReducer, useRef} from 'react';
import type {ConversationRow} from './conversation-list.js';
import type {Key} from './keys.js';
import {closedQuery, switcherKey, type SwitcherState} from './switcher.js';

export type QuickSwitcherControl = {
	/** The switcher as it is now, or undefined when closed. */
	readonly current: () => SwitcherState | undefined;
	readonly open: () => void;
	/** A key while it is open: typed, moved, chosen (then `show` runs) or cancelled. */
	readonly onKey: (key: Key) => void;
};

/** `rows()`: the conversations now; `show(name)` puts the chosen one on screen. */
export function useQuickSwitcher(rows: () => readonly ConversationRow[], show: (name: string) => void): QuickSwitcherControl {
	const state = useRef<SwitcherState | undefined>(undefined);
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const latest = useRef({rows, show});
	latest.current = {rows, show};
	const set = useCallback((next: SwitcherState | undefined) => {
		state.current = next;
		rerender();
	}, []);

	const current = useCallback(() => state.current, []);
	const open = useCallback(() => set(closedQuery), [set]);
	const onKey = useCallback((key: Key) => {
		if (state.current === undefined) return;
		const outcome = switcherKey(state.current, key, latest.current.rows());
		switch (outcome.kind) {
			case 'edit':
				set(outcome.state);
				return;
			case 'choose':
				set(undefined);
				latest.current.show(outcome.name);
				return;
			case 'cancel':
				set(undefined);
				return;
			case 'ignore':
				return;
			default: {
				const unknown: never = outcome;
				throw new Error(`unhandled switcher outcome ${JSON.stringify(unknown)}`);
			}
		}
	}, [set]);
	return {current, open, onKey};
}
