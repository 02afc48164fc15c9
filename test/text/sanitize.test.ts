import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {LINE_BREAK_MARK, sanitize, sanitizeLine} from '../../source/text/sanitize.js';

/** Every character that must never reach the terminal from multi-line text (joiners are checked apart). */
const forbiddenInText = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]|(?![\u200c\u200d])\p{Cf}|\p{Cs}/u;
/** In single-line text, newline and every format character (joiners included) are forbidden too. */
const forbiddenInLine = /[\x00-\x1f\x7f-\x9f\u2028\u2029]|\p{Cf}|\p{Cs}/u;
/** Lone surrogates: a high not followed by a low, or a low not preceded by a high. */
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('sanitize', () => {
	it('returns plain ASCII unchanged (the fast path)', () => {
		const text = 'hello, world! {"cmd":"msg"} ~';
		expect(sanitize(text)).toBe(text);
		expect(sanitize('two\nlines')).toBe('two\nlines');
	});

	it('keeps non-ASCII printable text', () => {
		expect(sanitize('héllo 世界 🎉 Привет')).toBe('héllo 世界 🎉 Привет');
	});

	it('shows C0 controls in caret form', () => {
		expect(sanitize('\x1b[31mred')).toBe('^[[31mred');
		expect(sanitize('bell\x07')).toBe('bell^G');
		expect(sanitize('a\x08b')).toBe('a^Hb');
		expect(sanitize('a\rb')).toBe('a^Mb');
		expect(sanitize('\x00')).toBe('^@');
		expect(sanitize('\x1f')).toBe('^_');
	});

	it('turns an OSC sequence (title, hyperlink, clipboard) into inert text', () => {
		expect(sanitize('\x1b]0;pwned\x07')).toBe('^[]0;pwned^G');
		expect(sanitize('\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\')).toBe('^[]8;;http://evil^[\\click^[]8;;^[\\');
		expect(sanitize('\x1b]52;c;aGk=\x07')).not.toContain('\x1b');
	});

	it('shows DEL as ^? and C1 controls as placeholders', () => {
		expect(sanitize('a\x7fb')).toBe('a^?b');
		expect(sanitize('\x9b31m')).toBe('<U+009B>31m');
		expect(sanitize('\x80\x9f')).toBe('<U+0080><U+009F>');
	});

	it('expands tab to spaces', () => {
		expect(sanitize('a\tb')).toBe('a    b');
	});

	it('shows bidi overrides, isolates and marks', () => {
		expect(sanitize('abc\u202Efed')).toBe('abc<U+202E>fed');
		for (const code of [0x202a, 0x202b, 0x202c, 0x202d, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
			const placeholder = `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
			expect(sanitize(`x${String.fromCharCode(code)}y`)).toBe(`x${placeholder}y`);
		}
	});

	it('shows zero-width and other invisible format characters', () => {
		expect(sanitize('ad\u200Bmin')).toBe('ad<U+200B>min');
		expect(sanitize('\uFEFFhi')).toBe('<U+FEFF>hi');
		expect(sanitize('a\u2060b\u2064c')).toBe('a<U+2060>b<U+2064>c');
		expect(sanitize('soft\u00ADhyphen')).toBe('soft<U+00AD>hyphen');
		expect(sanitize('a\u2028b')).toBe('a<U+2028>b');
	});

	it('shows a ZWJ between ASCII letters but keeps one inside an emoji sequence', () => {
		expect(sanitize('ad\u200Dmin')).toBe('ad<U+200D>min');
		const family = '👨\u200D👩\u200D👧';
		expect(sanitize(family)).toBe(family);
		const skinTone = '👋🏽\u200D🔥';
		expect(sanitize(skinTone)).toBe(skinTone);
	});

	it('keeps ZWNJ between non-ASCII letters (Persian)', () => {
		const persian = 'می\u200Cخواهم';
		expect(sanitize(persian)).toBe(persian);
	});

	it('replaces lone surrogates with U+FFFD and keeps pairs', () => {
		expect(sanitize('a\ud800b')).toBe('a\ufffdb');
		expect(sanitize('a\udc00')).toBe('a\ufffd');
		expect(sanitize('😀')).toBe('😀');
	});
});

describe('sanitizeLine', () => {
	it('shows newline as a visible mark', () => {
		expect(sanitizeLine('a\nb')).toBe(`a${LINE_BREAK_MARK}b`);
		expect(sanitizeLine('alice')).toBe('alice');
	});

	it('shows every joiner, even inside an emoji sequence', () => {
		expect(sanitizeLine('👨\u200D👩')).toBe('👨<U+200D>👩');
		expect(sanitizeLine('می\u200Cخ')).toBe('می<U+200C>خ');
	});
});

// Strings built from the characters that matter, so that the generator hits them often.
const dangerous = fc.constantFrom(
	'\x1b', '\x07', '\x00', '\r', '\n', '\t', '\x7f', '\x85', '\x9b', '\x9d',
	'\u202e', '\u2066', '\u2069', '\u200b', '\u200c', '\u200d', '\u200e', '\ufeff', '\u061c', '\u00ad',
	'\ud800', '\udfff', '😀', '👨', '🏽', '\ufe0f', 'a', 'é', 'ی', '世', ' ', '[', ']',
);
const hostile = fc.oneof(
	fc.array(dangerous, {maxLength: 40}).map(parts => parts.join('')),
	fc.string({unit: 'binary', maxLength: 60}),
	fc.string({unit: fc.integer({min: 0, max: 0xffff}).map(code => String.fromCharCode(code)), maxLength: 60}),
);

describe('sanitize properties', () => {
	it('never lets a forbidden character through (multi-line)', () => {
		fc.assert(
			fc.property(hostile, text => {
				const out = sanitize(text);
				expect(out).not.toMatch(forbiddenInText);
				expect(out).not.toMatch(loneSurrogate);
			}),
			{numRuns: 3000},
		);
	});

	it('keeps a joiner only between the things it joins', () => {
		fc.assert(
			fc.property(hostile, text => {
				const out = sanitize(text);
				for (const match of out.matchAll(/[\u200c\u200d]/gu)) {
					const before = out.codePointAt(match.index - 1) ?? 0;
					const after = out.codePointAt(match.index + 1) ?? 0;
					expect(before).toBeGreaterThan(0x7f);
					expect(after).toBeGreaterThan(0x7f);
				}
			}),
			{numRuns: 3000},
		);
	});

	it('never lets a forbidden character through (single line)', () => {
		fc.assert(
			fc.property(hostile, text => {
				const out = sanitizeLine(text);
				expect(out).not.toMatch(forbiddenInLine);
				expect(out).not.toMatch(loneSurrogate);
			}),
			{numRuns: 3000},
		);
	});

	it('is idempotent on its own output', () => {
		fc.assert(
			fc.property(hostile, text => {
				const once = sanitize(text);
				expect(sanitize(once)).toBe(once);
			}),
			{numRuns: 1000},
		);
	});

	it('leaves safe text alone', () => {
		fc.assert(
			fc.property(fc.string({unit: fc.constantFrom('a', 'Z', ' ', '\n', 'é', '世', '😀', '~')}), text => {
				expect(sanitize(text)).toBe(text);
			}),
		);
	});
});
