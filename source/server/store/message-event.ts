// The `message` event of a stored message, encoded the one way the server
// sends it, live and in `history` replies, so that a reply's size can be
// measured before it is built. The Redis log's append script puts the same
// bytes together from the JSON of user, msg and id (its tests compare its
// published frames with what this module makes).
import type {StoredMessage} from './message-log.js';

/** §9: a `history` reply stays under this many bytes encoded. */
export const HISTORY_REPLY_MAX_BYTES = 256 * 1024;
/** Kept for the status envelope around `messages` (success-msg, epoch, first, last, more). */
export const HISTORY_ENVELOPE_BYTES = 1024;

export type MessageEvent = {
	cmd: 'message';
	user: string;
	msg: string;
	seq: number;
	epoch: string;
	time: number;
	id?: string;
	room?: string;
	action?: true;
};

/** The event object in its fixed key order; `room` is left out when undefined. */
export function messageEvent(message: StoredMessage, room?: string): MessageEvent {
	const event: MessageEvent = {cmd: 'message', user: message.user, msg: message.msg, seq: message.seq, epoch: message.epoch, time: message.time};
	if (message.id !== undefined) event.id = message.id;
	if (room !== undefined) event.room = room;
	if (message.action) event.action = true;
	return event;
}

/** What comes before the seq and after the time: the parts a message's sender fixes. */
type EventHalves = {head: string; tail: string};

function eventHalves(user: string, msg: string, id: string | undefined, room: string | undefined, action?: true): EventHalves {
	const head = `{"cmd":"message","user":${JSON.stringify(user)},"msg":${JSON.stringify(msg)},"seq":`;
	let tail = '';
	if (id !== undefined) tail += `,"id":${JSON.stringify(id)}`;
	if (room !== undefined) tail += `,"room":${JSON.stringify(room)}`;
	if (action) tail += ACTION_FIELD;
	return {head, tail: tail + '}\n'};
}

/** One JSON line, identical to encodeFrame(messageEvent(message, room)). */
export function encodeMessageEvent(message: StoredMessage, room?: string): string {
	const {head, tail} = eventHalves(message.user, message.msg, message.id, room, message.action);
	return `${head}${message.seq},"epoch":${JSON.stringify(message.epoch)},"time":${message.time}${tail}`;
}

/** The inside of the JSON array a `history` reply carries (the events joined by commas, no brackets), each encoded as encodeMessageEvent() does. */
export function encodeMessageArray(messages: readonly StoredMessage[], room: string | undefined): Buffer {
	// Each line without its newline.
	return Buffer.from(messages.map(message => encodeMessageEvent(message, room).slice(0, -1)).join(','));
}

/**
 * Bytes this message takes inside a `history` reply's `messages` array: the
 * encoded event, its newline standing for the comma. Measured with `room`
 * present, the larger of the two encodings, so the reply is under budget
 * whichever the server sends.
 */
export function historyEntryBytes(message: StoredMessage, room: string): number {
	return entryBytes(message, jsonBytes(room), jsonBytes(message.epoch));
}

/**
 * What historyEntryBytes adds to an event encoded without `room`: the room
 * field named by the conversation's key, and the separator. An encoded page
 * counts its events as encoded without room plus this, and so is cut where
 * a page of objects is.
 */
export function roomAllowanceBytes(conversation: string): number {
	return ROOM_KEY_BYTES + jsonBytes(conversation) + 1;
}

/** Counted field by field rather than encoded; the room's and epoch's share is the same for a whole page, so it is counted once. */
function entryBytes(message: StoredMessage, roomBytes: number, epochBytes: number): number {
	let bytes = FIXED_BYTES + roomBytes + epochBytes + jsonBytes(message.user) + jsonBytes(message.msg);
	bytes += String(message.seq).length + String(message.time).length;
	if (message.id !== undefined) bytes += ID_KEY_BYTES + jsonBytes(message.id);
	if (message.action) bytes += ACTION_FIELD.length;
	return bytes;
}

/** `{"cmd":"message","user":,"msg":,"seq":,"epoch":,"time":,"room":}` and the newline. */
const FIXED_BYTES = '{"cmd":"message","user":,"msg":,"seq":,"epoch":,"time":,"room":}\n'.length;
const ID_KEY_BYTES = ',"id":'.length;
const ROOM_KEY_BYTES = ',"room":'.length;
/**
 * Printable ASCII but the quote and the backslash: such a string encodes as
 * itself in quotes, a byte a character. Asked as "all of these", anchored: a
 * search for any character JSON escapes scanned a 200-character text several
 * times slower, and a 1,000-message page is measured on every `history`.
 */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const ACTION_FIELD = ',"action":true';
/** What JSON.stringify escapes (quote, backslash, controls) or might (lone surrogates); absent, a string encodes as itself in quotes. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function jsonBytes(text: string): number {
	if (PLAIN_ASCII.test(text)) return text.length + 2;
	return NEEDS_ESCAPE.test(text) ? Buffer.byteLength(JSON.stringify(text)) : Buffer.byteLength(text) + 2;
}

/**
 * How many of `candidates`, taken from `fromNewest ? the end : the start`, fit
 * in one reply. At least one always fits: a message is bounded far below the budget.
 */
export function countWithinBudget(candidates: readonly StoredMessage[], room: string, fromNewest: boolean): number {
	let budget = HISTORY_REPLY_MAX_BYTES - HISTORY_ENVELOPE_BYTES;
	const roomBytes = jsonBytes(room);
	let epoch: string | undefined;
	let epochBytes = 0;
	for (let index = 0; index < candidates.length; index++) {
		const message = candidates[fromNewest ? candidates.length - 1 - index : index];
		if (message.epoch !== epoch) {
			epoch = message.epoch;
			epochBytes = jsonBytes(epoch);
		}

		budget -= entryBytes(message, roomBytes, epochBytes);
		if (budget < 0) return Math.max(1, index);
	}

	return candidates.length;
}

/**
 * Events encoded one a line (`lines`: separated by '\n', which JSON text
 * never holds raw) in seq order, cut to a reply's budget as countWithinBudget
 * cuts a page of objects, from the newest or the oldest: each event counts
 * its bytes, less the `sentRoomBytes` of its room field, plus `allowance`
 * (roomAllowanceBytes). The events kept are joined with commas in place, as
 * the inside of the reply's `messages` array.
 */
export function joinWithinBudget(lines: Buffer, fromNewest: boolean, sentRoomBytes: number, allowance: number): {messages: Buffer; count: number} {
	let budget = HISTORY_REPLY_MAX_BYTES - HISTORY_ENVELOPE_BYTES;
	let count = 0;
	if (fromNewest) {
		let start = lines.length;
		for (let end = lines.length; end > 0; end = start - 1) {
			const newline = lines.lastIndexOf(NEWLINE, end - 1);
			budget -= end - newline - 1 - sentRoomBytes + allowance;
			if (budget < 0 && count > 0) break;
			if (count > 0) lines[end] = COMMA;
			count++;
			start = newline + 1;
		}

		return {messages: lines.subarray(start), count};
	}

	let end = 0;
	for (let start = 0; start < lines.length; start = end + 1) {
		const newline = lines.indexOf(NEWLINE, start);
		const lineEnd = newline === -1 ? lines.length : newline;
		budget -= lineEnd - start - sentRoomBytes + allowance;
		if (budget < 0 && count > 0) break;
		if (count > 0) lines[end] = COMMA;
		count++;
		end = lineEnd;
	}

	return {messages: lines.subarray(0, end), count};
}

const NEWLINE = 0x0a;
const COMMA = 0x2c;
