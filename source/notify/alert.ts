// What to write when a message for you arrives: a mention of you (your name
// or a highlight word) or a direct message, in some conversation. Where you
// are looking at it, the bell, as always; where you are not (the terminal
// lost focus, or another conversation is on screen), a desktop notification
// when the terminal has one, else the bell. Pure: the hook that calls it
// keeps focus and the clock.
import {notificationText} from './notification-text.js';
import type {NotifyOutput} from './notify-method.js';
import {BELL, desktopNotification, throughTmux} from './sequences.js';

export type Alert = {
	/** Changes with each new alert (the log entry's id): the same id is never announced twice. */
	readonly id: number | string;
	readonly kind: 'mention' | 'direct';
	/** The key of the conversation it was said in (conversationKey), as the screen names the one it shows. */
	readonly conversation: string;
	/** That conversation as the list names it: a room ("#lobby"), or for a direct message the other person. */
	readonly where: string;
	/** Who said it, raw from the network. */
	readonly from: string;
	/** What they said, raw from the network. */
	readonly text: string;
};

export type AlertContext = {
	readonly output: NotifyOutput;
	/** The terminal has focus (no focus-out reported since the last focus-in). */
	readonly focused: boolean;
	/** The conversation on screen. */
	readonly shown: string;
	/** Epoch ms now, and of the last desktop notification for this alert's conversation. */
	readonly now: number;
	readonly lastDesktopAt: number;
};

/** One desktop notification per conversation at most this often: a flood of mentions is one notification, not a hundred. */
export const MIN_DESKTOP_INTERVAL_MS = 3000;

const NAME_CHARACTERS = 32;
const BODY_CHARACTERS = 120;

function title(alert: Alert): string {
	const from = notificationText(alert.from, NAME_CHARACTERS);
	switch (alert.kind) {
		case 'mention':
			return `${from} in ${notificationText(alert.where, NAME_CHARACTERS)}`;
		case 'direct':
			return `${from}, to you`;
		default:
			return alert.kind satisfies never;
	}
}

/** The bytes to write for `alert` ('' for none), and whether they are a desktop notification. */
export function alertOutput(alert: Alert, context: AlertContext): {write: string; desktop: boolean} {
	const {output} = context;
	if (output.sequence === 'off') return {write: '', desktop: false};
	const seen = context.focused && alert.conversation === context.shown;
	if (seen || output.sequence === 'bell') return {write: BELL, desktop: false};
	if (context.now - context.lastDesktopAt < MIN_DESKTOP_INTERVAL_MS) return {write: '', desktop: false};
	const notification = desktopNotification(output.sequence, title(alert), notificationText(alert.text, BODY_CHARACTERS));
	return {write: output.tmux ? throughTmux(notification) + BELL : notification, desktop: true};
}
