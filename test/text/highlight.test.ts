import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import type {CodeScope, HighlightedLine} from '../../source/text/code-theme.js';
import {HIGHLIGHT_LINE_CHARS, HIGHLIGHT_MAX_CHARS, highlightBlock, isHighlighterLoaded, onHighlighterLoaded} from '../../source/text/highlighter.js';
import {codeBlockRows} from '../../source/text/code-block.js';
import {LANGUAGE_IDS, languageFromName, languageFromPath} from '../../source/text/languages.js';
import {markupOf, type CodeBlock} from '../../source/text/markup.js';

const firstCode = (text: string) => markupOf(text).find((block): block is CodeBlock => block.kind === 'code')!;
const scopeOf = (lines: readonly HighlightedLine[], text: string): CodeScope | undefined =>
	lines.flat().find(token => token.text.includes(text))?.scope;

// Runs first, in a fresh module: nothing has asked for the grammars yet.
describe('highlightBlock before the grammars are loaded', () => {
	it('draws a block without a language plain, and loads nothing for it', () => {
		const result = highlightBlock(firstCode('```\nconst x = 1;\n```'));
		expect(result).toEqual({lines: [[{text: 'const x = 1;', scope: 'plain'}]], pending: false});
		expect(isHighlighterLoaded()).toBe(false);
	});

	it('draws a block plain while the grammars load, then highlighted, once', async () => {
		const block = firstCode('```ts\nconst x = "s"; // note\n\nlet y = 2;\n```');
		const loadedNow = new Promise<void>(resolve => onHighlighterLoaded(resolve));
		const first = highlightBlock(block);
		expect(first.pending).toBe(true);
		expect(first.lines).toEqual([[{text: 'const x = "s"; // note', scope: 'plain'}], [], [{text: 'let y = 2;', scope: 'plain'}]]);
		await loadedNow;
		const second = highlightBlock(block);
		expect(second.pending).toBe(false);
		expect(scopeOf(second.lines, 'const')).toBe('keyword');
		expect(scopeOf(second.lines, '"s"')).toBe('string');
		expect(scopeOf(second.lines, '// note')).toBe('comment');
		expect(scopeOf(second.lines, '2')).toBe('number');
		expect(second.lines[1]).toEqual([]);
		// The same message drawn again reuses the parse and the highlighting: no second pass.
		expect(highlightBlock(firstCode('```ts\nconst x = "s"; // note\n\nlet y = 2;\n```')).lines).toBe(second.lines);
	});
});

describe('highlighting every shipped language', () => {
	const samples: Record<string, string> = {
		ts: 'interface A { b: string }\nexport const f = (a: A): number => 1;',
		js: 'function f(a) { return `x${a}`; }',
		json: '{"a": [1, true, null]}',
		sh: 'for f in *.ts; do echo "$f"; done',
		python: 'def f(x):\n    return "y"  # c',
		go: 'func main() {\n\tfmt.Println("hi")\n}',
		rust: 'fn main() { let x: u8 = 1; }',
		c: '#include <stdio.h>\nint main(void) { return 0; }',
		cpp: 'template <typename T> class A {};',
		java: 'public class A { void f() {} }',
		diff: '--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new',
		yaml: 'key: value\nlist:\n  - 1',
		sql: 'SELECT a FROM t WHERE b = 1;',
		md: '# Title\n\n*text* and `code`',
		html: '<div class="a">x</div>',
		css: 'a { color: red; }',
	};

	it('highlights an empty block (a lone fence, or a fence closed at once) as no lines', async () => {
		await new Promise<void>(resolve => {
			if (isHighlighterLoaded()) resolve();
			else onHighlighterLoaded(resolve);
			highlightBlock(firstCode('```ts\nx\n```'));
		});
		for (const text of ['```ts', '```ts\n```', '```python\n']) {
			const block = firstCode(text);
			expect(highlightBlock(block, 12)).toEqual({lines: block.lines.map(() => []), pending: false});
		}
	});

	it('has a sample for each language, and each sample is coloured', async () => {
		expect(Object.keys(samples).map(name => languageFromName(name)).sort()).toEqual([...LANGUAGE_IDS].sort());
		for (const [name, code] of Object.entries(samples)) {
			const block = firstCode('```' + name + '\n' + code + '\n```');
			const {lines} = highlightBlock(block);
			expect(lines.map(line => line.map(token => token.text).join('')), name).toEqual(code.split('\n'));
			expect(lines.flat().some(token => token.scope !== 'plain'), name).toBe(true);
		}
		expect(scopeOf(highlightBlock(firstCode('```diff\n+new\n-old\n```')).lines, '+new')).toBe('addition');
	});

	it('gives back every line of any input, in any language, and never throws', () => {
		const code = fc.array(fc.oneof(fc.string(), fc.constantFrom('"', "'", '`', '/*', '*/', '${', '}', '<', '>', '\n', '\x1b[31m', '#', '--', '\\')), {maxLength: 30});
		fc.assert(
			fc.property(fc.constantFrom(...Object.keys(samples)), code, (name, parts) => {
				const text = parts.join('');
				// A line that closes the fence would end the block early; keep the input inside it.
				const lines = text.split('\n').map(line => (/^ {0,3}(`{3,}|~{3,})/.test(line) ? 'x' + line : line));
				const block = firstCode('````' + name + '\n' + lines.join('\n') + '\n````');
				const result = highlightBlock(block).lines;
				expect(result.map(line => line.map(token => token.text).join(''))).toEqual(lines);
				expect(result.flat().every(token => token.text !== '')).toBe(true);
			}),
			{numRuns: 300},
		);
	});
});

describe('highlighting a huge block', () => {
	const joined = (lines: readonly HighlightedLine[]) => lines.map(line => line.map(token => token.text).join(''));

	it('highlights only the lines the pane shows, each up to a bound, and the box still counts them all', () => {
		const longLine = 'const s = "' + 'x'.repeat(HIGHLIGHT_LINE_CHARS * 100) + '";';
		const lines = [longLine, ...Array.from({length: 9_999}, (_, index) => `let v${index} = ${index};`)];
		const block = firstCode('```ts\n' + lines.join('\n') + '\n```');
		const shown = highlightBlock(block, 12).lines;
		expect(shown).toHaveLength(12);
		expect(joined(shown)).toEqual(lines.slice(0, 12));
		// The part past the bound is plain; the part before it is coloured.
		expect(shown[0]!.at(-1)).toEqual({text: longLine.slice(HIGHLIGHT_LINE_CHARS), scope: 'plain'});
		expect(scopeOf(shown, 'const')).toBe('keyword');
		const layout = codeBlockRows(block, shown, 80);
		expect(layout.hiddenLines).toBe(10_000 - 12);
		expect(layout.rows.at(-1)!.map(segment => segment.text).join('')).toContain('9,988 more lines');
		// Asked again, the pane gets the cached lines.
		expect(highlightBlock(block, 12).lines).toBe(shown);
	});

	it('gives the viewer every line, and a block too long to highlight plain', () => {
		const lines = Array.from({length: 30}, (_, index) => `let v${index} = "${'y'.repeat(HIGHLIGHT_LINE_CHARS)}";`);
		const block = firstCode('```ts\n' + lines.join('\n') + '\n```');
		const inPane = highlightBlock(block, 12).lines;
		const all = highlightBlock(block).lines;
		expect(joined(all)).toEqual(lines);
		// Not cut at the pane's bound: the closing quote is part of the string.
		expect(all[0]!.find(token => token.text.endsWith('y"'))?.scope).toBe('string');
		expect(inPane[0]!.at(-1)!.scope).toBe('plain');
		expect(highlightBlock(block, 12).lines).toEqual(all.slice(0, 12));

		const huge = Array.from({length: HIGHLIGHT_MAX_CHARS / 16 + 1}, () => 'const a = 1; //');
		const hugeBlock = firstCode('```ts\n' + huge.join('\n') + '\n```');
		expect(highlightBlock(hugeBlock).lines.flat().every(token => token.scope === 'plain')).toBe(true);
		expect(highlightBlock(hugeBlock, 12).lines.flat().some(token => token.scope === 'keyword')).toBe(true);
	});
});

describe('languageFromPath', () => {
	it('takes the language from the extension, in any case, and ignores a hidden file name', () => {
		expect(languageFromPath('src/main.TS')).toBe('typescript');
		expect(languageFromPath('C:\\work\\a.py')).toBe('python');
		expect(languageFromPath('x/Makefile')).toBeUndefined();
		expect(languageFromPath('.bashrc')).toBeUndefined();
		expect(languageFromPath('dir.go/readme')).toBeUndefined();
	});
});
