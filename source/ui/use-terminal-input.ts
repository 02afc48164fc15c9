// Reads keys and pastes from Ink's stdin. Ink 6.8 has no paste support and
// its useInput drops the bracketed-paste markers, so this listens to the raw
// input events Ink's App emits (its internal_eventEmitter, which useInput
// itself listens to) and decodes them with InputStream.
import {useStdin} from 'ink';
import {useEffect, useRef} from 'react';
import {InputStream, type InputItem} from './input-stream.js';

/**
 * Every chunk the terminal sends, as Ink's App emits it. Holds raw mode while
 * mounted: Ink reads the terminal only while someone holds it (it counts the
 * holders), so each reader holds it for itself.
 */
export function useRawInput(onInput: (data: string) => void): void {
	const {internal_eventEmitter: emitter, setRawMode, isRawModeSupported} = useStdin();
	// The latest handler, so the subscription is made once and never sees stale state.
	const handler = useRef(onInput);
	handler.current = onInput;

	useEffect(() => {
		if (!isRawModeSupported) return;
		setRawMode(true);
		return () => {
			setRawMode(false);
		};
	}, [isRawModeSupported, setRawMode]);

	useEffect(() => {
		const listener = (data: string) => {
			handler.current(data);
		};
		emitter.on('input', listener);
		return () => {
			emitter.removeListener('input', listener);
		};
	}, [emitter]);
}

export function useTerminalInput(onItem: (item: InputItem) => void): void {
	const stream = useRef<InputStream | undefined>(undefined);
	stream.current ??= new InputStream();
	useRawInput(data => {
		for (const item of stream.current!.push(data)) onItem(item);
	});
}
