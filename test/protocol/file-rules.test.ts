import {describe, expect, it} from 'vitest';
import {DEFAULT_FILE_BYTES, fileBytesWithin, fileFrameBytes, fileNameProblem, fileTextProblem} from '../../source/protocol/file-rules.js';
import {encodeFrame} from '../../source/protocol/encoder.js';

describe('file names', () => {
	it.each(['main.go', 'README', 'a b.txt', 'ünï.rs', '😀.ts', 'x'.repeat(64), '.env', 'C:drive'])('takes %j', name => {
		expect(fileNameProblem(name)).toBeUndefined();
	});

	it.each([
		['', /required/],
		['x'.repeat(65), /65 characters; the limit is 64/],
		['../etc/passwd', /not a path/],
		['a\\b', /not a path/],
		['.', /"\."/],
		['..', /"\."/],
		[' lead', /white space/],
		['a\u0000b', /U\+0000/],
		['a\u001b[31m', /U\+001B/],
		['evil\u202egp.js', /U\+202E/],
		['zero\u200bwidth', /U\+200B/],
		['lone\ud800', /U\+D800/],
		['hangul\u3164', /U\+3164/],
	])('refuses %j', (name, why) => {
		expect(fileNameProblem(name)).toMatch(why);
	});
});

describe('file text', () => {
	it('counts UTF-8 bytes, not characters, against the limit', () => {
		expect(fileTextProblem('é'.repeat(100), 200)).toBeUndefined();
		expect(fileTextProblem('é'.repeat(101), 200)).toEqual({error: 'file is 202 bytes of UTF-8; the limit is 200', tooLong: true});
	});

	it('refuses a lone surrogate but takes a pair', () => {
		expect(fileTextProblem('😀', 10)).toBeUndefined();
		expect(fileTextProblem('a\udc00', 10)).toMatchObject({tooLong: false});
	});
});

describe('the frame a file needs', () => {
	it('holds the worst case: a 48 KiB file with every byte escaped, in the event others get', () => {
		const text = '\u0001'.repeat(DEFAULT_FILE_BYTES);
		const frame = encodeFrame({cmd: 'update-file', user: 'ᄀ'.repeat(32), room: '#lobby', name: '😀'.repeat(64), msg: text, version: Number.MAX_SAFE_INTEGER, time: Number.MAX_SAFE_INTEGER});
		expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(fileFrameBytes(DEFAULT_FILE_BYTES));
		// Every byte a client may escape, e.g. "a" as \u0061, weighs as much as a control character.
		expect(fileFrameBytes(DEFAULT_FILE_BYTES)).toBe(6 * 48 * 1024 + 1024);
	});

	it('inverts: the largest file within a frame limit', () => {
		expect(fileBytesWithin(fileFrameBytes(DEFAULT_FILE_BYTES))).toBe(DEFAULT_FILE_BYTES);
		expect(fileBytesWithin(1024)).toBe(0);
		expect(fileBytesWithin(4096)).toBe(512);
	});
});
