// The pane's layout of message markup: paragraphs mapped back to their spans,
// links only where a whole URL is on a row, code boxed under the nick, plain
// code laid out again once the highlighter is there, hostile sizes bounded.
import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import type {LogEntry} from '../../source/state/types.js';
import {isHighlighterLoaded, loadHighlighter} from '../../source/text/highlighter.js';
import {wrapText} from '../../source/text/wrap.js';
import {sanitize} from '../../source/text/sanitize.js';
import {cachedEntryLayout, codeBlockInView, entryLayout, entryRows, scrollBy, SHOWN_TEXT_LIMITS, topAnchor, visibleRows, type Row} from '../../source/ui/pane-layout.js';
import {selectEntry} from '../../source/state/selectors.js';
import {T0, messages, sourceOf, stateWith} from './helpers.js';

const text = (row: Row) => row.map(segment => segment.text).join('');
const chat = (body: string, fields: Partial<Extract<LogEntry, {kind: 'chat'}>> = {}): Extract<LogEntry, {kind: 'chat'}> => ({
	kind: 'chat', id: 1, time: T0, user: 'bob', text: body, own: false, mention: false, ...fields,
});
const PREFIX = '09:05 bob ';

describe('paragraphs with inline code and URLs', () => {
	it('lays out text exactly as plain wrapping does, whatever inline markup it holds', () => {
		const piece = fc.oneof(fc.constantFrom(' ', '  ', '\n', '`', '``', 'https://x.org/a', 'http://', '(https://y.io/b).', '漢字', '😀', '\t', '\x1b', 'word', 'a-very-long-word-indeed'), fc.string({maxLength: 8}));
		fc.assert(
			fc.property(fc.array(piece, {maxLength: 40}), fc.integer({min: 22, max: 60}), (parts, width) => {
				// No fences, so the message is one paragraph.
				const body = parts.join('').replaceAll(/^( {0,3})(`{3,}|~{3,})/gm, '$1x$2');
				const layout = entryLayout(chat(body), 'alice', width);
				expect(layout.codeBlocks).toEqual([]);
				const shown = layout.rows.map(row => text(row).slice(PREFIX.length));
				expect(shown).toEqual(wrapText(sanitize(stripCodeTicks(body)), width - PREFIX.length));
			}),
		);
	});

	it('keeps every row the plain wrapper makes, with the spaces at breaks left out', () => {
		const body = 'see https://example.com/one and `code here` and more words to wrap around the edge';
		const rows = entryRows(chat(body), 'alice', 30).map(text);
		const expected = wrapText(sanitize(body.replaceAll('`', '')), 20, 20);
		expect(rows.map(row => row.slice(PREFIX.length))).toEqual(expected);
	});

	it('styles inline code and URLs, and links a URL only when it is whole on its row', () => {
		const rows = entryRows(chat('run `npm test` at https://example.com/a then'), 'alice', 80);
		const code = rows[0]!.find(segment => segment.text === 'npm test')!;
		expect(code).toMatchObject({color: 'cyan'});
		const url = rows[0]!.find(segment => segment.text === 'https://example.com/a')!;
		expect(url).toMatchObject({underline: true, href: 'https://example.com/a'});

		const long = 'https://example.com/' + 'x'.repeat(60);
		const cut = entryRows(chat(`see ${long}`), 'alice', 40);
		const parts = cut.flatMap(row => row.filter(segment => segment.underline));
		expect(parts.length).toBeGreaterThan(1);
		expect(parts.map(segment => segment.text).join('')).toBe(long);
		expect(parts.every(segment => segment.href === undefined)).toBe(true);
	});

	it('never links what is not a plain http(s) URL', () => {
		for (const body of ['ftp://example.com/x', 'https://bad\u202Eexample.com/', 'https://exämple.com/', 'javascript://x']) {
			const rows = entryRows(chat(body), 'alice', 80);
			expect(rows.flat().some(segment => segment.href !== undefined), body).toBe(false);
		}
	});

	it('keeps the pending mark and the mention style', () => {
		const pending = entryRows(chat('ok `x`', {own: true, delivery: 'pending', user: 'alice'}), 'alice', 40);
		expect(text(pending[0]!)).toMatch(/ok x …$/);
		expect(pending[0]!.at(-1)).toMatchObject({dim: true});
		expect(pending[0]!.find(segment => segment.text === 'x')).toMatchObject({dim: true, color: 'cyan'});
		const mention = entryRows(chat('alice: `y`', {mention: true}), 'alice', 40);
		expect(mention[0]!.find(segment => segment.text === 'y')).toMatchObject({bold: true, color: 'cyan'});
	});
});

function stripCodeTicks(body: string): string {
	// The test's own model of inline code: a run of ticks pairs with the next run of the same length on its line.
	return body
		.split('\n')
		.map(line => {
			let out = '';
			let at = 0;
			const runs = [...line.matchAll(/`+/g)].map(match => ({start: match.index, length: match[0].length}));
			for (let index = 0; index < runs.length; index++) {
				const run = runs[index]!;
				const partner = runs.findIndex((other, j) => j > index && other.length === run.length);
				if (partner === -1) continue;
				out += line.slice(at, run.start) + line.slice(run.start + run.length, runs[partner]!.start);
				at = runs[partner]!.start + run.length;
				index = partner;
			}
			return out + line.slice(at);
		})
		.join('\n');
}

describe('code blocks in the pane', () => {
	const block = (lines: number, info = 'ts') => '```' + info + '\n' + Array.from({length: lines}, (_, index) => `let v${index} = ${index};`).join('\n') + '\n```';

	it('draws the box under the nick row, at the text indent, and records where it is', () => {
		const layout = entryLayout(chat('look:\n' + block(2) + '\nafter'), 'alice', 60);
		const rows = layout.rows.map(text);
		expect(rows[0]).toBe(`${PREFIX}look:`);
		expect(rows[1]).toMatch(/^ {10}╭─ ts ─+╮$/);
		expect(rows[4]).toMatch(/^ {10}╰─+╯$/);
		expect(rows[5]).toBe(' '.repeat(10) + 'after');
		expect(layout.codeBlocks).toMatchObject([{firstRow: 1, rowCount: 4, cut: false}]);

		const first = entryRows(chat(block(1)), 'alice', 60).map(text);
		expect(first[0]).toBe(PREFIX);
		expect(first[1]).toMatch(/^ {10}╭─ ts/);
	});

	it('cuts a block at 12 lines with the viewer key in the hint', () => {
		const layout = entryLayout(chat(block(40)), 'alice', 80);
		expect(layout.rows).toHaveLength(1 + 14);
		expect(text(layout.rows.at(-1)!)).toContain('… 28 more lines (Ctrl-V to view)');
		expect(layout.codeBlocks[0]!.cut).toBe(true);
	});

	it('lays a block out plain until the highlighter is loaded, then again in colour', async () => {
		expect(isHighlighterLoaded()).toBe(false);
		const entry = chat(block(3));
		const before = cachedEntryLayout(entry, 'alice', 60);
		expect(before.plainCode).toBe('loading');
		expect(before.rows.flat().find(segment => segment.text.includes('let'))).not.toHaveProperty('color');
		expect(cachedEntryLayout(entry, 'alice', 60)).toBe(before);
		await loadHighlighter();
		const after = cachedEntryLayout(entry, 'alice', 60);
		expect(after).not.toBe(before);
		expect(after.plainCode).toBe('none');
		expect(after.rows.flat().find(segment => segment.text === 'let')).toMatchObject({color: 'magenta'});
		expect(cachedEntryLayout(entry, 'alice', 60)).toBe(after);
	});

	it('highlights only the blocks that are drawn, not those scrolled past', async () => {
		await loadHighlighter();
		const state = stateWith(messages(200, 'bob', index => `m${index}\n` + block(3)));
		const source = sourceOf(state);
		const top = topAnchor(source, 'alice', 80, 20);
		const scrolled = scrollBy(source, 'alice', 80, 20, undefined, 300);
		expect(top).toBeDefined();
		expect(scrolled).toBeDefined();
		const plainCode = (index: number) => cachedEntryLayout(selectEntry(state, index)!, 'alice', 80, 'measure').plainCode;
		// Counted, never drawn: laid out plain.
		expect(plainCode(100)).toBe('measured');
		const view = visibleRows(source, 'alice', 80, 20, top);
		expect(view.rows.map(text).join('\n')).toContain('m0');
		expect(plainCode(0)).toBe('none');
		expect(view.rows.flat().find(segment => segment.text === 'let')).toMatchObject({color: 'magenta'});
		expect(plainCode(100)).toBe('measured');
	});

	it('stays bounded for a message of thousands of fences or backticks', () => {
		for (const body of ['```\n'.repeat(100_000), '`'.repeat(500_000), '```ts\n' + 'x\n'.repeat(200_000), '` `'.repeat(100_000), '```a\n```\n'.repeat(50_000)]) {
			const start = performance.now();
			const rows = entryRows(chat(body), 'alice', 80);
			expect(performance.now() - start, body.slice(0, 12)).toBeLessThan(5000);
			// At most one row per shown line, plus the nick row, the box borders of the last block and the count row.
			expect(rows.length).toBeLessThanOrEqual(SHOWN_TEXT_LIMITS.maxLines * 2 + 4);
			expect(text(rows.at(-1)!)).toMatch(/more characters|more lines|╯|`/);
		}
	});
});

describe('codeBlockInView', () => {
	it('picks the lowest cut block in view, else the lowest block, else none', () => {
		const long = '```ts\n' + 'x\n'.repeat(30) + '```';
		const short = '```ts\nshort\n```';
		const state = stateWith([
			...messages(1, 'bob', () => long),
			...messages(1, 'bob', () => short),
			...messages(5),
		]);
		const source = sourceOf(state);
		const place = codeBlockInView(source, 'alice', 80, 40, undefined);
		expect(place?.block.lines).toHaveLength(30);
		// Only the short block's rows in view: it is the one.
		expect(codeBlockInView(source, 'alice', 80, 8, undefined)?.block.lines).toEqual(['short']);
		expect(codeBlockInView(source, 'alice', 80, 5, undefined)).toBeUndefined();
	});

	it('counts a block with a line cut sideways as cut, as its footer says', () => {
		const tall = '```ts\n' + 'x\n'.repeat(30) + '```';
		const wide = '```ts\n' + 'w'.repeat(100) + '\n```';
		const source = sourceOf(stateWith([...messages(1, 'bob', () => tall), ...messages(1, 'bob', () => wide), ...messages(1, 'bob', () => '```ts\nshort\n```')]));
		expect(codeBlockInView(source, 'alice', 80, 40, undefined)?.block.lines).toEqual(['w'.repeat(100)]);
	});
});
