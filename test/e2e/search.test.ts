// The built CLI in a pty, searching the room on screen: /search TEXT marks
// the matches and counts them, n/N move, Esc puts the view and the draft back;
// Ctrl-R searches as you type; a match only in an older page of the server's
// log (the reference server, its memory log) is found with "searching older
// messages…" on the search's line while the pages come.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRealLogServers, startRealLogServer, type RealLogServer} from '../helpers/real-log-server.js';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';

const PAGE_UP = '\u001b[5~';
const CTRL_R = '\u0012';
const ESC = '\u001b';
const UP = '\u001b[A';
const DOWN = '\u001b[B';
const YELLOW = 3;
const CYAN = 6;

afterEach(async () => {
	await closePtys();
	await closeRealLogServers();
});

async function serverWith(texts: string[]): Promise<RealLogServer> {
	const server = await startRealLogServer();
	await server.fill('bob', texts);
	return server;
}

const alice = (server: RealLogServer, backlog: number) =>
	spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice', '--backlog', String(backlog)], {rows: 20});

/** The backgrounds of the cells of the first row matching `pattern` (its capture group). */
const backgroundOf = (screen: PtyScreen, pattern: RegExp) => [...new Set(screen.cellsMatching(pattern)?.map(cell => cell.background))];

/** The message pane's rows: everything above the status bar. */
const paneRows = (screen: PtyScreen) => screen.lines().slice(0, -3);

/** The line under the status bar: the input line, or the search's. */
const bottomLine = (screen: PtyScreen) => screen.lines().findLast(line => line.trim() !== '') ?? '';

const filler = (count: number, from = 1) => Array.from({length: count}, (_, index) => `filler ${from + index}`);

describe('search in the TUI', () => {
	it('/search marks the matches and counts them, n and N move between them, Esc puts the view back', async () => {
		const server = await serverWith([...filler(5), 'deploy one', ...filler(15, 6), 'Deploy two', ...filler(4, 21), 'DEPLOY three', ...filler(20, 25)]);
		const screen = alice(server, 50);
		await screen.waitForText('filler 44');
		screen.type(PAGE_UP);
		await screen.waitForText('more below ↓ (End)');
		const before = paneRows(screen);

		screen.type('/search deploy\r');
		await screen.waitForText('search: deploy  1 of 3');
		// The newest match is the current one, in its own colour; the others in the match colour.
		await screen.waitFor(() => backgroundOf(screen, /(DEPLOY) three/).join() === String(CYAN), 10_000, 'the current match marked');
		expect(backgroundOf(screen, /(DEPLOY) three/)).toEqual([CYAN]);
		expect(backgroundOf(screen, / (three)/)).toEqual([-1]);
		expect(backgroundOf(screen, /(Deploy) two/)).toEqual([YELLOW]);

		screen.type('n');
		await screen.waitForText('2 of 3');
		await screen.waitFor(() => backgroundOf(screen, /(Deploy) two/).join() === String(CYAN), 10_000, 'the second match current');
		expect(backgroundOf(screen, /(DEPLOY) three/)).toEqual([YELLOW]);
		screen.type('n');
		await screen.waitForText('3 of 3');
		await screen.waitForText('deploy one');
		screen.type('n');
		await screen.waitForText('3 of 3 · no more matches');
		screen.type('N');
		await screen.waitForText('2 of 3');

		screen.type(ESC);
		await screen.waitFor(() => !screen.text().includes('search:'), 10_000, 'the search closed');
		await screen.waitFor(() => paneRows(screen).join('\n') === before.join('\n'), 10_000, 'the view back where it was');
		expect(bottomLine(screen).trim()).toBe('>');
	});

	it('takes n and N typed in one read as one key each', async () => {
		const server = await serverWith(['deploy one', 'filler', 'deploy two', 'filler', 'deploy three']);
		const screen = alice(server, 50);
		await screen.waitForText('deploy three');
		screen.type('/search deploy\r');
		await screen.waitForText('search: deploy  1 of 3');
		screen.type('nn');
		await screen.waitForText('3 of 3');
		screen.type('nnN');
		await screen.waitForText('2 of 3');
	});

	it('Ctrl-R searches as you type; ↑ goes older; Enter stays there; Esc gives the draft back', async () => {
		const server = await serverWith([...filler(5), 'release notes for 1.2', ...filler(10, 6), 'release party friday', ...filler(10, 16)]);
		const screen = alice(server, 50);
		await screen.waitForText('filler 25');
		screen.type('my draft');
		await screen.waitForText('> my draft');

		screen.type(CTRL_R);
		await screen.waitForText('search:');
		expect(screen.text()).toContain('type to search');
		screen.type('rel');
		await screen.waitForText('search: rel');
		await screen.waitForText('1 of 2');
		screen.type('ease n');
		await screen.waitForText('search: release n');
		await screen.waitForText('1 of 1');
		await screen.waitFor(() => backgroundOf(screen, /(release n)otes/).join() === String(CYAN), 10_000, 'the match marked as typed');
		// A shorter query keeps the match shown.
		screen.type('\u007f\u007f');
		await screen.waitForText('search: release ');
		await screen.waitForText('2 of 2');
		screen.type(DOWN);
		await screen.waitForText('1 of 2');
		screen.type(UP);
		await screen.waitForText('2 of 2');
		screen.type(UP);
		await screen.waitForText('2 of 2 · no more matches');
		screen.type(ESC);
		await screen.waitFor(() => bottomLine(screen).includes('> my draft'), 10_000, 'the draft back');
		expect(screen.text()).not.toContain('more below');

		// Enter leaves the search with the view where the match put it.
		screen.type(CTRL_R);
		await screen.waitForText('search:');
		screen.type('notes');
		await screen.waitForText('1 of 1');
		screen.type('\r');
		await screen.waitFor(() => bottomLine(screen).includes('> my draft'), 10_000, 'the search closed');
		expect(screen.text()).toContain('more below ↓ (End)');
		expect(screen.text()).toContain('release notes for 1.2');
		expect(backgroundOf(screen, /(release) notes/)).toEqual([-1]);
	});

	it('finds a match only in an older page of the server\'s log, saying "searching older messages…" while the pages come', async () => {
		// 250 messages before alice joins, a backlog of 5: the match is two pages (of 100) back and more.
		const server = await serverWith([...filler(4), 'the needle is here', ...filler(245, 5)]);
		const screen = alice(server, 5);
		await screen.waitForText('5 earlier messages above');
		await screen.waitForText('filler 249');
		const held = server.holdHistory();
		screen.type('/search NEEDLE\r');
		await screen.waitForText('searching older messages…');
		held.release();
		await screen.waitForText('1 of 1', 20_000);
		await screen.waitForText('the needle is here');
		expect(screen.text()).not.toContain('searching older messages…');
		expect(backgroundOf(screen, /(needle) is here/)).toEqual([CYAN]);
		// Back past it, the log's start: nothing older, and it says so.
		screen.type('n');
		await screen.waitForText('1 of 1 · no more matches', 20_000);
		const pages = server.commands.filter(({frame}) => frame.cmd === 'history' && 'before' in frame);
		expect(pages.length).toBeGreaterThanOrEqual(3);
	});
});
