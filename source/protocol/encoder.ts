// Sending is NDJSON: one object per line (PROTOCOL.md §1).
import type {Command, ServerFrame, StatusFrame} from './types.js';

export function encodeFrame(frame: Command | ServerFrame): string {
	return JSON.stringify(frame) + '\n';
}

export function successStatus(text: string, clients?: string[]): StatusFrame {
	const status: StatusFrame = {success: true, 'error-msg': '', 'success-msg': text};
	if (clients) status.clients = clients;
	return status;
}

export function failureStatus(error: string): StatusFrame {
	return {success: false, 'error-msg': error, 'success-msg': ''};
}
