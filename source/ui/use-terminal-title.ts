// Keeps the terminal's title on the unread count (terminal-title.ts), and
// gives the terminal its own title back when the screen goes.
import {useStdout} from 'ink';
import {useEffect, useRef} from 'react';
import {RESTORE_TITLE, SAVE_TITLE, titleSequence, titleText} from './terminal-title.js';

/** `wanted` is false where there is only one conversation (a server without rooms): the title is left alone. */
export function useTerminalTitle(unread: number, mentions: number, wanted: boolean): void {
	const {stdout} = useStdout();
	// Only a terminal has a title: written anywhere else the sequence would be litter.
	const enabled = wanted && stdout.isTTY === true;
	const shown = useRef<string | undefined>(undefined);
	useEffect(() => {
		if (!enabled) return;
		stdout.write(SAVE_TITLE);
		return () => {
			stdout.write(RESTORE_TITLE);
			shown.current = undefined;
		};
	}, [enabled, stdout]);
	useEffect(() => {
		if (!enabled) return;
		const text = titleText(unread, mentions);
		if (text === shown.current) return;
		shown.current = text;
		stdout.write(titleSequence(text));
	}, [enabled, unread, mentions, stdout]);
}
