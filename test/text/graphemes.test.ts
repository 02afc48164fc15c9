import {afterEach, describe, expect, it, vi} from 'vitest';
import fc from 'fast-check';
import {graphemeStart, graphemes, SEGMENT_WINDOW} from '../../source/text/graphemes.js';

const whole = (text: string) => [...new Intl.Segmenter(undefined, {granularity: 'grapheme'}).segment(text)].map(({segment}) => segment);

/** Pieces that join in every way UAX #29 knows: marks, ZWJ sequences, flags, Hangul jamo, CRLF, Indic conjuncts, Prepend, spacing marks, lone surrogates. */
const unit = fc.constantFrom(
	'a', 'b', ' ', '.', 'é', 'e\u0301', '\u0301', '\u200D', '\uFE0F', '😀', '👨\u200D👩\u200D👧', '\u{1F3FB}',
	'🇫', '🇷', '\u1100', '\u1161', '\u11A8', '가', '\r', '\n', '\u0915', '\u094D', '\u0937', '\u0D4E', '\u093E',
	'世', '\uD83D', '\uDE00', '\u0600',
);

afterEach(() => {
	vi.restoreAllMocks();
});

describe('graphemes', () => {
	it('gives the same clusters as segmenting the whole text, across window edges (property)', () => {
		fc.assert(
			fc.property(fc.string({unit, maxLength: 1200}), text => {
				expect([...graphemes(text)]).toEqual(whole(text));
			}),
			{numRuns: 400},
		);
	});

	it('keeps a long run of flags paired and a long run of accents on their letters', () => {
		const flags = '🇫🇷'.repeat(300);
		expect([...graphemes(flags)]).toEqual(whole(flags));
		const accents = 'é'.repeat(2000);
		expect([...graphemes(accents)]).toEqual(whole(accents));
	});

	it('cuts a cluster longer than a window into window-sized pieces that lose nothing', () => {
		const zalgo = 'a' + '\u0301'.repeat(3 * SEGMENT_WINDOW);
		const pieces = [...graphemes(zalgo)];
		expect(pieces.join('')).toBe(zalgo);
		expect(Math.max(...pieces.map(piece => piece.length))).toBeLessThanOrEqual(SEGMENT_WINDOW);
	});

	it('never hands Intl.Segmenter more than a window of a long text', () => {
		const segment = vi.spyOn(Intl.Segmenter.prototype, 'segment');
		const text = 'héllo wörld 漢字 😀 '.repeat(5000);
		expect([...graphemes(text)].join('')).toBe(text);
		const longest = Math.max(...segment.mock.calls.map(([input]) => input.length));
		expect(longest).toBeLessThanOrEqual(SEGMENT_WINDOW);
	});
});

describe('graphemeStart', () => {
	it('moves a cut inside a cluster back to its start, and leaves a boundary alone', () => {
		const family = '👨\u200D👩\u200D👧';
		const text = `ab${family}cd`;
		expect(graphemeStart(text, 2)).toBe(2);
		expect(graphemeStart(text, 4)).toBe(2);
		expect(graphemeStart(text, 2 + family.length)).toBe(2 + family.length);
		expect(graphemeStart(text, 1)).toBe(1);
		expect(graphemeStart(text, 0)).toBe(0);
		expect(graphemeStart(text, text.length)).toBe(text.length);
	});
});
