// What travels on the cluster channel: the sender's node id (fixed width)
// followed by the frame exactly as the sending node encoded it, so a
// receiving node hands the same bytes to its clients without re-encoding.
import {encodeFrame} from '../../protocol/encoder.js';
import type {ChatEvent} from '../../protocol/types.js';
import {NODE_ID_LENGTH} from './options.js';

export function envelope(nodeId: Buffer, frame: Uint8Array): Buffer {
	return Buffer.concat([nodeId, frame]);
}

/** Splits a payload from the channel; undefined for one too short to hold a frame. */
export function openEnvelope(payload: Buffer): {sender: Buffer; frame: Buffer} | undefined {
	if (payload.length <= NODE_ID_LENGTH) return undefined;
	return {sender: payload.subarray(0, NODE_ID_LENGTH), frame: payload.subarray(NODE_ID_LENGTH)};
}

/** The same bytes a connection would broadcast for this event. */
export function eventBytes(event: ChatEvent): Buffer {
	return Buffer.from(encodeFrame(event));
}

const MESSAGE_PREFIX = Buffer.from('{"cmd":"message"');
const MEMBERSHIP_EVENTS = new Set(['client-enter', 'client-exit', 'client-rename']);

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

function startsWith(frame: Uint8Array, prefix: Buffer): boolean {
	return frame.length >= prefix.length && prefix.equals(frame.subarray(0, prefix.length));
}

function cmdOf(frame: Uint8Array): string | undefined {
	try {
		const parsed: unknown = JSON.parse(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8'));
		if (typeof parsed === 'object' && parsed !== null && 'cmd' in parsed && typeof parsed.cmd === 'string') return parsed.cmd;
	} catch {}

	return undefined;
}
