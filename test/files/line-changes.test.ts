import {describe, expect, it} from 'vitest';
import {changeSummary, lineChanges, splitLines} from '../../source/files/line-changes.js';

describe('lineChanges', () => {
	it('counts an edited line as one removed and one added, and marks it', () => {
		const changes = lineChanges('a\nb\nc\n', 'a\nB\nc\nd\n');
		expect(changes).toMatchObject({added: 2, removed: 1});
		expect([...changes.changed]).toEqual([1, 3]);
	});

	it('treats a first file as all added, and a final newline as no extra line', () => {
		expect(lineChanges('', 'x\ny\n')).toMatchObject({added: 2, removed: 0});
		expect(lineChanges('x\ny', 'x\ny\n')).toMatchObject({added: 0, removed: 0});
		expect(splitLines('x\n\n')).toEqual(['x', '']);
	});

	it('gives up on unrelated huge files and counts a rewrite', () => {
		const before = Array.from({length: 5000}, (_, index) => `old ${index}`).join('\n');
		const after = Array.from({length: 5000}, (_, index) => `new ${index}`).join('\n');
		const changes = lineChanges(before, after);
		expect(changes).toMatchObject({added: 5000, removed: 5000});
		expect(changes.changed.size).toBe(5000);
	});

	it('says it as the chat line does', () => {
		expect(changeSummary({added: 3, removed: 1})).toBe('+3 −1 lines');
		expect(changeSummary({added: 1, removed: 0})).toBe('+1 −0 lines');
		expect(changeSummary({added: 1200, removed: 0})).toBe('+1,200 −0 lines');
	});
});
