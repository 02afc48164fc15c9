import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {interpretLine} from '../../source/commands/parse.js';
import {createPasteCommand, nodeFiles, pasteMessage} from '../../source/commands/paste-command.js';
import {MAX_MESSAGE_CHARS} from '../../source/protocol/limits.js';
import {parseMarkup, type CodeBlock} from '../../source/text/markup.js';

let dir: string;
const context = {me: 'alice', roster: ['alice'], commands: [], supports: () => false};
const paste = (args: string) => interpretLine('/paste ' + args, context);
const file = (name: string, content: string | Uint8Array) => {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
};
/** The one code block a sent message holds, as every client will parse it. */
const sentBlock = (result: ReturnType<typeof paste>): CodeBlock => {
	expect(result?.type).toBe('send');
	const blocks = parseMarkup(result?.type === 'send' ? result.text : '');
	expect(blocks).toHaveLength(1);
	expect(blocks[0]!.kind).toBe('code');
	return blocks[0] as CodeBlock;
};

beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'codechat-paste-'));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe('/paste', () => {
	it('sends a file as one fenced block, the language from its extension', () => {
		const path = file('main.ts', 'const a = 1;\r\nexport default a;\n');
		const result = paste(path);
		expect(result).toEqual({type: 'send', text: '```ts\nconst a = 1;\nexport default a;\n```'});
		expect(sentBlock(result)).toMatchObject({language: 'typescript', lines: ['const a = 1;', 'export default a;']});
	});

	it('takes the language from the argument, by any of its names, or as given when not shipped', () => {
		const path = file('script', 'echo hi');
		expect(paste(`${path} bash`)).toEqual({type: 'send', text: '```sh\necho hi\n```'});
		expect(paste(`${path} kotlin`)).toEqual({type: 'send', text: '```kotlin\necho hi\n```'});
		expect(paste(path)).toEqual({type: 'send', text: '```\necho hi\n```'});
	});

	it('reads a path with spaces, and ~ as the home folder', () => {
		const path = file('my notes.py', 'x = 1');
		expect(paste(path)).toEqual({type: 'send', text: '```python\nx = 1\n```'});
		const command = createPasteCommand({...nodeFiles, home: dir});
		expect(command.action('~/my notes.py sql', context)).toEqual({type: 'send', text: '```sql\nx = 1\n```'});
	});

	it('fences a file that holds fences with a longer run, so it stays one block', () => {
		const readme = 'Use:\n```sh\nnpm test\n```\n````\nmore\n````';
		const result = paste(file('README.md', readme));
		const block = sentBlock(result);
		expect(block.lines.join('\n')).toBe(readme);
		expect(block.open).toBe('`````md');
	});

	it('says how long a file is over the limit and points to /share, without reading a huge one', () => {
		const fits = file('fits.txt', 'x'.repeat(MAX_MESSAGE_CHARS - 8));
		expect(paste(fits)?.type).toBe('send');
		const over = file('over.txt', 'é'.repeat(MAX_MESSAGE_CHARS - 7));
		expect(paste(over)).toEqual({type: 'error', text: `${over} is 4,097 characters as a code block; the limit is 4,096 characters — use /share for longer files`});
		const huge = file('huge.log', Buffer.alloc(1024 * 1024, 'a'));
		expect(paste(huge)).toEqual({type: 'error', text: `${huge} is 1,048,576 bytes; the limit is 4,096 characters — use /share for longer files`});
	});

	it('refuses what is not a readable text file, saying why', () => {
		expect(paste('')).toEqual({type: 'error', text: 'usage: /paste FILE [LANG]'});
		expect(paste(join(dir, 'missing.ts'))).toEqual({type: 'error', text: `cannot paste ${join(dir, 'missing.ts')}: no such file`});
		const sub = join(dir, 'folder');
		mkdirSync(sub);
		expect(paste(sub)).toEqual({type: 'error', text: `cannot paste ${sub}: not a regular file`});
		expect(paste(file('empty.txt', '\n\n'))).toMatchObject({type: 'error', text: expect.stringContaining('is empty')});
		expect(paste(file('image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe])))).toMatchObject({text: expect.stringContaining('not UTF-8 text')});
		expect(paste(file('nul.bin', 'a\0b'))).toMatchObject({text: expect.stringContaining('looks binary')});
		if (process.getuid?.() !== 0) {
			const locked = file('locked.ts', 'x');
			chmodSync(locked, 0o000);
			expect(paste(locked)).toEqual({type: 'error', text: `cannot paste ${locked}: permission denied`});
		}
	});

	it('never writes a language name that could break the fence line', () => {
		expect(pasteMessage('a', 'x', 'ts\n```')).toMatchObject({type: 'error'});
		expect(pasteMessage('a', 'x', 'a`b')).toMatchObject({type: 'error'});
	});
});
