import {describe, expect, it} from 'vitest';
import {clipText} from '../../source/text/clip.js';

const limits = {maxCharacters: 10, maxLines: 3};

describe('clipText', () => {
	it('keeps a text within the limits whole', () => {
		expect(clipText('0123456789', limits)).toEqual({shown: '0123456789', hiddenCharacters: 0});
		expect(clipText('a\nb\nc', limits)).toEqual({shown: 'a\nb\nc', hiddenCharacters: 0});
		expect(clipText('', limits)).toEqual({shown: '', hiddenCharacters: 0});
	});

	it('keeps a text shorter than both limits whole at once, and walks one at the line limit', () => {
		const wide = {maxCharacters: 100, maxLines: 10};
		// Nine newlines are ten lines: within the limit.
		expect(clipText('\n'.repeat(9), wide)).toEqual({shown: '\n'.repeat(9), hiddenCharacters: 0});
		expect(clipText('\n'.repeat(10), wide)).toEqual({shown: '\n'.repeat(9), hiddenCharacters: 1});
		expect(clipText('x'.repeat(100), {maxCharacters: 100, maxLines: 500})).toEqual({shown: 'x'.repeat(100), hiddenCharacters: 0});
		expect(clipText('x'.repeat(101), {maxCharacters: 100, maxLines: 500})).toEqual({shown: 'x'.repeat(100), hiddenCharacters: 1});
	});

	it('cuts at the character limit and counts the rest in code points', () => {
		expect(clipText('0123456789abc', limits)).toEqual({shown: '0123456789', hiddenCharacters: 3});
		// Ten emoji are ten characters although twenty code units; the rest counts each as one.
		expect(clipText('😀'.repeat(13), limits)).toEqual({shown: '😀'.repeat(10), hiddenCharacters: 3});
	});

	it('cuts before the newline that would start one line too many', () => {
		expect(clipText('a\nb\nc\nd\ne', limits)).toEqual({shown: 'a\nb\nc', hiddenCharacters: 4});
	});

	it('never tears a character made of several code points', () => {
		const family = '👨\u200D👩\u200D👧';
		const clipped = clipText(`12345678${family}`, limits);
		expect(clipped).toEqual({shown: '12345678', hiddenCharacters: 5});
		expect(clipText('123456789e\u0301', limits)).toEqual({shown: '123456789', hiddenCharacters: 2});
	});

	it('counts a lone surrogate as one character', () => {
		expect(clipText('0123456789\uD800\uDC00\uDC00', limits)).toEqual({shown: '0123456789', hiddenCharacters: 2});
	});
});
