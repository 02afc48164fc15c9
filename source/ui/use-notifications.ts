// Announces each new alert (a mention of you, a direct message) once: the
// bell where you are looking, a desktop notification where you are not
// (alert.ts decides). Whether you are looking comes from the screen's one
// owner of the terminal's focus (use-terminal-focus.ts).
import {useStdout} from 'ink';
import {useEffect, useRef} from 'react';
import {alertOutput, type Alert} from '../notify/alert.js';
import {BELL_ONLY, type NotifyOutput} from '../notify/notify-method.js';

/**
 * @param alert The newest alert; a new id is a new one. The one there when the screen mounts is not announced.
 * @param shown The conversation on screen.
 * @param focused Whether the terminal has focus (useTerminalFocus).
 * @param output How to announce. @default the bell alone
 */
export function useNotifications(alert: Alert | undefined, shown: string, focused: boolean, output: NotifyOutput = BELL_ONLY, now: () => number = Date.now): void {
	const {stdout} = useStdout();
	const announced = useRef(alert?.id);
	/** By conversation: a flood in one room does not silence a direct message. */
	const lastDesktopAt = useRef(new Map<string, number>());

	useEffect(() => {
		if (alert === undefined || alert.id === announced.current) return;
		announced.current = alert.id;
		const time = now();
		const last = lastDesktopAt.current.get(alert.conversation) ?? Number.NEGATIVE_INFINITY;
		const {write, desktop} = alertOutput(alert, {output, focused, shown, now: time, lastDesktopAt: last});
		if (desktop) lastDesktopAt.current.set(alert.conversation, time);
		if (write !== '') stdout.write(write);
	}, [alert, shown, focused, output, stdout, now]);
}
