// Rooms and direct messages in the built CLI, in real ptys against a real
// server: three people in three rooms, read as they would read their screens.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

let fake: Fake2015Server | undefined;
// The rooms each person had open are kept between runs: here, in a folder of this file's own.
const configHome = mkdtempSync(path.join(tmpdir(), 'codechat-rooms-e2e-'));
const env = {XDG_CONFIG_HOME: configHome};

afterAll(() => {
	rmSync(configHome, {recursive: true, force: true});
});

afterEach(async () => {
	await closePtys();
	await closeTestServers();
	await fake?.close();
	fake = undefined;
});

const ALT = '\u001b';
const CTRL_G = '\u0007';

function person(port: number, user: string): PtyScreen {
	return spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', user], {cols: 100, rows: 30, env});
}

/** The sidebar: what follows the last "│" on each row. */
const sidebar = (screen: PtyScreen) => screen.lines().map(line => line.split('│').at(-1) ?? '').join('\n');
/** The message pane: what comes before the "│" on each row. */
const pane = (screen: PtyScreen) => screen.lines().map(line => line.split('│')[0] ?? '').join('\n');
/** The status bar: the row above the input line. */
const statusBar = (screen: PtyScreen) => screen.lines().findLast(line => line.startsWith(' ●') || line.startsWith(' ○')) ?? '';
/** The input line: the row that starts with the prompt. */
const inputLine = (screen: PtyScreen) => screen.lines().findLast(line => line.startsWith('>')) ?? '';

async function waitForSidebar(screen: PtyScreen, pattern: RegExp) {
	await screen.waitFor(() => pattern.test(sidebar(screen)), 10_000, `the sidebar to match ${String(pattern)}`);
}

async function join(screen: PtyScreen, room: string) {
	screen.type(`/join ${room}\r`);
	await screen.waitForText(`you joined ${room}`);
}

describe('rooms and direct messages in the TUI', () => {
	it('three people in three rooms: the list, unread and mention counts, switching, direct messages, drafts and parting', async () => {
		const server = await startTestServer({rate: 0});
		const alice = person(server.port, 'alice');
		const bob = person(server.port, 'bob');
		const carol = person(server.port, 'carol');
		for (const screen of [alice, bob, carol]) await screen.waitForText('Users (3)');
		// Only #lobby so far: it is listed, current, and named in the status bar.
		await waitForSidebar(alice, /▸1 #lobby/);
		expect(statusBar(alice)).toContain('#lobby');

		await join(alice, '#rust');
		await join(alice, '#go');
		await join(alice, '#ops');
		await join(bob, '#rust');
		await join(carol, '#go');
		await waitForSidebar(alice, /^ 1 #lobby\s*\n 2 #rust\s*\n 3 #go\s*\n▸4 #ops\s*$/m);
		expect(statusBar(alice)).toContain('#ops');

		// What is said in rooms not on screen is counted there, and mentions of her apart.
		bob.type('hello rust people\r');
		bob.type('second in rust\r');
		carol.type('alice: are you in go?\r');
		await waitForSidebar(alice, / 2 #rust\s+2\n 3 #go\s+1 @1\n/);
		expect(pane(alice)).not.toContain('hello rust');
		// The terminal title counts them, in our own words only.
		await alice.waitFor(() => alice.output.includes('\u001b]2;(3) codechat-tui: 1 for you\u001b\\'), 15_000, 'the title to count 3 unread');

		// Alt-2: #rust on screen, marked, named, its messages under the "new since you were here" rule, its count gone.
		alice.type(`${ALT}2`);
		await alice.waitForText('hello rust people');
		await waitForSidebar(alice, /▸2 #rust\s*\n/);
		expect(statusBar(alice)).toContain('#rust');
		expect(pane(alice)).toMatch(/── new since you were here ─+\s*\n[^\n]*bob +hello rust people\s*\n[^\n]*bob +second in rust/);
		expect(sidebar(alice)).toMatch(/Users \(2\)\n\*alice\s*\n bob/);

		// A draft stays with its room: gone in #go, back in #rust.
		alice.type('half a thought');
		await alice.waitFor(() => inputLine(alice).includes('half a thought'), 15_000, 'the draft');
		alice.type(`${ALT}\u001b[C`); // Alt-→: the next one, #go
		await alice.waitForText('are you in go?');
		expect(statusBar(alice)).toContain('#go');
		await alice.waitFor(() => !inputLine(alice).includes('half a thought'), 15_000, 'an empty line in #go');
		alice.type(`${ALT}\u001b[D`); // Alt-←: back to #rust
		await alice.waitFor(() => inputLine(alice).includes('half a thought') && statusBar(alice).includes('#rust'), 15_000, 'the draft back in #rust');
		alice.type('\u0015'); // Ctrl-U

		// A direct message: only alice sees it, in a conversation of its own, reached with Ctrl-G.
		carol.type('/msg alice psst, a secret\r');
		await waitForSidebar(alice, / 5 carol\s+1 @1\n/);
		alice.type(CTRL_G);
		await alice.waitForText('switch to:');
		alice.type('car');
		await alice.waitFor(() => /▸ carol {2}1/.test(alice.text()), 15_000, 'the switcher to offer carol');
		alice.type('\r');
		await alice.waitForText('psst, a secret');
		expect(statusBar(alice)).toContain('direct with carol');
		expect(bob.text()).not.toContain('psst');
		// Alice answers in the conversation on screen; carol, in #go, finds it counted in hers.
		alice.type('got it\r');
		await waitForSidebar(carol, /^ 3 alice\s+1 @1$/m);
		carol.type(`${ALT}3`);
		await carol.waitForText(/alice +got it/);
		expect(carol.text()).toMatch(/carol +psst, a secret/);

		// Parting: bob leaves #rust with a reason; alice, there, sees it and the member list shrink.
		alice.type(`${ALT}2`);
		await waitForSidebar(alice, /▸2 #rust/);
		bob.type('/part off to lunch\r');
		await bob.waitForText('you left #rust');
		await alice.waitForText(/bob left.*off to lunch/);
		await waitForSidebar(alice, /Users \(1\)\n\*alice *\n *\n/);
		await bob.waitFor(() => !/#rust/.test(sidebar(bob)), 15_000, 'bob\'s list to lose #rust');
		expect(statusBar(bob)).toContain('#lobby');
		// #lobby stays.
		bob.type('/part\r');
		await bob.waitForText('#lobby cannot be left');
	});

	it('keeps each room\'s scroll position: scrolled up in one, at the bottom in another, as left', async () => {
		const server = await startTestServer({rate: 0});
		const alice = person(server.port, 'alice');
		const bob = person(server.port, 'bob');
		await alice.waitForText('Users (2)');
		await join(alice, '#rust');
		await join(bob, '#rust');
		for (let i = 1; i <= 40; i++) bob.type(`rust line ${i}\r`);
		await alice.waitForText('rust line 40');
		alice.type('\u001b[5~'); // PgUp
		await alice.waitFor(() => !pane(alice).includes('rust line 40') && pane(alice).includes('more below'), 15_000, 'the view to scroll up');
		const held = pane(alice).split('\n').filter(line => /rust line \d+/.test(line));
		alice.type(`${ALT}1`);
		await alice.waitFor(() => statusBar(alice).includes('#lobby') && !pane(alice).includes('rust line'), 15_000, '#lobby at its bottom');
		alice.type(`${ALT}2`);
		await alice.waitFor(() => statusBar(alice).includes('#rust') && pane(alice).includes('more below'), 15_000, '#rust as it was left');
		expect(pane(alice).split('\n').filter(line => /rust line \d+/.test(line))).toEqual(held);
	});

	it('takes a mention seen at the bottom as read: leaving the room leaves no @ in the list or the title', async () => {
		const server = await startTestServer({rate: 0});
		const alice = person(server.port, 'alice');
		const bob = person(server.port, 'bob');
		await alice.waitForText('Users (2)');
		await join(alice, '#rust');
		alice.type(`${ALT}1`);
		await waitForSidebar(alice, /▸1 #lobby/);
		bob.type('alice: look at this\r');
		await alice.waitForText(/bob +alice: look at this/);
		alice.type(`${ALT}2`);
		await waitForSidebar(alice, /▸2 #rust/);
		bob.type('plain words\r');
		// One unread, and no mention among them: the mention was read where it came.
		await waitForSidebar(alice, / 1 #lobby +1\n/);
		await alice.waitFor(() => alice.output.includes('\u001b]2;(1) codechat-tui\u001b\\'), 15_000, 'the title to count 1 unread');
		expect(alice.output).not.toContain('for you\u001b\\');
	});

	it('against a 2015 server: no room list, and /join says in one line that the server has a single room', async () => {
		fake = await startFake2015Server();
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(fake.port), '--user', 'alice'], {cols: 100, rows: 30, env});
		await alice.waitForText('no user list');
		expect(sidebar(alice)).not.toContain('#lobby');
		expect(statusBar(alice)).not.toContain('#lobby');
		alice.type('/join #rust\r');
		await alice.waitForText('/join: this server has a single room');
		const lines = pane(alice).split('\n').filter(line => line.includes('single room'));
		expect(lines).toHaveLength(1);
		expect(fake.received.some(({frame}) => frame.cmd === 'join')).toBe(false);
		// Nothing of ours went into the title either.
		expect(alice.output).not.toContain('\u001b]2;');
	});
});
