// Keys to commands through the binding table, holding the first key of a
// chord (Ctrl-X …) until the next one says what it is.
import {useCallback, useRef} from 'react';
import {commandForKeys, type Binding, type BindingContext, type UiCommand} from './key-bindings.js';
import type {Key} from './keys.js';

/** Returns a key handler that calls `run` with each command the keys of `bindings` make. */
export function useKeyChords(context: () => BindingContext, run: (command: UiCommand) => void, bindings: readonly Binding[]): {onKey: (key: Key) => void; reset: () => void} {
	const held = useRef<Key[]>([]);
	const latest = useRef({context, run, bindings});
	latest.current = {context, run, bindings};

	const onKey = useCallback((key: Key) => {
		const now = latest.current.context();
		const {bindings: table} = latest.current;
		let outcome = commandForKeys([...held.current, key], now, table);
		// A chord that went nowhere: the new key counts on its own, so no typing is lost.
		if (outcome.kind === 'none' && held.current.length > 0) outcome = commandForKeys([key], now, table);
		held.current = outcome.kind === 'prefix' ? [...held.current, key] : [];
		if (outcome.kind === 'command') latest.current.run(outcome.command);
	}, []);
	const reset = useCallback(() => {
		held.current = [];
	}, []);
	return {onKey, reset};
}
