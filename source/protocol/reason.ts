// Reasons people give (leaving with `exit {msg}`, later `away {msg}`):
// PROTOCOL.md §8 makes them one line of at most 256 characters.
import {countChars} from './limits.js';

export const MAX_REASON_CHARS = 256;

/**
 * A reason as it travels on: line breaks become spaces, the ends are trimmed
 * and it is cut to `MAX_REASON_CHARS` code points. Accepting and cutting,
 * rather than refusing, means a quit never fails over its goodbye. Empty
 * means no reason.
 */
export function oneLineReason(text: string): string | undefined {
	const line = text.replaceAll(/[\r\n\u0085\u2028\u2029]+/gu, ' ').trim();
	if (line === '') return undefined;
	if (countChars(line) <= MAX_REASON_CHARS) return line;
	return [...line].slice(0, MAX_REASON_CHARS).join('').trimEnd();
}
