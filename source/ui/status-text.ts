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

/** The parts of the status bar, most important first (the bar cuts from the end). */
export function statusParts(status: StatusLine, now: number, spinnerFrame: number): string[] {
	const spinner = SPINNER_FRAMES[spinnerFrame % SPINNER_FRAMES.length]!;
	const server = sanitizeLine(status.server);
	const parts: string[] = [];
	switch (status.phase) {
		case 'connecting':
			parts.push(`${spinner} connecting to ${server}${status.attempt ? `, attempt ${status.attempt}` : ''}`);
			break;
		case 'reconnecting': {
			const remaining = status.retryAt === undefined ? 0 : status.retryAt - now;
			const wait = remaining > 0 ? ` in ${formatDelaySeconds(remaining)} s` : '';
			parts.push(`${spinner} reconnecting${wait}${status.attempt ? `, attempt ${status.attempt}` : ''}`);
			break;
		}
		case 'connected':
			parts.push(`● ${server}`);
			break;
		case 'disconnected':
			parts.push(`○ disconnected${status.reason ? `: ${sanitizeLine(status.reason)}` : ''}`);
			break;
	}
	if (status.phase !== 'connected' && status.phase !== 'connecting' && server) parts.push(server);
	if (status.me) parts.push(sanitizeLine(status.me));
	parts.push(`${status.userCount} user${status.userCount === 1 ? '' : 's'}`);
	if (status.lagMs !== undefined && status.phase === 'connected') parts.push(`lag ${Math.round(status.lagMs)} ms`);
	if (status.rosterIncomplete) parts.push('roster may be incomplete');
	if (status.phase === 'reconnecting' && status.reason) parts.push(sanitizeLine(status.reason));
	return parts;
}
