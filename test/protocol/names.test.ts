// Names that look alike are one name; names and messages that hide text are refused.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {describe, expect, it} from 'vitest';
import {messageProblem, nameKey, usernameProblem} from '../../source/protocol/limits.js';
import {confusablePrototype, confusableSkeleton} from '../../source/protocol/names.js';

const require = createRequire(import.meta.url);

const fillers = ['\u3164', '\u115f', '\u1160', '\uffa0'];

describe('confusableSkeleton (Unicode TR39)', () => {
	it('maps look-alike letters of other scripts to one prototype', () => {
		expect(confusableSkeleton('\u0430lice')).toBe(confusableSkeleton('alice')); // Cyrillic а
		expect(confusableSkeleton('p\u0430yp\u0430l')).toBe('paypal');
		expect(confusableSkeleton('\u0391\u039c\u0391')).toBe(confusableSkeleton('AMA')); // Greek capitals
		expect(confusableSkeleton('b0b')).toBe('bOb');
		expect(confusableSkeleton('alice')).not.toBe(confusableSkeleton('alicf'));
	});

	it('sees through composed and decomposed accents alike (NFD before and after)', () => {
		expect(confusableSkeleton('jos\u00e9')).toBe(confusableSkeleton('jose\u0301'));
	});

	it('folds fullwidth forms, which the table maps only in part', () => {
		expect(confusableSkeleton('\uff42\uff4f\uff42')).toBe('bob');
	});

	it('keeps "m" apart from "rn": in a terminal one is a cell and the other two', () => {
		expect(confusableSkeleton('amold')).not.toBe(confusableSkeleton('arnold'));
	});

	it('is built from the Unicode confusables data the unhomoglyph package ships, all of it but "m"', () => {
		const data = JSON.parse(readFileSync(require.resolve('unhomoglyph/data.json'), 'utf8')) as Record<string, string>;
		let found = 0;
		for (let code = 0; code <= 0x10ffff; code++) {
			const source = String.fromCodePoint(code);
			const expected = code === 0x6d ? undefined : data[source];
			const prototype = confusablePrototype(code);
			if (prototype !== undefined) found++;
			if (prototype !== expected) expect(prototype, source).toBe(expected);
		}

		expect(found).toBe(Object.keys(data).length - 1);
	});
});

describe('nameKey', () => {
	it('is one key for names that differ in case or only look alike', () => {
		expect(nameKey('\u0430lice')).toBe(nameKey('alice'));
		expect(nameKey('\u0410LICE')).toBe(nameKey('alice')); // Cyrillic А, upper case
		expect(nameKey('B0B')).toBe(nameKey('bob'));
		expect(nameKey('\uff41lice')).toBe(nameKey('alice')); // fullwidth ａ
		expect(nameKey('\u0455\u0435r\u0432\u0435r')).not.toBe(nameKey('server')); // в is not b
		expect(nameKey('\u0455\u0435r\u0475\u0435r')).toBe(nameKey('server')); // ѕ е ѵ
	});

	it('still folds case, final sigma included', () => {
		expect(nameKey('Alice')).toBe(nameKey('aLICE'));
		expect(nameKey('ΟΔΥΣΣΕΥΣ')).toBe(nameKey('οδυσσευς'));
	});
});

describe('usernameProblem', () => {
	it('refuses Hangul fillers and other invisible letters, alone or in a name', () => {
		for (const filler of fillers) {
			expect(usernameProblem(`alice${filler}`), filler).toContain('invisible');
			expect(usernameProblem(filler.repeat(3)), filler).toContain('invisible');
		}
	});

	it('still takes letters and digits of any script', () => {
		expect(usernameProblem('\uD55C\uAD6D\uC5B4')).toBeUndefined(); // 한국어: Hangul syllables are visible
		expect(usernameProblem('\u0430lice')).toBeUndefined(); // valid; only unique by skeleton
	});
});

describe('messageProblem', () => {
	it('refuses a message made only of invisible characters, like a blank one', () => {
		expect(messageProblem('\u3164\u3164')).toBe('message is empty');
		expect(messageProblem(' \u200b\u2060\ufeff\u115f ')).toBe('message is empty');
		expect(messageProblem('\u2800')).toBe('message is empty'); // Braille blank
		expect(messageProblem('\u3164 hi')).toBeUndefined();
	});
});
