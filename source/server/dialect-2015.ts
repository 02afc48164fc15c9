// How a server writes its frames: in our dialect (NDJSON, §3/§4), or in the
// 2015 CodeChat server's (§5), so that the original Go and Python clients
// work against ours. One encoder per server, chosen by `dialect`; the
// connection hands it our StatusFrame / ChatEvent and sends the bytes.
import {encodeFrameBytes} from '../protocol/encoder.js';
import type {ChatEvent, Dialect, FileEvent, StatusFrame} from '../protocol/types.js';

export type FrameEncoder = {
	readonly dialect: Dialect;
	/** A status for the command `command` (its `cmd`); `connect` is the 2015 "client-connect". */
	status(status: StatusFrame, command: string): Uint8Array;
	/** An event, or undefined when the dialect has no such frame (it is then not sent). */
	event(event: ChatEvent | FileEvent): Uint8Array | undefined;
};

const codechatEncoder: FrameEncoder = {
	dialect: 'codechat',
	status: status => encodeFrameBytes(status),
	event: event => encodeFrameBytes(event),
};

/**
 * The 2015 server writes frames back to back with no delimiter, so there is
 * no newline. Everything past ASCII is escaped (\uXXXX, surrogates one by
 * one), because the Python client decodes what it reads as ASCII and would
 * drop a frame holding "é"; the Go client reads the escapes as the same text.
 */
function bytes2015(frame: Record<string, unknown>): Uint8Array {
	const json = JSON.stringify(frame).replaceAll(/[^\u0000-\u007F]/gu, char => escapeUnits(char));
	return Buffer.from(json, 'ascii');
}

function escapeUnits(char: string): string {
	let escaped = '';
	for (let index = 0; index < char.length; index++) escaped += `\\u${char.charCodeAt(index).toString(16).padStart(4, '0')}`;
	return escaped;
}

/** What the 2015 clients show when a user left without saying why. */
export const UNKNOWN_REASON = 'reason unknown';

const encoder2015: FrameEncoder = {
	dialect: '2015',
	// Its statuses carry one text, `payload`, and none of our fields (features, limits, code).
	status(status, command) {
		return bytes2015({
			cmd: 'return-status',
			'return-cmd': command === 'connect' ? 'client-connect' : command,
			status: status.success,
			payload: status.success ? status['success-msg'] : status['error-msg'],
		});
	},
	event(event) {
		switch (event.cmd) {
			case 'message': {
				return bytes2015({cmd: 'message', from: event.user, payload: event.msg});
			}

			case 'client-enter': {
				return bytes2015({cmd: 'client-connect', from: event.user, payload: ''});
			}

			case 'client-exit': {
				return bytes2015({cmd: 'client-exit', from: event.user, payload: event.msg ?? UNKNOWN_REASON});
			}

			case 'client-rename': {
				return bytes2015({cmd: 'client-rename', from: event.oldname, payload: `${event.oldname},${event.newname}`});
			}

			case 'update-file': {
				return bytes2015({cmd: 'update-file', from: event.user, payload: event.msg});
			}

			// The 2015 clients know none of these; a closing server just closes.
			case 'client-gone':
			case 'client-away':
			case 'server-closing': {
				return undefined;
			}

			default: {
				const unknown: never = event;
				throw new Error(`no 2015 frame for ${JSON.stringify(unknown)}`);
			}
		}
	},
};

export function frameEncoder(dialect: Dialect): FrameEncoder {
	switch (dialect) {
		case 'codechat': {
			return codechatEncoder;
		}

		case '2015': {
			return encoder2015;
		}

		default: {
			const unknown: never = dialect;
			throw new Error(`unknown dialect ${String(unknown)}`);
		}
	}
}

/** The name a 2015 client's file gets: its `update-file` has none. */
export const SHARED_FILE_NAME_2015 = 'shared';

/** Broadcasts of one room's file go out at most this often (the Go client sends it on every keystroke). */
export const FILE_COALESCE_MS = 1000;

/**
 * Coalesces `update-file` broadcasts per room: the first goes out at once,
 * later ones within FILE_COALESCE_MS wait and only the latest text is sent.
 */
export class FileBroadcastCoalescer {
	readonly #intervalMs: number;
	readonly #rooms = new Map<string, {lastSentMs: number; pending: (() => void) | undefined; timer: NodeJS.Timeout | undefined}>();

	constructor(intervalMs = FILE_COALESCE_MS) {
		this.#intervalMs = intervalMs;
	}

	/** `send` broadcasts the update now; it replaces any update of `room` still waiting. */
	offer(room: string, send: () => void): void {
		const now = performance.now();
		let entry = this.#rooms.get(room);
		if (!entry) {
			entry = {lastSentMs: -Infinity, pending: undefined, timer: undefined};
			this.#rooms.set(room, entry);
		}

		const due = entry.lastSentMs + this.#intervalMs;
		if (now >= due && !entry.timer) {
			entry.lastSentMs = now;
			send();
			return;
		}

		entry.pending = send;
		const waiting = entry;
		waiting.timer ??= setTimeout(() => {
			waiting.timer = undefined;
			waiting.lastSentMs = performance.now();
			const latest = waiting.pending;
			waiting.pending = undefined;
			latest?.();
		}, Math.max(1, due - now));
	}

	/** Sends nothing more (server shutdown). */
	close(): void {
		for (const entry of this.#rooms.values()) clearTimeout(entry.timer);
		this.#rooms.clear();
	}
}
