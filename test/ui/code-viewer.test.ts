import {describe, expect, it} from 'vitest';
import {scrollViewer, viewerCommandFor, viewerRows} from '../../source/ui/code-viewer.js';
import {decodeKey} from '../../source/ui/keys.js';
import {keyHelp, primaryKeyFor} from '../../source/ui/key-bindings.js';
import {parseMarkup, type CodeBlock} from '../../source/text/markup.js';

const text = (row: readonly {text: string}[]) => row.map(segment => segment.text).join('');

describe('the code viewer', () => {
	it('shows every line, wrapping long ones instead of clipping them', () => {
		const block = parseMarkup('```\n' + Array.from({length: 30}, (_, index) => `line ${index + 1}`).join('\n') + '\n' + 'w'.repeat(50) + '\n```')[0] as CodeBlock;
		const rows = viewerRows(block, 30).map(text);
		expect(rows).toHaveLength(2 + 30 + 3);
		expect(rows.join('\n')).toContain('30  line 30');
		expect(rows.join('\n')).not.toContain('…');
		expect(rows.slice(-4, -1).map(row => row.replaceAll(/[│ \d]/g, '')).join('')).toBe('w'.repeat(50));
	});

	it('scrolls by lines and pages, never past either end', () => {
		expect(scrollViewer(0, 'lineUp', 100, 20)).toBe(0);
		expect(scrollViewer(0, 'lineDown', 100, 20)).toBe(1);
		expect(scrollViewer(0, 'pageDown', 100, 20)).toBe(19);
		expect(scrollViewer(75, 'pageDown', 100, 20)).toBe(80);
		expect(scrollViewer(80, 'bottom', 100, 20)).toBe(80);
		expect(scrollViewer(5, 'pageUp', 100, 20)).toBe(0);
		expect(scrollViewer(50, 'top', 100, 20)).toBe(0);
		// Shorter than the screen: nothing to scroll.
		expect(scrollViewer(0, 'pageDown', 10, 20)).toBe(0);
	});

	it('reads its keys: arrows, pages, less letters; q, Esc and the opening key close it', () => {
		const cases: Array<[string, string | undefined]> = [
			['\x1b[A', 'lineUp'], ['k', 'lineUp'], ['\x1b[B', 'down'], ['j', 'lineDown'],
			['\x1b[5~', 'pageUp'], ['\x1b[6~', 'pageDown'], [' ', 'pageDown'], ['\x1b[H', 'top'], ['G', 'bottom'],
			['q', 'close'], ['\x1b', 'close'], ['\x16', 'close'], ['\x1bv', 'close'], ['x', undefined], ['Q', undefined],
		];
		for (const [sequence, command] of cases) {
			expect(viewerCommandFor(decodeKey(sequence)), JSON.stringify(sequence)).toBe(command === 'down' ? 'lineDown' : command);
		}
	});

	it('is opened by Ctrl-V (or Alt-V), and /help says so', () => {
		expect(primaryKeyFor('openCodeViewer')).toBe('Ctrl-V');
		expect(keyHelp().find(line => line.keys === 'Ctrl-V, Alt-V')?.does).toMatch(/code block.*full screen.*q or Esc closes/);
	});
});
