// What travels on the cluster's channels: the sender's node id (fixed width)
// followed by the frame exactly as the sending node encoded it, so a
// receiving node hands the same bytes to its clients without re-encoding.
// A room's channel carries the room's frames (a log append publishes all of
// its stored messages in one envelope); a node's direct channel also names
// the recipient.
import {NODE_ID_LENGTH} from './options.js';

export function envelope(nodeId: Buffer, frame: Uint8Array): Buffer {
	return Buffer.concat([nodeId, frame]);
}

/** Splits a payload from the channel; undefined for one too short to hold a frame. */
export function openEnvelope(payload: Buffer): {sender: Buffer; frame: Buffer} | undefined {
	if (payload.length <= NODE_ID_LENGTH) return undefined;
	return {sender: payload.subarray(0, NODE_ID_LENGTH), frame: payload.subarray(NODE_ID_LENGTH)};
}

/** Where the frame that begins at `start` of an envelope carrying several (a log append's) ends, its newline included. */
export function frameEnd(frames: Buffer, start: number): number {
	const newline = frames.indexOf(0x0a, start);
	return newline < 0 ? frames.length : newline + 1;
}

/**
 * A direct message on a node's channel: the sender's node id, the
 * recipient's name key and a newline (names hold none), then the frame.
 */
export function directEnvelope(nodeId: Buffer, recipientKey: string, frame: Uint8Array): Buffer {
	return Buffer.concat([nodeId, Buffer.from(recipientKey + '\n'), frame]);
}

export function openDirectEnvelope(payload: Buffer): {recipientKey: string; frame: Buffer} | undefined {
	const newline = payload.indexOf(0x0a, NODE_ID_LENGTH);
	if (newline < 0 || newline === payload.length - 1) return undefined;
	return {recipientKey: payload.subarray(NODE_ID_LENGTH, newline).toString(), frame: payload.subarray(newline + 1)};
}

const MESSAGE_PREFIX = Buffer.from('{"cmd":"message"');
const MEMBERSHIP_EVENTS = new Set(['client-enter', 'client-exit', 'client-rename']);

/** A `message` event (it starts with the bytes the encoder writes first). */
export function isMessageEvent(frame: Uint8Array): boolean {
	return startsWith(frame, MESSAGE_PREFIX);
}

const SEQ_KEY = Buffer.from(',"seq":');

/**
 * The seq of an encoded stored message event, or undefined. The first
 * `,"seq":` is the key: inside a JSON string every quote is escaped, so the
 * text cannot occur in the user name or the message before it. `start` and
 * `end` read one frame of several in place (an envelope's, without a view of it).
 */
export function messageSeq(frame: Uint8Array, start = 0, end = frame.length): number | undefined {
	const bytes = asBuffer(frame);
	const at = bytes.indexOf(SEQ_KEY, start);
	if (at < 0 || at + SEQ_KEY.length >= end) return undefined;
	let seq = 0;
	let index = at + SEQ_KEY.length;
	for (; index < end && bytes[index]! >= 0x30 && bytes[index]! <= 0x39; index++) seq = seq * 10 + bytes[index]! - 0x30;
	return index === at + SEQ_KEY.length ? undefined : seq;
}

const EPOCH_KEY = Buffer.from(',"epoch":"');

/** The epoch of an encoded stored message event, or undefined (it follows the seq; epochs hold no quote or escape). */
export function messageEpoch(frame: Uint8Array): string | undefined {
	const bytes = asBuffer(frame);
	const at = bytes.indexOf(EPOCH_KEY);
	if (at < 0) return undefined;
	const start = at + EPOCH_KEY.length;
	const end = bytes.indexOf(0x22, start);
	return end > start ? bytes.toString('latin1', start, end) : undefined;
}

const USER_KEY = Buffer.from('{"cmd":"message","user":"');

/**
 * The `user` of a message event. The encoder writes it second, so it is read
 * in place when it has no escapes (names rarely do); else the frame is parsed.
 */
export function messageUser(frame: Uint8Array): string | undefined {
	const bytes = asBuffer(frame);
	if (startsWith(bytes, USER_KEY)) {
		const end = bytes.indexOf(0x22, USER_KEY.length);
		// Only the name is looked at for an escape, not the rest of the frame.
		if (end > 0 && !bytes.subarray(USER_KEY.length, end).includes(0x5c)) return bytes.toString('utf8', USER_KEY.length, end);
	}

	try {
		const parsed: unknown = JSON.parse(asBuffer(frame).toString('utf8'));
		if (typeof parsed === 'object' && parsed !== null && 'user' in parsed && typeof parsed.user === 'string') return parsed.user;
	} catch {}

	return undefined;
}

/**
 * True for client-enter/exit/rename. The hub publishes those itself, inside
 * the Lua script that changes the name registry, so the connection's own
 * broadcast of them must stay local. Chat messages (the hot path) are told by
 * their first bytes; anything else is parsed (rare: membership changes).
 */
export function isMembershipEvent(frame: Uint8Array): boolean {
	if (startsWith(frame, MESSAGE_PREFIX)) return false;
	return MEMBERSHIP_EVENTS.has(cmdOf(frame) ?? '');
}

/** Compared in place: this runs for every frame off the channel, and a view per call is garbage per frame. */
function startsWith(frame: Uint8Array, prefix: Buffer): boolean {
	return frame.length >= prefix.length && prefix.compare(frame, 0, prefix.length) === 0;
}

function asBuffer(frame: Uint8Array): Buffer {
	return Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
}

function cmdOf(frame: Uint8Array): string | undefined {
	try {
		const parsed: unknown = JSON.parse(asBuffer(frame).toString('utf8'));
		if (typeof parsed === 'object' && parsed !== null && 'cmd' in parsed && typeof parsed.cmd === 'string') return parsed.cmd;
	} catch {}

	return undefined;
}
