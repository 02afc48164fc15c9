// Code drawn before the grammars were loaded is plain; this hook's value
// changes once they are, so a component that lists it in its memo keys
// draws the code again, highlighted.
import {useEffect, useReducer} from 'react';
import {isHighlighterLoaded, onHighlighterLoaded} from '../text/highlighter.js';

/** A number that changes when the highlighter has loaded. */
export function useHighlighterLoaded(): number {
	const [loads, loaded] = useReducer((count: number) => count + 1, 0);
	useEffect(() => (isHighlighterLoaded() ? undefined : onHighlighterLoaded(loaded)), []);
	return loads;
}
