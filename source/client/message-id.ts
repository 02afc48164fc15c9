// §9 message ids: 16 random bytes, base64url, so 22 characters of
// [A-Za-z0-9_-] carrying 128 random bits (the protocol asks for at least 96).
import {randomBytes} from 'node:crypto';

export const MESSAGE_ID_BYTES = 16;

export function newMessageId(): string {
	return randomBytes(MESSAGE_ID_BYTES).toString('base64url');
}
