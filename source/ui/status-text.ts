// The status bar's text, from the status line selector. Pure, so the wording
// is tested without rendering.
import type {StatusLine} from '../state/selectors.js';
import {formatDelaySeconds} from '../state/reducer.js';
import {sanitizeLine} from '../text/sanitize.js';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/** True while the status bar should spin. */
export function isBusy(status: StatusLine): boolean {
	return status.phase === 'connecting' || status.phase === 'reconnecting';
}

/**
 * One piece of the bar. When the bar is too narrow, the parts with the
 * highest `priority` number go first (see status-bar-layout.ts); the first
 * part, the connection state, is never dropped.
 */
export type StatusPart = {
	readonly text: string;
	readonly priority: number;
	/** A shorter wording, used when `text` does not fit. */
	readonly short?: string;
};

/** Why each part is worth its room: what you must know first, what is nice to have last. */
const priorityOf = {
	phase: 0,
	conversation: 1,
	// Before your name (same rank, further left): with the sidebar hidden it is the only sign of a mention elsewhere.
	elsewhere: 1,
	me: 1,
	reason: 2,
	server: 3,
	users: 3,
	rosterIncomplete: 4,
	lag: 5,
} as const;

type PartName = keyof typeof priorityOf;

/** The conversation on screen, as the status bar names it. */
export type ShownConversation = {readonly kind: 'room' | 'direct'; readonly name: string};

/** What is unread in the other conversations, said in the bar when the sidebar is hidden. */
export type UnreadElsewhere = {readonly unread: number; readonly mentions: number};

/**
 * The parts of the status bar, in the order they are shown. `conversation`
 * is named only where there are several (a server with rooms).
 */
export function statusParts(status: StatusLine, now: number, spinnerFrame: number, conversation?: ShownConversation, elsewhere?: UnreadElsewhere): StatusPart[] {
	const spinner = SPINNER_FRAMES[spinnerFrame % SPINNER_FRAMES.length]!;
	const server = sanitizeLine(status.server);
	const attempt = status.attempt ? `, attempt ${status.attempt}` : '';
	const parts: StatusPart[] = [];
	const add = (name: PartName, text: string, short?: string) => parts.push({text, priority: priorityOf[name], ...(short === undefined ? {} : {short})});
	switch (status.phase) {
		case 'connecting':
			add('phase', `${spinner} connecting to ${server}${attempt}`);
			break;
		case 'reconnecting': {
			const remaining = status.retryAt === undefined ? 0 : status.retryAt - now;
			const wait = remaining > 0 ? ` in ${formatDelaySeconds(remaining)} s` : '';
			add('phase', `${spinner} reconnecting${wait}${attempt}`);
			break;
		}
		case 'connected':
			add('phase', `● ${server}`);
			break;
		case 'disconnected':
			add('phase', '○ disconnected');
			break;
		default:
			return status.phase satisfies never;
	}

	const connected = status.phase === 'connected';
	if ((status.phase === 'reconnecting' || status.phase === 'disconnected') && server) add('server', server);
	if (conversation) add('conversation', conversation.kind === 'room' ? sanitizeLine(conversation.name) : `direct with ${sanitizeLine(conversation.name)}`);
	if (elsewhere && elsewhere.unread > 0) {
		const mentions = elsewhere.mentions > 0;
		// The short form counts as the sidebar does: "3 @1".
		add('elsewhere', `${elsewhere.unread} unread elsewhere${mentions ? ` (${elsewhere.mentions} for you)` : ''}`, `${elsewhere.unread} unread${mentions ? ` @${elsewhere.mentions}` : ''}`);
	}
	if (status.me) add('me', sanitizeLine(status.me));
	// Away from the server the roster is what it was: its count would be stale.
	if (connected) add('users', `${status.userCount} user${status.userCount === 1 ? '' : 's'}`);
	if (connected && status.lagMs !== undefined) add('lag', `lag ${Math.round(status.lagMs)} ms`);
	if (connected && status.rosterIncomplete) add('rosterIncomplete', 'roster may be incomplete');
	if (!connected && status.phase !== 'connecting' && status.reason) add('reason', sanitizeLine(status.reason));
	return parts;
}
