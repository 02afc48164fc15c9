// Room names and room limits (PROTOCOL.md §10), shared by the server (which
// enforces them) and the client (which checks /join before sending).
import {nameKey} from './limits.js';

/** The room every connection is in from `connect` on; it cannot be parted. */
export const LOBBY = '#lobby';
/** Rooms one connection may be in, `#lobby` included; the next join fails with `too-many-rooms`. */
export const MAX_ROOMS_PER_CONNECTION = 50;
/** Rooms one server (or cluster) holds; a join that would create one more fails with `too-many-rooms`. */
export const MAX_ROOMS_PER_SERVER = 10_000;
/** An empty room, and its log, is deleted this long after its last member left. */
export const EMPTY_ROOM_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_ROOM_NAME_CHARS = 32;

const roomPattern = /^#[\p{L}\p{N}_.-]{1,32}$/u;
const invisibleLetter = /\p{Default_Ignorable_Code_Point}/u;

/** Returns why `room` is not a valid room name, or undefined when it is. */
export function roomProblem(room: unknown): string | undefined {
	if (typeof room !== 'string' || room.length === 0) return 'a room name is required';
	if (!room.startsWith('#')) return 'a room name starts with "#"';
	if ([...room].length > MAX_ROOM_NAME_CHARS + 1) return `room name is longer than ${MAX_ROOM_NAME_CHARS} characters after "#"`;
	if (!roomPattern.test(room)) return 'room name may hold only letters, digits, "_", "-" and "." after "#"';
	if (invisibleLetter.test(room)) return 'room name holds an invisible character';
	return undefined;
}

/**
 * The key rooms are compared by: unique ignoring case and by confusable
 * skeleton, as names are (§10). "#Lobby" and "#lobby" are one room.
 */
export function roomKey(room: string): string {
	return '#' + nameKey(room.slice(1));
}

const lobbyKey = roomKey(LOBBY);

/** True for `#lobby` in any case (or look-alike). */
export function isLobby(room: string): boolean {
	return roomKey(room) === lobbyKey;
}
