// Folds the conversation on screen's messages for search in the background
// (state/search.ts foldAhead), a slice per turn of the event loop, once its
// log has been still for a moment: the first /search or Ctrl-R then answers
// at once instead of folding the 10,000 messages a room keeps first, and a
// flood of messages is not slowed by folding what nobody searched yet.
import {useEffect, useRef} from 'react';
import {currentConversation} from '../state/reducer.js';
import {foldAhead, type FoldedRun} from '../state/search.js';
import type {ChatState} from '../state/types.js';

/** Entries folded in one turn: some milliseconds, so that keys and frames are not held up. */
const FOLD_SLICE = 500;

/** How long the log stays unchanged before folding starts: past a burst, not during it. */
const STILL_MS = 1000;

/**
 * @param state The chat state now.
 * @param log The log on screen: a new object whenever it changes.
 */
export function useFoldAhead(state: () => ChatState, log: unknown): void {
	const latest = useRef(state);
	latest.current = state;
	/** What is folded of the log on screen; another conversation's log starts a run of its own. */
	const run = useRef<FoldedRun | undefined>(undefined);
	useEffect(() => {
		let next: NodeJS.Immediate | undefined;
		const slice = () => {
			const folded = foldAhead(currentConversation(latest.current()).log, FOLD_SLICE, run.current);
			run.current = folded.run;
			next = folded.more ? setImmediate(slice) : undefined;
		};

		const still = setTimeout(() => {
			next = setImmediate(slice);
		}, STILL_MS);
		return () => {
			clearTimeout(still);
			if (next !== undefined) clearImmediate(next);
		};
	}, [log]);
}
