import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {NICK_PALETTE, nickColour} from '../../source/text/nick-colour.js';

describe('nickColour', () => {
	it('never picks red, which is kept for errors', () => {
		expect(NICK_PALETTE.some(colour => /red/i.test(colour))).toBe(false);
		fc.assert(fc.property(fc.string(), name => !/red/i.test(nickColour(name))));
	});

	it('is stable, and the same for names that differ only in case', () => {
		expect(nickColour('alice')).toBe(nickColour('alice'));
		expect(nickColour('Alice')).toBe(nickColour('alice'));
	});

	it('does not give look-alike names one colour by design', () => {
		// Cyrillic а, е, о, р, с in place of the Latin letters: one name by nameKey, told apart by colour where they can meet.
		const pairs = [['alice', '\u0430lice'], ['bob', 'b\u043eb'], ['peter', 'p\u0435ter'], ['carol', '\u0441arol'], ['oscar', '\u043escar']];
		expect(pairs.some(([latin, lookalike]) => nickColour(latin!) !== nickColour(lookalike!))).toBe(true);
	});

	it('spreads names over the palette', () => {
		const used = new Set(Array.from({length: 200}, (_, i) => nickColour(`user${i}`)));
		expect(used.size).toBeGreaterThanOrEqual(NICK_PALETTE.length - 1);
	});
});
