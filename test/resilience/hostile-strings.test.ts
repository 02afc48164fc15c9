// The hostile-string corpus against the one sanitiser: every entry's raw
// controls are gone and its placeholder form is there. This keeps the corpus
// honest for the TUI end-to-end test that uses it.
import {describe, expect, it} from 'vitest';
import {sanitize, sanitizeLine} from '../../source/text/sanitize.js';
import {hostileNames, hostileStrings, rawControls} from '../helpers/hostile-strings.js';

describe('hostile-string corpus', () => {
	it.each(hostileStrings.map(entry => [entry.name, entry] as const))('message %s is neutralised', (_, entry) => {
		const shown = sanitize(entry.text);
		for (const raw of entry.forbidden) expect(shown).not.toContain(raw);
		expect(shown).toContain(entry.visible);
		for (const control of rawControls) expect(shown.includes(control)).toBe(false);
	});

	it.each(hostileNames.map(entry => [entry.name, entry] as const))('name %s is neutralised on one line', (_, entry) => {
		const shown = sanitizeLine(entry.text);
		for (const raw of entry.forbidden) expect(shown).not.toContain(raw);
		expect(shown).toContain(entry.visible);
		expect(shown).not.toContain('\n');
		for (const control of rawControls) expect(shown.includes(control)).toBe(false);
	});

	it('covers every kind of terminal attack the corpus is for', () => {
		const names = hostileStrings.map(entry => entry.name).join(' ');
		for (const kind of ['csi', 'osc-0', 'osc-2', 'osc-8', 'osc-52', 'dcs', 'c1', 'bel', 'backspace', 'carriage-return', 'bidi', 'zero-width', 'long-word']) {
			expect(names).toContain(kind);
		}
	});
});
