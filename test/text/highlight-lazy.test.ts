// The grammars are registered when their language is first highlighted, each
// with the languages it embeds. Every test loads the highlighter afresh, so
// the language it highlights first is the first one registered.
import {beforeEach, describe, expect, it, vi} from 'vitest';
import type {CodeScope, HighlightedLine} from '../../source/text/code-theme.js';

type HighlightModule = typeof import('../../source/text/highlight.js');
let module: HighlightModule;

beforeEach(async () => {
	vi.resetModules();
	module = await import('../../source/text/highlight.js');
});

const scopeOf = (lines: readonly HighlightedLine[], text: string): CodeScope | undefined => lines.flat().find(token => token.text.includes(text))?.scope;

describe('grammars registered on first use', () => {
	it('highlights the first language asked for', () => {
		const lines = module.highlightCode('def f(x):\n    return "y"  # c', 'python');
		expect(scopeOf(lines, 'def')).toBe('keyword');
		expect(scopeOf(lines, '"y"')).toBe('string');
		expect(scopeOf(lines, '# c')).toBe('comment');
	});

	it('highlights the HTML inside a first TypeScript block, as when every grammar was registered', () => {
		const lines = module.highlightCode('const page = html`<div class="a">x</div>`;', 'typescript');
		expect(scopeOf(lines, 'const')).toBe('keyword');
		expect(scopeOf(lines, 'div')).toBe('tag');
	});

	it('highlights the script and style of a first HTML block', () => {
		const lines = module.highlightCode('<style>p { color: red; }</style>\n<script>const x = 1;</script>', 'xml');
		expect(scopeOf(lines, 'style')).toBe('tag');
		expect(scopeOf(lines, 'color')).toBe('attribute');
		expect(scopeOf(lines, 'const')).toBe('keyword');
	});

	it('highlights each language after others were registered, with the same tokens as in a fresh highlighter', async () => {
		const code = 'interface A { b: string }\nexport const f = (a: A): number => 1;';
		const fresh = module.highlightCode(code, 'typescript');
		module.highlightCode('SELECT 1;', 'sql');
		module.highlightCode('x: [1, 2]', 'yaml');
		expect(module.highlightCode(code, 'typescript')).toEqual(fresh);
	});
});

describe('a language not shipped', () => {
	it('is shown plain, and loads no grammar', async () => {
		const {highlightBlock, isHighlighterLoaded} = await import('../../source/text/highlighter.js');
		const {markupOf} = await import('../../source/text/markup.js');
		const block = markupOf('```brainfuck\n+++[>+<-]\n"x"\n```').find(part => part.kind === 'code')!;
		expect(highlightBlock(block as Parameters<typeof highlightBlock>[0])).toEqual({lines: [[{text: '+++[>+<-]', scope: 'plain'}], [{text: '"x"', scope: 'plain'}]], pending: false});
		expect(isHighlighterLoaded()).toBe(false);
	});
});
