import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {markupSource, parseInline, parseMarkup, type Block, type CodeBlock} from '../../source/text/markup.js';

const code = (blocks: Block[]): CodeBlock[] => blocks.filter((block): block is CodeBlock => block.kind === 'code');

describe('parseMarkup: fenced code', () => {
	it('finds a fenced block with its language, between paragraphs', () => {
		const blocks = parseMarkup('look:\n```ts\nconst x = 1;\nlet y = x;\n```\nnice');
		expect(blocks.map(block => block.kind)).toEqual(['paragraph', 'code', 'paragraph']);
		const [block] = code(blocks);
		expect(block).toMatchObject({info: 'ts', language: 'typescript', lines: ['const x = 1;', 'let y = x;'], open: '```ts', close: '```'});
	});

	it('leaves a block without a language, or with one not shipped, unhighlighted', () => {
		expect(code(parseMarkup('```\nx\n```'))[0]).toMatchObject({info: '', language: undefined});
		expect(code(parseMarkup('```cobol\nx\n```'))[0]).toMatchObject({info: 'cobol', language: undefined});
		// The first word names the language; the rest of the info string is ignored.
		expect(code(parseMarkup('``` Python  title="a.py"\nx\n```'))[0]).toMatchObject({info: 'Python', language: 'python'});
	});

	it('runs an unterminated fence to the end of the message', () => {
		const [block] = code(parseMarkup('```js\nlet a;\nlet b;'));
		expect(block).toMatchObject({lines: ['let a;', 'let b;'], close: undefined});
	});

	it('closes only with the same character, at least as long, and nothing after it', () => {
		const [block] = code(parseMarkup('````\n```\n~~~~\n```` x\n`````\nafter'));
		expect(block!.lines).toEqual(['```', '~~~~', '```` x']);
		expect(block!.close).toBe('`````');
		const tilde = code(parseMarkup('~~~sh\necho ```\n~~~'));
		expect(tilde[0]!.lines).toEqual(['echo ```']);
	});

	it('does not take backticks inside a line, or a backtick info string, for a fence', () => {
		expect(code(parseMarkup('use ``` to open a block'))).toEqual([]);
		expect(code(parseMarkup('```js``` is inline'))).toEqual([]);
		expect(code(parseMarkup('    ```\nfour spaces is too many'))).toEqual([]);
		expect(code(parseMarkup('   ```\nthree is fine'))).toHaveLength(1);
	});

	it('keeps a carriage return in the line, and still sees the fence', () => {
		const [block] = code(parseMarkup('```ts\r\nlet a;\r\n```\r\n'));
		expect(block).toMatchObject({language: 'typescript', lines: ['let a;\r'], close: '```\r'});
	});
});

describe('parseInline', () => {
	it('finds inline code, with any number of backticks', () => {
		expect(parseInline('run `npm test` now')).toEqual([
			{kind: 'text', text: 'run '},
			{kind: 'code', text: 'npm test', ticks: 1},
			{kind: 'text', text: ' now'},
		]);
		expect(parseInline('``a ` b``')).toEqual([{kind: 'code', text: 'a ` b', ticks: 2}]);
	});

	it('leaves a backtick run with no partner of its length as text', () => {
		expect(parseInline('a `` b ` c')).toEqual([{kind: 'text', text: 'a `` b ` c'}]);
		expect(parseInline('``` x `')).toEqual([{kind: 'text', text: '``` x `'}]);
	});

	it('never lets inline code cross a line', () => {
		expect(parseInline('`a\nb`')).toEqual([{kind: 'text', text: '`a\nb`'}]);
	});

	it('finds http and https URLs, without the punctuation after them', () => {
		expect(parseInline('see https://example.org/a?b=1, or (http://x.io/wiki/Foo_(bar)).')).toEqual([
			{kind: 'text', text: 'see '},
			{kind: 'url', text: 'https://example.org/a?b=1'},
			{kind: 'text', text: ', or ('},
			{kind: 'url', text: 'http://x.io/wiki/Foo_(bar)'},
			{kind: 'text', text: ').'},
		]);
		expect(parseInline('HTTPS://EXAMPLE.ORG')).toEqual([{kind: 'url', text: 'HTTPS://EXAMPLE.ORG'}]);
	});

	it('takes no other scheme, no bare scheme, and nothing glued to a word', () => {
		for (const text of ['ftp://x.org', 'javascript://x', 'https://', 'xhttps://x.org', 'file:///etc/passwd']) {
			expect(parseInline(text).some(span => span.kind === 'url'), text).toBe(false);
		}
	});

	it('ends a URL at a control character, so an escape never rides inside one', () => {
		const spans = parseInline('https://a.org/\x1b]8;;https://evil\x07x');
		expect(spans[0]).toEqual({kind: 'url', text: 'https://a.org/'});
		expect(spans.filter(span => span.kind === 'url').every(span => !/[\x00-\x1f]/.test(span.text))).toBe(true);
	});

	it('finds no URL inside inline code', () => {
		expect(parseInline('`curl https://x.org`')).toEqual([{kind: 'code', text: 'curl https://x.org', ticks: 1}]);
	});
});

describe('parseMarkup on any input', () => {
	const pieces = fc.oneof(
		fc.constantFrom('```', '````', '~~~', '```ts', '```py x', '`', '``', '\n', ' ', '   ```', 'https://a.org/(x)', 'http://', '.', ')', '\r', '\x1b'),
		fc.string(),
	);
	const messages = fc.array(pieces, {maxLength: 40}).map(parts => parts.join(''));

	it('never throws, and the blocks give back the text exactly', () => {
		fc.assert(
			fc.property(messages, text => {
				expect(markupSource(parseMarkup(text))).toBe(text);
			}),
			{numRuns: 2000},
		);
	});

	it('shows every line of the text but the fence lines, and keeps each kind of span in its place', () => {
		fc.assert(
			fc.property(messages, text => {
				const blocks = parseMarkup(text);
				const lines = text.split('\n');
				const fenceLines = new Set<number>();
				let at = 0;
				for (const block of blocks) {
					if (block.kind === 'code') {
						expect(lines[at]).toBe(block.open);
						fenceLines.add(at);
						at += 1 + block.lines.length;
						if (block.close !== undefined) fenceLines.add(at++);
					} else {
						at += block.spans.map(span => span.text).join('').split('\n').length;
						for (const span of block.spans) {
							if (span.kind === 'code') expect(span.text).not.toContain('\n');
							if (span.kind === 'url') expect(span.text).toMatch(/^https?:\/\/[^\s\x00-\x1f\x7f-\x9f]+$/i);
						}
					}
				}
				expect(at).toBe(lines.length);
				const rawShown = blocks.flatMap(block => (block.kind === 'code' ? block.lines : markupSource([block]).split('\n'))).join('\n');
				expect(rawShown).toBe(lines.filter((_, index) => !fenceLines.has(index)).join('\n'));
			}),
			{numRuns: 2000},
		);
	});

	it('parses hostile texts of a megabyte: unpaired backtick runs of every length, an endless fence, glued URLs', () => {
		// Backtick runs of every length, none with a partner: a naive search scans to the end from each.
		let unpaired = '';
		for (let length = 1; length <= 1400; length++) unpaired += '`'.repeat(length) + ' x ';
		expect(markupSource(parseMarkup(unpaired))).toBe(unpaired);
		// A fence that never closes, then a megabyte of lines and fence look-alikes.
		const unterminated = '```ts\n' + '``` x\n~~~\n'.repeat(100_000);
		expect(code(parseMarkup(unterminated))[0]!.close).toBeUndefined();
		const urls = 'https://'.repeat(100_000) + 'x';
		expect(markupSource(parseMarkup(urls))).toBe(urls);
	});
});
