// Reads keys and pastes from Ink's stdin. Ink 6.8 has no paste support and
// its useInput drops the bracketed-paste markers, so this listens to the raw
// input events Ink's App emits (its internal_eventEmitter, which useInput
// itself listens to) and decodes them with InputStream.
import {useStdin} from 'ink';
import {useEffect, useRef} from 'react';
import {InputStream, type InputItem} from './input-stream.js';

export function useTerminalInput(onItem: (item: InputItem) => void): void {
	const {internal_eventEmitter: emitter, setRawMode, isRawModeSupported} = useStdin();
	// The latest handler, so the subscription is made once and never sees stale state.
	const handler = useRef(onItem);
	handler.current = onItem;

	useEffect(() => {
		if (!isRawModeSupported) return;
		setRawMode(true);
		return () => {
			setRawMode(false);
		};
	}, [isRawModeSupported, setRawMode]);

	useEffect(() => {
		const stream = new InputStream();
		const listener = (data: string) => {
			for (const item of stream.push(data)) handler.current(item);
		};
		emitter.on('input', listener);
		return () => {
			emitter.removeListener('input', listener);
		};
	}, [emitter]);
}
