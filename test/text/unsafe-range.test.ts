// Every code point of Unicode through every output path that can reach a
// terminal: the TUI's sanitiser (names and messages), pipe mode's plain lines
// (which the --log transcript also writes), --json lines and the server log.
// Each path must treat exactly the unsafe code points as unsafe, by one
// definition, written out here from PROTOCOL.md §7 independently of the code:
// controls (C0, DEL, C1), every format character (Cf), the line and paragraph
// separators, surrogates, noncharacters, and the default-ignorable code
// points that are not combining marks (the Hangul fillers, and the ones
// reserved for future invisible characters).
import {describe, expect, it} from 'vitest';
import {sanitize, sanitizeLine} from '../../source/text/sanitize.js';
import {toJsonLine, toPlainLine} from '../../source/cli/pipe-output.js';
import {logSafe} from '../../source/server/log.js';

const unsafeBySpec = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Noncharacter_Code_Point}]|(?!\p{Mn})\p{Default_Ignorable_Code_Point}/u;

function hex(code: number): string {
	return 'U+' + code.toString(16).toUpperCase().padStart(4, '0');
}

/** Every code point as a one-character string (a surrogate alone is a lone surrogate). */
function* everyCodePoint(): Generator<[number, string]> {
	for (let code = 0; code <= 0x10ffff; code++) {
		yield [code, code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code)];
	}
}

/** Collects the code points where `treatedAsUnsafe` disagrees with the spec; empty means the path is right. */
function disagreements(treatedAsUnsafe: (char: string, code: number) => boolean): string[] {
	const wrong: string[] = [];
	for (const [code, char] of everyCodePoint()) {
		const expected = unsafeBySpec.test(char);
		if (treatedAsUnsafe(char, code) !== expected) wrong.push(`${hex(code)} ${expected ? 'left raw' : 'escaped'}`);
	}

	return wrong;
}

/** The first few disagreements and how many there are, so a failure is readable. */
function summary(wrong: string[]): string {
	return wrong.length === 0 ? 'none' : `${wrong.length}: ${wrong.slice(0, 12).join(', ')}`;
}

describe('one definition of unsafe, over the whole Unicode range', () => {
	it('the definition covers what the issue found (fillers, tags, Mongolian vowel separator, Arabic marks)', () => {
		for (const code of [0x3164, 0x115f, 0x1160, 0xffa0, 0xe0001, 0xe0020, 0xe007f, 0x180e, 0xfff9, 0xfffb, 0x0600, 0x0605, 0x061c]) {
			expect(unsafeBySpec.test(String.fromCodePoint(code)), hex(code)).toBe(true);
		}

		// Combining marks that are default-ignorable (variation selectors) attach to the letter before them: safe.
		for (const code of [0xfe0f, 0x034f, 0xe0100]) expect(unsafeBySpec.test(String.fromCodePoint(code)), hex(code)).toBe(false);
	});

	it('the TUI shows exactly the unsafe code points as placeholders, in a name and in a message', () => {
		expect(summary(disagreements(char => sanitizeLine(char) !== char))).toBe('none');
		// In a message a newline stays a newline (it starts a new row) and a tab becomes spaces.
		expect(summary(disagreements((char, code) => code === 0x0a || sanitize(char) !== char))).toBe('none');
	});

	it('plain pipe output (and the transcript, which writes its lines) escapes exactly the unsafe code points', () => {
		const shown = (char: string) => toPlainLine({type: 'message', user: 'u', text: `<${char}>`, time: '2026-01-01T12:00:00.000Z'})!;
		expect(summary(disagreements((char, code) => code === 0x0a || !shown(char).includes(`<${char}>`)))).toBe('none');
	});

	it('--json escapes exactly the unsafe code points as \\uXXXX, and stays exact data', () => {
		const wrong = disagreements((char, code) => {
			const line = toJsonLine({type: 'info', message: char}).slice(0, -1);
			// JSON's own escapes of the quote and the backslash are not about terminals.
			if (code === 0x22 || code === 0x5c) return unsafeBySpec.test(char);
			return !line.includes(char);
		});
		expect(summary(wrong)).toBe('none');

		// Escaped or not, every code point reads back as itself (parsed in blocks: one parse per code point is slow).
		const block: string[] = [];
		for (const [code, char] of everyCodePoint()) {
			block.push(char);
			if (block.length < 4096 && code < 0x10ffff) continue;
			const text = block.join('');
			expect((JSON.parse(toJsonLine({type: 'info', message: text})) as {message: string}).message === text, `block ending at ${hex(code)}`).toBe(true);
			block.length = 0;
		}
	});

	it('--json escapes an astral format character as its surrogate pair', () => {
		expect(toJsonLine({type: 'info', message: 'a\u{E0001}b'})).toBe('{"type":"info","message":"a\\udb40\\udc01b"}\n');
	});

	it('the server log escapes exactly the unsafe code points (and doubles the backslash, its escape character)', () => {
		expect(summary(disagreements(char => char !== '\\' && logSafe(char) !== char))).toBe('none');
		expect(logSafe('\\')).toBe('\\\\');
	});
});
