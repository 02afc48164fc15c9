import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {loadHighlighter} from '../../source/text/highlighter.js';
import {CHANGED_MARK, fileBlock, filePaneRows} from '../../source/ui/file-pane.js';
import {FilePane} from '../../source/ui/FilePane.js';
import {plain} from './helpers.js';

const text = (row: readonly {text: string}[]) => row.map(segment => segment.text).join('');

describe('the file pane rows', () => {
	it('numbers every line and marks the changed ones', () => {
		const block = fileBlock('main.go', 'package main\n\nfunc main() {\n}\n');
		const rows = filePaneRows(block, new Set([2]), 40);
		expect(rows.map(text)).toEqual([' 1  package main', ' 2  ', `${CHANGED_MARK}3  func main() {`, ' 4  }']);
		expect(rows[2]![0]).toMatchObject({color: 'green'});
	});

	it('lays out only the window asked for, numbered from its place, padded to the widest number', () => {
		const block = fileBlock('a.txt', Array.from({length: 120}, (_, index) => `line ${index + 1}`).join('\n'));
		const rows = filePaneRows(block, new Set([99]), 40, 98, 3);
		expect(rows.map(text)).toEqual(['  99  line 99', `${CHANGED_MARK}100  line 100`, ' 101  line 101']);
	});

	it('clips a long line at the edge with a mark, between characters of two columns', () => {
		const rows = filePaneRows(fileBlock('a.txt', 'x'.repeat(50) + '\n' + '漢'.repeat(30)), new Set(), 20);
		expect(text(rows[0]!)).toBe(' 1  ' + 'x'.repeat(15) + '…');
		expect(text(rows[1]!)).toBe(' 2  ' + '漢'.repeat(7) + '…');
	});

	it('highlights by the name\'s extension once the grammars are loaded, and a name without one stays plain', async () => {
		await loadHighlighter();
		const go = filePaneRows(fileBlock('main.go', 'package main\nfunc main() {}\n'), new Set(), 40);
		expect(go[0]!.some(segment => segment.text === 'package' && segment.color === 'magenta')).toBe(true);
		const bare = filePaneRows(fileBlock('NOTES', 'package main\n'), new Set(), 40);
		expect(bare[0]!.every(segment => segment.color === undefined)).toBe(true);
	});

	it('shows escapes inside the file as placeholders, never raw', () => {
		const rows = filePaneRows(fileBlock('x.txt', 'a\u001b]0;owned\u0007b\u001b[2J\u202e\n'), new Set(), 60);
		const all = rows.map(text).join('\n');
		expect(all).not.toMatch(/[\u001b\u0007\u202e]/);
		expect(all).toContain('^[');
	});

	it('takes a name with path separators as a label only', () => {
		expect(fileBlock('../../etc/passwd.go', 'x').language).toBe('go');
	});
});

describe('<FilePane>', () => {
	it('draws a title with name, version, author and where you are, then a window of rows', () => {
		const block = fileBlock('a.ts', Array.from({length: 30}, (_, index) => `let v${index} = ${index};`).join('\n'));
		const rows = filePaneRows(block, new Set(), 50, 5, 5);
		const {lastFrame} = render(<FilePane file={{name: 'a.ts', version: 7, user: 'bob', lines: 30}} rows={rows} top={5} width={50} height={6} keysHint="F2 hides" inRoom />);
		const lines = plain(lastFrame()).split('\n');
		expect(lines[0]).toContain('a.ts v7 by bob · 30 lines · 6–10 of 30');
		expect(lines).toHaveLength(6);
		expect(lines[1]).toContain(' 6  let v5 = 5;');
	});

	it('says how to share one when the room has none', () => {
		const {lastFrame} = render(<FilePane file={undefined} rows={[]} top={0} width={70} height={3} keysHint="F2 hides" inRoom />);
		expect(plain(lastFrame())).toContain('no shared file in this room yet: /share PATH uploads one');
	});
});
