// How pipe mode writes events: plain text lines, or NDJSON with a `type`.
// Plain lines pass the terminal sanitiser (stdout may be a terminal); JSON is
// exact data, with every character a terminal could act on escaped.
import {sanitize, sanitizeLine} from '../text/sanitize.js';

export type PipeEvent =
	| {type: 'connected'; user: string; server: string}
	| {type: 'message'; user: string; text: string; time: string}
	| {type: 'enter'; user: string}
	| {type: 'exit'; user: string}
	| {type: 'rename'; oldname: string; newname: string}
	| {type: 'roster'; users: string[]}
	| {type: 'sent'; text: string}
	| {type: 'failed'; text: string; error: string}
	| {type: 'error'; message: string}
	| {type: 'warning'; message: string}
	| {type: 'disconnected'; reason: string}
	| {type: 'reconnecting'; attempt: number; delay: number}
	| {type: 'info'; message: string};

// JSON.stringify escapes C0 controls but leaves C1 controls, bidi controls and
// line separators raw; a terminal showing the stream could act on them.
const unsafeInJson = /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]/gu;

export function toJsonLine(event: PipeEvent): string {
	return JSON.stringify(event).replace(unsafeInJson, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

function clock(iso: string): string {
	return iso.slice(11, 16);
}

const plainWriters: {[K in PipeEvent['type']]: (event: Extract<PipeEvent, {type: K}>) => string | undefined} = {
	connected: event => `* connected to ${sanitizeLine(event.server)} as ${sanitizeLine(event.user)}`,
	// A multi-line message keeps its lines, indented so each output line is still one event.
	message: event => `${clock(event.time)} <${sanitizeLine(event.user)}> ${sanitize(event.text).replaceAll('\n', '\n      ')}`,
	enter: event => `* ${sanitizeLine(event.user)} joined`,
	exit: event => `* ${sanitizeLine(event.user)} left`,
	rename: event => `* ${sanitizeLine(event.oldname)} is now ${sanitizeLine(event.newname)}`,
	roster: event => `* users (${event.users.length}): ${event.users.map(user => sanitizeLine(user)).join(', ')}`,
	// Plain output stays quiet about successes: a person reading it sees only what went wrong.
	sent: () => undefined,
	failed: event => `! not sent: ${sanitizeLine(event.text)} (${sanitizeLine(event.error)})`,
	error: event => `! ${sanitizeLine(event.message)}`,
	warning: event => `! warning: ${sanitizeLine(event.message)}`,
	disconnected: event => `* disconnected: ${sanitizeLine(event.reason)}`,
	reconnecting: event => `* reconnecting in ${(event.delay / 1000).toFixed(1)} s (attempt ${event.attempt})`,
	info: event => sanitize(event.message),
};

export function toPlainLine(event: PipeEvent): string | undefined {
	const write = plainWriters[event.type] as (event: PipeEvent) => string | undefined;
	const line = write(event);
	return line === undefined ? undefined : line + '\n';
}
