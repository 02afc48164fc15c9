// How pipe mode writes events: plain text lines, or NDJSON with a `type`.
// Plain lines pass the terminal sanitiser (stdout may be a terminal); JSON is
// exact data, with every character a terminal could act on escaped.
import {isLobby} from '../protocol/rooms.js';
import type {RoomSummary} from '../protocol/types.js';
import {backlogText, gapText, RESET_TEXT} from '../state/history-lines.js';
import {sanitize, sanitizeLine} from '../text/sanitize.js';
import {replaceUnsafe} from '../text/unsafe.js';

/**
 * Where a chat event happened (§10), on a server with rooms: `room`; a
 * direct message: `to` (the recipient; `user` is the sender). Neither on a
 * server without rooms, whose one room is #lobby.
 */
export type PipePlace = {room?: string; to?: string};

export type PipeEvent =
	| {type: 'connected'; user: string; server: string}
	/**
	 * `time`: ISO 8601, the server's when it keeps a log. `seq`: its place in
	 * the room's log. `backlog`: said before we joined; `recovered`: said while
	 * we were cut off (§9). Both kinds come in seq order with the rest.
	 */
	| ({type: 'message'; user: string; text: string; time: string; seq?: number; backlog?: true; recovered?: true; action?: true} & PipePlace)
	/** §13: `user` is away with the reason `msg`; empty: back. */
	| {type: 'away'; user: string; msg: string}
	| {type: 'enter'; user: string; room?: string}
	/** `part`: they left the room, not the server. */
	| {type: 'exit'; user: string; msg?: string; room?: string; part?: true}
	/** We joined `room` (§10); `users`: its members. */
	| {type: 'joined'; room: string; users: string[]}
	| {type: 'parted'; room: string}
	/** The answer to /rooms. */
	| {type: 'rooms'; rooms: RoomSummary[]}
	| {type: 'rename'; oldname: string; newname: string}
	/** `complete`: false when built from events alone (2015 server) or while disconnected. */
	| {type: 'roster'; users: string[]; complete: boolean}
	| ({type: 'sent'; text: string; seq?: number; time?: string} & PipePlace)
	| ({type: 'failed'; text: string; error: string} & PipePlace)
	| {type: 'error'; message: string}
	| {type: 'warning'; message: string}
	| {type: 'disconnected'; reason: string}
	| {type: 'reconnecting'; attempt: number; delay: number}
	| {type: 'info'; message: string}
	/** The backlog, or a resume, is in: what follows is live. */
	| {type: 'caught-up'; backlog: number; recovered: number}
	/** A resume found `missed` messages gone for good; the server keeps the last `kept`. */
	| {type: 'gap'; missed: number; kept: number}
	/** The server's history was reset. */
	| {type: 'reset'};

/** "\uXXXX" for each UTF-16 unit, so an astral character becomes its surrogate pair, as JSON spells it. */
function jsonEscape(char: string): string {
	let escaped = '';
	for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
	return escaped;
}

// JSON.stringify escapes C0 controls and lone surrogates but leaves C1
// controls, bidi and other format characters and line separators raw; a
// terminal showing the stream could act on them. Every one of them sits inside
// a JSON string, where an escape means the same character.
export function toJsonLine(event: PipeEvent): string {
	return replaceUnsafe(JSON.stringify(event), jsonEscape) + '\n';
}

function clock(iso: string): string {
	return iso.slice(11, 16);
}

/** Where a client event happened, from its conversation: a room (named only on a server with rooms), or a direct partner. */
export function placeOf(conversation: string, hasRooms: boolean, to?: string): PipePlace {
	if (to !== undefined) return {to};
	if (!conversation.startsWith('#')) return {to: conversation};
	return hasRooms ? {room: conversation} : {};
}

/** "[#dev] " for a room other than #lobby, "[→ bob] " for a direct message; nothing for #lobby, so a one-room chat reads as it always did. */
export function placeTag(place: PipePlace): string {
	if (place.to !== undefined) return `[→ ${sanitizeLine(place.to)}] `;
	return place.room === undefined || isLobby(place.room) ? '' : `[${sanitizeLine(place.room)}] `;
}

const plainWriters: {[K in PipeEvent['type']]: (event: Extract<PipeEvent, {type: K}>) => string | undefined} = {
	connected: event => `* connected to ${sanitizeLine(event.server)} as ${sanitizeLine(event.user)}`,
	// A multi-line message keeps its lines, indented so each output line is still one event.
	message: event => `${clock(event.time)} ${placeTag(event)}${event.action ? `* ${sanitizeLine(event.user)}` : `<${sanitizeLine(event.user)}>`} ${sanitize(event.text).replaceAll('\n', '\n      ')}`,
	away: event => `* ${sanitizeLine(event.user)} ${event.msg === '' ? 'is back' : `is away: ${sanitizeLine(event.msg)}`}`,
	enter: event => `* ${placeTag(event)}${sanitizeLine(event.user)} joined`,
	exit: event => `* ${placeTag(event)}${sanitizeLine(event.user)} left${event.msg === undefined ? '' : ` (${sanitizeLine(event.msg)})`}`,
	joined: event => `* you joined ${sanitizeLine(event.room)} (${event.users.length} ${event.users.length === 1 ? 'member' : 'members'})`,
	parted: event => `* you left ${sanitizeLine(event.room)}`,
	rooms: event => `* rooms (${event.rooms.length}): ${event.rooms.map(({room, users}) => `${sanitizeLine(room)} (${users})`).join(', ')}`,
	rename: event => `* ${sanitizeLine(event.oldname)} is now ${sanitizeLine(event.newname)}`,
	roster: event => `* users (${event.users.length}${event.complete ? '' : ', may be incomplete'}): ${event.users.map(user => sanitizeLine(user)).join(', ')}`,
	// Plain output stays quiet about successes: a person reading it sees only what went wrong.
	sent: () => undefined,
	failed: event => `! not sent: ${placeTag(event)}${sanitizeLine(event.text)} (${sanitizeLine(event.error)})`,
	error: event => `! ${sanitizeLine(event.message)}`,
	warning: event => `! warning: ${sanitizeLine(event.message)}`,
	disconnected: event => `* disconnected: ${sanitizeLine(event.reason)}`,
	reconnecting: event => `* reconnecting in ${(event.delay / 1000).toFixed(1)} s (attempt ${event.attempt})`,
	info: event => sanitize(event.message),
	'caught-up': event => (event.backlog > 0 ? `* ${backlogText(event.backlog)}` : undefined),
	gap: event => `* ${gapText(event.missed, event.kept)}`,
	reset: () => `* ${RESET_TEXT}`,
};

export function toPlainLine(event: PipeEvent): string | undefined {
	const write = plainWriters[event.type] as (event: PipeEvent) => string | undefined;
	const line = write(event);
	return line === undefined ? undefined : line + '\n';
}
