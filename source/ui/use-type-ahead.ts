// Keys typed ahead of a conversation switch. Several keys can come in one read
// (a fast typist, a terminal macro, `tmux send-keys`), faster than React
// renders; a switch takes effect at the next render (the state, the draft
// swapped in, the conversation Enter sends to), so the keys after it wait for
// that render rather than landing in the conversation just left.
import {useCallback, useEffect, useRef, useState} from 'react';
import type {InputItem} from './input-stream.js';

export type TypeAhead = {
	/** Holds the items that follow until the next render is on screen; `first` go before them. */
	readonly hold: (...first: InputItem[]) => void;
	/** `onItem`, behind the hold: an item passes at once, or waits its turn. */
	readonly gate: (onItem: (item: InputItem) => void) => (item: InputItem) => void;
};

export function useTypeAhead(): TypeAhead {
	const held = useRef<InputItem[] | undefined>(undefined);
	// The handler of the latest render, so held items meet the state they were typed for.
	const handler = useRef<(item: InputItem) => void>(() => undefined);
	const [holds, setHolds] = useState(0);

	// After the render a hold asked for (its layout effects included): the held items, in order,
	// until one of them holds again; the rest then wait for the render after that.
	useEffect(() => {
		const items = held.current;
		if (items === undefined) return;
		held.current = undefined;
		// A function, not `held.current` itself: TypeScript would keep it narrowed to undefined across the calls.
		const heldAgain = () => held.current;
		while (items.length > 0 && heldAgain() === undefined) handler.current(items.shift()!);
		heldAgain()?.push(...items);
	}, [holds]);

	const hold = useCallback((...first: InputItem[]) => {
		if (held.current) {
			held.current.unshift(...first);
			return;
		}

		held.current = [...first];
		// A render of its own: a switch to the conversation already shown changes no state.
		setHolds(count => count + 1);
	}, []);
	const gate = (onItem: (item: InputItem) => void) => {
		handler.current = onItem;
		return (item: InputItem) => {
			if (held.current) held.current.push(item);
			else onItem(item);
		};
	};
	return {hold, gate};
}
