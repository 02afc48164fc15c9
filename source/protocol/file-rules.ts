// What a shared file may be (PROTOCOL.md §12): its size in UTF-8 bytes, its
// display name, and the frame limit that its worst-case encoding needs.
import {isUnsafeCodePoint} from '../text/unsafe.js';

/** §12 default `limits.file`: bytes of UTF-8. */
export const DEFAULT_FILE_BYTES = 48 * 1024;
/** Longest file name, in code points. */
export const MAX_FILE_NAME_CHARS = 64;
/**
 * JSON may escape any byte as `\u00XX`: six bytes on the wire for one of
 * text. Worse is impossible: a 2-, 3- or 4-byte character escapes to 6 or 12
 * bytes, at most 3 per byte of text.
 */
export const ESCAPED_BYTES_PER_BYTE = 6;
/**
 * Everything in an `update-file` frame but the text: the keys, a 64-character
 * name (at most 4 bytes each, no escapes), a user name, a room, the numbers.
 * Generous on purpose: 1 KiB for what is under 700 bytes today.
 */
export const FILE_FRAME_OVERHEAD = 1024;

/** The smallest frame limit that carries a file of `fileBytes`, every byte escaped. */
export function fileFrameBytes(fileBytes: number): number {
	return fileBytes * ESCAPED_BYTES_PER_BYTE + FILE_FRAME_OVERHEAD;
}

/** The largest file whose worst-case frame fits `frameBytes` (0 when none does). */
export function fileBytesWithin(frameBytes: number): number {
	return Math.max(0, Math.floor((frameBytes - FILE_FRAME_OVERHEAD) / ESCAPED_BYTES_PER_BYTE));
}

/** Why `name` cannot name a shared file, or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
	const chars = [...name];
	if (chars.length === 0) return 'a file name is required (e.g. "main.go"), so others can see and highlight it';
	if (chars.length > MAX_FILE_NAME_CHARS) return `file name is ${chars.length} characters; the limit is ${MAX_FILE_NAME_CHARS}`;
	if (name !== name.trim()) return 'file name may not start or end with white space';
	if (name === '.' || name === '..') return 'file name may not be "." or ".."';
	for (const char of chars) {
		if (char === '/' || char === '\\') return 'file name may not hold "/" or "\\": it is a name, not a path';
		const code = char.codePointAt(0)!;
		if (isUnsafeCodePoint(code) || (code >= 0xd800 && code <= 0xdfff)) {
			return `file name holds an invisible or control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
		}
	}

	return undefined;
}

// With the u flag a paired surrogate is one code point, so only a lone one matches.
const loneSurrogate = /\p{Cs}/u;

/** Why `text` cannot be the file, or undefined; `tooLong` tells the code apart (§8 `too-long` vs `bad-field`). */
export function fileTextProblem(text: string, limitBytes: number): {error: string; tooLong: boolean} | undefined {
	// A lone surrogate is not text, and no store could keep it as it came.
	if (loneSurrogate.test(text)) return {error: 'file text holds a lone surrogate (\\uD800–\\uDFFF escape); send well-formed text', tooLong: false};
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > limitBytes) return {error: `file is ${bytes} bytes of UTF-8; the limit is ${limitBytes}`, tooLong: true};
	return undefined;
}
