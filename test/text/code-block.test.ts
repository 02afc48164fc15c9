import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {plainLines, type HighlightedLine} from '../../source/text/code-theme.js';
import {codeBlockRows, type MarkupRow} from '../../source/text/code-block.js';
import {parseMarkup, type CodeBlock} from '../../source/text/markup.js';

const blockOf = (text: string) => parseMarkup(text).find((block): block is CodeBlock => block.kind === 'code')!;
const fenced = (info: string, lines: string[]) => blockOf('```' + info + '\n' + lines.join('\n') + '\n```');
const draw = (rows: readonly MarkupRow[]) => rows.map(row => row.map(segment => segment.text).join(''));
const plain = (block: CodeBlock) => codeBlockRows(block, plainLines(block.lines), 40);

describe('codeBlockRows', () => {
	it('boxes a short block with its language and no line numbers, as wide as the code', () => {
		const block = fenced('ts', ['let a = 1;', 'a++;']);
		expect(draw(plain(block).rows)).toEqual([
			'╭─ ts ───────╮',
			'│ let a = 1; │',
			'│ a++;       │',
			'╰────────────╯',
		]);
	});

	it('numbers the lines of a block longer than three', () => {
		const block = fenced('', ['a', 'b', 'c', 'd']);
		expect(draw(plain(block).rows)).toEqual(['╭──────╮', '│ 1  a │', '│ 2  b │', '│ 3  c │', '│ 4  d │', '╰──────╯']);
		const styles = plain(block).rows[1]!.map(segment => segment.style);
		expect(styles).toEqual(['border', 'lineNumber', 'plain', 'plain', 'border']);
	});

	it('shows twelve lines of a longer block and counts the rest in the bottom border', () => {
		const lines = Array.from({length: 20}, (_, index) => `line ${index + 1}`);
		const layout = codeBlockRows(fenced('', lines), plainLines(lines), 60, {viewKey: 'v'});
		expect(layout.hiddenLines).toBe(8);
		expect(layout.rows).toHaveLength(12 + 2);
		// As wide as the count needs: 26 columns of label, a space and a dash each side.
		expect(draw(layout.rows).at(-2)).toBe('│ 12  line 12' + ' '.repeat(17) + ' │');
		expect(draw(layout.rows).at(-1)).toBe('╰─ … 8 more lines (v to view) ─╯');
		expect(draw(layout.rows)[1]).toBe('│  1  line 1' + ' '.repeat(18) + ' │');
		// The viewer asks for every line.
		const all = codeBlockRows(fenced('', lines), plainLines(lines), 60, {maxLines: Infinity});
		expect(all.hiddenLines).toBe(0);
		expect(all.rows).toHaveLength(22);
	});

	it('shortens the footer\'s words to fit a narrow box, and never cuts them or the border', () => {
		const lines = Array.from({length: 15}, (_, index) => `n${index + 1}`);
		const footer = (width: number, viewKey?: string) => draw(codeBlockRows(fenced('', lines), plainLines(lines), width, {viewKey}).rows).at(-1);
		expect(footer(37, 'Ctrl-V')).toBe('╰─ … 3 more lines (Ctrl-V to view) ─╯');
		expect(footer(36, 'Ctrl-V')).toBe('╰─ … 3 more (Ctrl-V) ─╯');
		expect(footer(22, 'Ctrl-V')).toBe('╰─ … 3 more lines ─╯');
		expect(footer(15, 'Ctrl-V')).toBe('╰─ … 3 more ─╯');
		expect(footer(40)).toBe('╰─ … 3 more lines ─╯');
		// Every width: the footer is one of its wordings, whole, or (too narrow for any) the shortest, cut.
		const wordings = ['… 3 more lines (Ctrl-V to view)', '… 3 more (Ctrl-V)', '… 3 more lines', '… 3 more'];
		for (let width = 15; width <= 60; width++) {
			const label = /^╰─ (.*) ─+╯$/.exec(footer(width, 'Ctrl-V')!)?.[1];
			expect(wordings, `width ${width}`).toContain(label);
		}
	});

	it('names the view key in the footer when a line is cut sideways, and not when none is', () => {
		const block = fenced('', ['short', 'x'.repeat(50)]);
		const rows = draw(codeBlockRows(block, plainLines(block.lines), 30, {viewKey: 'Ctrl-V'}).rows);
		expect(rows[2]).toBe('│ ' + 'x'.repeat(25) + '… │');
		expect(rows.at(-1)).toBe('╰─ Ctrl-V to view ' + '─'.repeat(11) + '╯');
		expect(draw(codeBlockRows(block, plainLines(block.lines), 14, {viewKey: 'Ctrl-V'}).rows).at(-1)).toBe('╰─ Ctrl-V ───╯');
		// Wide enough for every line, or wrapped in the viewer: nothing is cut, nothing said.
		expect(draw(codeBlockRows(block, plainLines(block.lines), 60, {viewKey: 'Ctrl-V'}).rows).at(-1)).toMatch(/^╰─+╯$/);
		expect(draw(codeBlockRows(block, plainLines(block.lines), 30, {viewKey: 'Ctrl-V', overflow: 'wrap'}).rows).at(-1)).toMatch(/^╰─+╯$/);
		// Too narrow for a box: the key alone under the lines.
		expect(draw(codeBlockRows(block, plainLines(block.lines), 7, {viewKey: 'Ctrl-V'}).rows).at(-1)).toBe('Ctrl-V');
	});

	it('clips a long line with a mark, and wraps it in the viewer', () => {
		const line = 'x'.repeat(50);
		const block = fenced('', [line]);
		const clipped = draw(codeBlockRows(block, plainLines(block.lines), 20).rows);
		expect(clipped[1]).toBe('│ ' + 'x'.repeat(15) + '… │');
		const wrapped = draw(codeBlockRows(block, plainLines(block.lines), 20, {overflow: 'wrap'}).rows);
		expect(wrapped.slice(1, -1).map(row => row.slice(2, -2).trimEnd()).join('')).toBe(line);
	});

	it('keeps highlighting styles, and cuts a token between graphemes', () => {
		const block = fenced('ts', ['const 世界 = 1']);
		const lines: HighlightedLine[] = [
			[
				{text: 'const', scope: 'keyword'},
				{text: ' 世界 = ', scope: 'plain'},
				{text: '1', scope: 'number'},
			],
		];
		const rows = codeBlockRows(block, lines, 14).rows;
		// 10 columns for code: "const 世" is 8, "界" would make 10 but the mark needs one; a space pads.
		expect(draw(rows)[1]).toBe('│ const 世…  │');
		expect(rows[1]!.find(segment => segment.text === 'const')!.style).toBe('keyword');
		for (const row of draw(rows)) expect(stringWidth(row)).toBe(14);
	});

	it('shows escapes and controls inside code as inert text, and a tab as four columns', () => {
		const block = fenced('sh\x1b]0;x\x07', ['echo "\x1b[31mred\x1b]8;;https://evil\x07"', '\tindented']);
		const rows = draw(plain(block).rows);
		expect(rows.join('\n')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
		expect(rows[0]).toContain('sh^[]0;x^G');
		expect(rows[1]).toContain('echo "^[[31mred^[]8;;https://evil^G"');
		expect(rows[2]).toContain('│     indented');
		expect(new Set(rows.map(row => stringWidth(row))).size).toBe(1);
	});

	it('drops the box when the width leaves no room for it', () => {
		const block = fenced('ts', ['abcdefgh', '世界']);
		expect(draw(codeBlockRows(block, plainLines(block.lines), 6).rows)).toEqual(['abcde…', '世界']);
		expect(draw(codeBlockRows(block, plainLines(block.lines), 1, {overflow: 'wrap'}).rows)).toEqual([...'abcdefgh', '…', '…']);
	});

	it('fits any block in any width: rows never wider, a box always square, nothing raw', () => {
		const line = fc.array(fc.oneof(fc.string(), fc.constantFrom('\t', '\x1b', '世', '👩‍👩‍👧', 'e\u0301', '\u202e', '\x9b')), {maxLength: 8}).map(parts => parts.join(''));
		fc.assert(
			fc.property(fc.array(line, {maxLength: 20}), fc.integer({min: 1, max: 100}), fc.constantFrom('clip' as const, 'wrap' as const), (lines, width, overflow) => {
				const safe = lines.map(text => text.replaceAll('\n', ' ').replace(/^ {0,3}[`~]{3}/, 'x'));
				const block = fenced('', safe);
				const rows = draw(codeBlockRows(block, plainLines(block.lines), width, {overflow}).rows);
				const widths = rows.map(row => stringWidth(row));
				for (const rowWidth of widths) expect(rowWidth).toBeLessThanOrEqual(Math.max(width, 2));
				if (rows[0]?.startsWith('╭')) expect(new Set(widths).size).toBe(1);
				expect(rows.join('')).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
			}),
			{numRuns: 500},
		);
	});

	it('wraps any line of tokens without losing or reordering a character, ASCII or not, at any width', () => {
		const token = fc.record({
			text: fc.array(fc.constantFrom('a', 'Z', '=', '(', '世', 'é', 'e\u0301', '👋🏽'), {minLength: 1, maxLength: 30}).map(parts => parts.join('')),
			scope: fc.constantFrom('plain' as const, 'keyword' as const, 'string' as const),
		});
		fc.assert(
			fc.property(fc.array(token, {minLength: 1, maxLength: 6}), fc.integer({min: 9, max: 60}), (tokens, width) => {
				const text = tokens.map(part => part.text).join('');
				const block = fenced('ts', [text]);
				const rows = draw(codeBlockRows(block, [tokens], width, {overflow: 'wrap'}).rows);
				expect(rows.slice(1, -1).map(row => row.slice(2, -2).trimEnd()).join('')).toBe(text);
				for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(width);
			}),
			{numRuns: 300},
		);
	});
});
