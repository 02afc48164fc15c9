// Sending is NDJSON: one object per line (PROTOCOL.md §1).
import type {FailureCode} from './codes.js';
import type {Command, ServerFrame, StatusFrame} from './types.js';

export function encodeFrame(frame: Command | ServerFrame): string {
	return JSON.stringify(frame) + '\n';
}

/**
 * A frame as the bytes of one JSON line. A broadcast encodes once and hands
 * these same bytes to every recipient, on this node and across a cluster.
 */
export function encodeFrameBytes(frame: Command | ServerFrame): Buffer {
	return Buffer.from(encodeFrame(frame));
}

export function successStatus(text: string, clients?: string[]): StatusFrame {
	const status: StatusFrame = {success: true, 'error-msg': '', 'success-msg': text};
	if (clients) status.clients = clients;
	return status;
}

/**
 * A failure with its §8 code; `error` is the human text. `retry` (seconds)
 * goes with the codes that tell a client when to try again.
 */
export function failureStatus(code: FailureCode, error: string, retry?: number): StatusFrame {
	const status: StatusFrame = {success: false, 'error-msg': error, 'success-msg': '', code};
	if (retry !== undefined) status.retry = retry;
	return status;
}
