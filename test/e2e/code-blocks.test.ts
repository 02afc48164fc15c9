// Code, links and inline code in the real TUI: the built CLI in a pty,
// against a real server, with a raw client sending the messages. Colours and
// links are checked in the raw bytes the program wrote, the layout on screen.
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRawClients, connectUser, type RawClient} from '../helpers/raw-client.js';

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

const ESC = '\x1b';
const BEL = '\x07';
const CTRL_V = '\x16';

async function setUp(env: Record<string, string> = {}, size = {cols: 100, rows: 40}): Promise<{screen: PtyScreen; peer: RawClient}> {
	const server = await startTestServer({rate: 0});
	const screen = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {...size, env});
	await screen.waitForText('Users (1)');
	const peer = await connectUser(server.port, 'bob');
	await screen.waitForText('Users (2)');
	return {screen, peer};
}

/** The raw output from the first time `marker` was written on. */
function outputFrom(screen: PtyScreen, marker: string): string {
	const at = screen.output.indexOf(marker);
	return at === -1 ? '' : screen.output.slice(at);
}

/** SGR parameters in effect just before each occurrence of `word` in `output` (the last SGR before it). */
function sgrBefore(output: string, word: string): string[] {
	const found: string[] = [];
	for (let at = output.indexOf(word); at !== -1; at = output.indexOf(word, at + 1)) {
		const head = output.slice(Math.max(0, at - 40), at);
		const sgr = [...head.matchAll(/\x1b\[([\d;]*)m/g)].at(-1);
		if (sgr && head.endsWith(sgr[0])) found.push(sgr[1]!);
	}
	return found;
}

const tsBlock = (lines: string[]) => '```ts\n' + lines.join('\n') + '\n```';

describe('code blocks in the real TUI', () => {
	it('boxes a ```ts block with its language, numbers its lines past 3, and colours its keywords', async () => {
		const {screen, peer} = await setUp();
		peer.sendFrame({cmd: 'msg', msg: tsBlock(['const answer: number = 42;', 'function twice(n: number) {', '  return n * 2;', '}'])});
		await screen.waitForText('╭─ ts ─');
		const lines = screen.lines();
		const top = lines.findIndex(line => line.includes('╭─ ts ─'));
		// Under the nick row, at the text's indent.
		expect(lines[top - 1]).toMatch(/\d\d:\d\d bob +│$/);
		expect(lines[top + 1]).toMatch(/│ 1 {2}const answer: number = 42; +│/);
		expect(lines[top + 4]).toMatch(/│ 4 {2}\} +│/);
		expect(lines[top + 5]).toMatch(/╰─+╯/);
		const box = lines.slice(top, top + 6).map(line => line.indexOf(line.trim()[0]!));
		expect(new Set(box).size).toBe(1);

		// The highlighter loads on first draw and the block is drawn again: keywords in the keyword colour (magenta, 35).
		await screen.waitFor(() => sgrBefore(screen.output, 'const').includes('35'), 10_000, 'a coloured keyword');
		expect(sgrBefore(screen.output, 'function')).toContain('35');
		expect(sgrBefore(screen.output, '42')).toContain('33');
	});

	it('does not number three lines, and draws a block without a language plain', async () => {
		const {screen, peer} = await setUp();
		peer.sendFrame({cmd: 'msg', msg: '```\nconst plain = 1;\nsecond\nthird\n```'});
		peer.sendFrame({cmd: 'msg', msg: 'after the plain block'});
		await screen.waitForText('after the plain block');
		const lines = screen.lines();
		expect(lines.some(line => /│ const plain = 1; +│/.test(line))).toBe(true);
		// No colour on "const": no language, no guessing.
		expect(sgrBefore(screen.output, 'const plain')).not.toContain('35');
	});

	it('cuts a block taller than 12 lines with a hint naming the key, and the key opens, scrolls and closes the viewer', async () => {
		const {screen, peer} = await setUp({}, {cols: 100, rows: 30});
		const code = Array.from({length: 60}, (_, index) => `const line${index + 1} = ${index + 1};`);
		peer.sendFrame({cmd: 'msg', msg: tsBlock(code)});
		await screen.waitForText('… 48 more lines (Ctrl-V to view)');
		expect(screen.text()).toContain('12  const line12 = 12;');
		expect(screen.text()).not.toContain('line13 ');

		// 30 rows, less the spare row at the bottom and the title bar: 28 of the box's 62 rows.
		screen.type(CTRL_V);
		await screen.waitForText(/ts · 60 lines · rows 1–28 of 62/);
		expect(screen.text()).not.toContain('Users (2)');
		expect(screen.lines()[1]).toMatch(/╭─ ts ─/);
		expect(screen.text()).toContain(' 27  const line27 = 27;');

		screen.type(`${ESC}[B`);
		await screen.waitForText('rows 2–29 of 62');
		// A page keeps one row of the last: 27 rows.
		screen.type(`${ESC}[6~`);
		await screen.waitForText('rows 29–56 of 62');
		expect(screen.text()).toContain(' 55  const line55 = 55;');
		screen.type(`${ESC}[6~`);
		await screen.waitForText('rows 35–62 of 62');
		expect(screen.lines().findLast(line => line !== '')).toMatch(/╰─+╯/);
		screen.type(`${ESC}[5~`);
		await screen.waitForText('rows 8–35 of 62');

		screen.type('q');
		await screen.waitForText('Users (2)');
		expect(screen.text()).toContain('… 48 more lines (Ctrl-V to view)');
		// Esc closes it too.
		screen.type(CTRL_V);
		await screen.waitForText('rows 1–28 of 62');
		screen.type(ESC);
		await screen.waitForText('Users (2)');
	});

	it('fits the cut block\'s footer in its box at 40 columns, and says a line cut sideways can be seen whole', async () => {
		// No sidebar this narrow: wait on the pane instead.
		const server = await startTestServer({rate: 0});
		const screen = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 40, rows: 30});
		await screen.waitForText('connected to');
		const peer = await connectUser(server.port, 'bob');
		await screen.waitForText('bob joined');
		const tall = Array.from({length: 15}, (_, index) => `n${index + 1}`);
		peer.sendFrame({cmd: 'msg', msg: tsBlock(tall)});
		await screen.waitForText('n12');
		const footer = screen.lines().find(line => line.includes('╰'))!;
		expect(footer).toMatch(/╰─ … 3 more \(Ctrl-V\) ─+╯/);

		peer.sendFrame({cmd: 'msg', msg: tsBlock(['const wide = "' + 'w'.repeat(60) + '";'])});
		await screen.waitForText('const wide');
		const lines = screen.lines();
		const cutRow = lines.findIndex(line => line.includes('const wide'));
		// The cut line ends with a mark inside the box, and the box's footer names the key.
		expect(lines[cutRow]).toMatch(/w… │/);
		expect(lines[cutRow + 1]).toMatch(/╰─ Ctrl-V to view ─+╯/);
	});

	it('says so when no code block is in view', async () => {
		const {screen} = await setUp();
		screen.type(CTRL_V);
		await screen.waitForText('no code block in view');
	});

	it('shows an escape inside code inert: ^[ on screen, nothing from the network raw in the bytes', async () => {
		const {screen, peer} = await setUp();
		peer.sendFrame({cmd: 'msg', msg: tsBlock(['const s = "\x1b]0;owned\x07\x1b[2J";', 'let t = "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07";', 'x', 'y'])});
		peer.sendFrame({cmd: 'msg', msg: 'after the hostile block'});
		await screen.waitForText('after the hostile block');
		await screen.waitFor(() => sgrBefore(screen.output, 'const').includes('35'), 10_000, 'the highlighted redraw');
		expect(screen.text()).toContain('"^[]0;owned^G^[[2J"');
		expect(screen.text()).toContain('^[]8;;https://evil.example/^Gclick');
		// Ink clears the screen once at the start; nothing after that is the peer's.
		const bytes = outputFrom(screen, 'bob joined');
		expect(bytes).not.toBe('');
		expect(bytes).not.toContain(`${ESC}]0;`);
		expect(bytes).not.toContain(`${ESC}]8;`);
		expect(bytes).not.toContain(BEL);
		expect(bytes).not.toContain(`${ESC}[2J`);
		// The box still lines up: every row of it ends with its border in the same column.
		const rows = screen.lines().filter(line => line.includes('│ 1') || line.includes('│ 2') || line.includes('│ 3') || line.includes('│ 4'));
		expect(new Set(rows.map(line => line.lastIndexOf('│'))).size).toBe(1);
	});
});

describe('links and inline code in the real TUI', () => {
	it('links an http(s) URL with OSC 8 when the terminal shows links, and only such a URL', async () => {
		const {screen, peer} = await setUp({FORCE_HYPERLINK: '1'});
		peer.sendFrame({cmd: 'msg', msg: 'docs at https://example.com/guide?x=1 and ftp://example.com/file and https://bad\u202Eexample.com/'});
		peer.sendFrame({cmd: 'msg', msg: 'then https://example.com/\x1b]8;;https://evil.example/\x07trap\x1b]8;;\x07'});
		await screen.waitForText('then https://example.com/^[]8;;https://evil.example/^Gtrap');
		// Ink closes the colours before the link, and closes links again at the end of a row: both harmless.
		const link = /\x1b\]8;;https:\/\/example\.com\/guide\?x=1\x07https:\/\/example\.com\/guide\?x=1(?:\x1b\[[\d;]*m)*\x1b\]8;;\x07/;
		await screen.waitFor(() => link.test(screen.output), 15_000, 'the OSC 8 link');
		// Each link's visible text is its URL; none for ftp or the look-alike. The peer's own OSC 8 is
		// shown as text; the URL inside it is a link like any other, to exactly what it shows.
		const opened = [...screen.output.matchAll(/\x1b\]8;;([^\x07]*)\x07((?:\x1b\[[\d;]*m)*)([^\x1b]*)/g)].filter(match => match[1] !== '');
		for (const match of opened) expect(match[3]!.startsWith(match[1]!)).toBe(true);
		expect(new Set(opened.map(match => match[1]))).toEqual(new Set(['https://example.com/guide?x=1', 'https://example.com/', 'https://evil.example/']));
		expect(screen.output).not.toContain('\x1b]8;;https://evil.example/\x07trap');
		// The look-alike is shown with its hidden character made visible, and not linked.
		expect(screen.text()).toContain('https://bad<U+202E>example.com/');
		// Links take no columns: the text after it sits where it would without one.
		expect(screen.lines().find(line => line.includes('docs at'))).toMatch(/bob docs at https:\/\/example\.com\/guide\?x=1 and ftp:\/\/example\.com\/file and/);
	});

	it('does not link a URL cut across rows, nor on a terminal not known to show links', async () => {
		const {screen, peer} = await setUp({FORCE_HYPERLINK: '1'}, {cols: 70, rows: 30});
		const long = 'https://example.com/' + 'a'.repeat(80);
		peer.sendFrame({cmd: 'msg', msg: `see ${long}`});
		peer.sendFrame({cmd: 'msg', msg: 'after the long one'});
		await screen.waitForText('after the long one');
		expect(screen.output).not.toContain(`${ESC}]8;;https://`);

		const {screen: plain, peer: other} = await setUp({FORCE_HYPERLINK: '0'});
		other.sendFrame({cmd: 'msg', msg: 'at https://example.com/'});
		await plain.waitForText('at https://example.com/');
		expect(plain.output).not.toContain(`${ESC}]8;`);
		// Underlined all the same (SGR 4).
		expect(outputFrom(plain, 'at ')).toMatch(/\x1b\[[\d;]*4[\d;]*m(?:\x1b\[[\d;]*m)*https:\/\/example\.com\//);
	});

	it('styles inline code without its backticks', async () => {
		const {screen, peer} = await setUp();
		peer.sendFrame({cmd: 'msg', msg: 'run `npm test` now'});
		await screen.waitForText('run npm test now');
		expect(sgrBefore(screen.output, 'npm test')).toContain('36');
	});
});
