import {afterEach, describe, expect, it, vi} from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {padEnd, textWidth, truncate, wrapText} from '../../source/text/wrap.js';
import {SEGMENT_WINDOW} from '../../source/text/graphemes.js';

afterEach(() => {
	vi.restoreAllMocks();
});

/** The longest string Intl.Segmenter is handed while `run` runs (its cost per character grows with that length). */
function longestSegmented(run: () => void): number {
	const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
	run();
	return Math.max(0, ...segment.mock.calls.map(([input]) => input.length));
}

const mixedUnit = 'héllo wörld 漢字 😀 ';
const longMixed = mixedUnit.repeat(3000);

describe('wrapText', () => {
	it('leaves a short line alone', () => {
		expect(wrapText('hello world', 20)).toEqual(['hello world']);
	});

	it('breaks at spaces and drops the space at the break', () => {
		expect(wrapText('the quick brown fox jumps', 10)).toEqual(['the quick', 'brown fox', 'jumps']);
	});

	it('keeps newlines as row breaks, including empty lines', () => {
		expect(wrapText('a\n\nb', 10)).toEqual(['a', '', 'b']);
	});

	it('hard-breaks a word longer than the row', () => {
		expect(wrapText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
		expect(wrapText('hi abcdefghijkl', 5)).toEqual(['hi', 'abcde', 'fghij', 'kl']);
	});

	it('counts wide CJK characters as two columns', () => {
		expect(wrapText('世界世界世界', 5)).toEqual(['世界', '世界', '世界']);
	});

	it('never splits an emoji sequence', () => {
		const family = '👨\u200D👩\u200D👧';
		const rows = wrapText(`${family}${family}${family}`, 5);
		expect(rows.join('')).toBe(`${family}${family}${family}`);
		for (const row of rows) expect(row.split(family).join('')).toBe('');
	});

	it('never splits a letter from its combining accents', () => {
		const rows = wrapText('e\u0301e\u0301e\u0301e\u0301', 3);
		expect(rows).toEqual(['e\u0301e\u0301e\u0301', 'e\u0301']);
	});

	it('gives a grapheme wider than the row a row of its own', () => {
		expect(wrapText('世a', 1)).toEqual(['世', 'a']);
	});

	it('carries a word and still breaks when a wide character does not fit', () => {
		const rows = wrapText('a bbbbbbbbb世', 10);
		for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(10);
		expect(rows.join('')).toBe('abbbbbbbbb世');
	});

	it('gives the first row its own width', () => {
		expect(wrapText('aaa bbb ccc ddd', 7, 3)).toEqual(['aaa', 'bbb ccc', 'ddd']);
		expect(wrapText('aaa\nbbb ccc', 3, 7)).toEqual(['aaa', 'bbb', 'ccc']);
	});

	it('segments a long text in windows, never whole', () => {
		let rows: string[] = [];
		expect(longestSegmented(() => {
			rows = wrapText(longMixed, 80);
		})).toBeLessThanOrEqual(SEGMENT_WINDOW);
		expect(rows.join('').replace(/ /g, '') === longMixed.replace(/ /g, '')).toBe(true);
		expect(Math.max(...rows.map(row => stringWidth(row)))).toBeLessThanOrEqual(80);
	});

	it('keeps rows within the width, and loses no non-space text (property)', () => {
		const unit = fc.constantFrom('a', 'b', ' ', ' ', '世', '😀', 'é', '\n', 'x');
		fc.assert(
			fc.property(fc.string({unit, maxLength: 120}), fc.integer({min: 2, max: 30}), (text, columns) => {
				const rows = wrapText(text, columns);
				for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(columns);
				expect(rows.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
			}),
			{numRuns: 2000},
		);
	});
});

describe('truncate and padEnd', () => {
	it('cuts with an ellipsis only when needed', () => {
		expect(truncate('alice', 5)).toBe('alice');
		expect(truncate('alexandra', 5)).toBe('alex…');
		expect(truncate('世界世界', 5)).toBe('世界…');
		expect(truncate('abc', 0)).toBe('');
	});

	it('measures and cuts a long text without segmenting it whole', () => {
		let cut = '';
		let width = 0;
		expect(longestSegmented(() => {
			cut = truncate(longMixed, 10);
			width = textWidth(longMixed);
		})).toBeLessThanOrEqual(SEGMENT_WINDOW);
		expect(cut).toBe('héllo wör…');
		expect(width).toBe(stringWidth(mixedUnit) * 3000);
	});

	it('pads to an exact width', () => {
		expect(padEnd('ab', 4)).toBe('ab  ');
		expect(textWidth(padEnd('世界世界', 5))).toBe(5);
	});
});
