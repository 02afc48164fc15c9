// Where the message pane is scrolled to, owned here. Undefined follows the
// newest message. Scroll keys may come several to one read, so the anchor is
// read and written through a ref, and a render is requested on each change.
import {useCallback, useEffect, useReducer, useRef} from 'react';
import type {EntrySource, ScrollAnchor} from './pane-layout.js';

export type ScrollAnchorControl = {
	/** The anchor to draw this render. */
	readonly anchor: ScrollAnchor;
	readonly current: () => ScrollAnchor;
	readonly set: (next: ScrollAnchor) => void;
};

/**
 * `onFollowChange(scrolledUp)` runs when the view leaves the bottom or comes
 * back to it. When the anchor's entry is gone (/clear, or evicted from the
 * log), the view follows the bottom again.
 */
export function useScrollAnchor(source: EntrySource, version: unknown, onFollowChange: (scrolledUp: boolean) => void): ScrollAnchorControl {
	const anchor = useRef<ScrollAnchor>(undefined);
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const onChange = useRef(onFollowChange);
	onChange.current = onFollowChange;

	const current = useCallback(() => anchor.current, []);
	const set = useCallback((next: ScrollAnchor) => {
		const wasUp = anchor.current !== undefined;
		if (next === anchor.current) return;
		anchor.current = next;
		rerender();
		if (wasUp !== (next !== undefined)) onChange.current(next !== undefined);
	}, []);

	useEffect(() => {
		if (anchor.current !== undefined && source.indexOf(anchor.current.id) === -1) set(undefined);
	}, [source, version, set]);

	return {anchor: anchor.current, current, set};
}
