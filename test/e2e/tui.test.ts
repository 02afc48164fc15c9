// The built CLI in a real pseudo-terminal, against a real server, read as a
// person reads the screen.
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

function join(port: number, user: string, size: {cols?: number; rows?: number} = {}): PtyScreen {
	return spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', user], size);
}

/** The roster column: what follows the last "│" on each row. */
function rosterText(screen: PtyScreen): string {
	return screen.lines().map(line => line.split('│').at(-1) ?? '').join('\n');
}

describe('the TUI in a pty', () => {
	it('lets two users exchange messages and see each other in the roster', async () => {
		const server = await startTestServer();
		const alice = join(server.port, 'alice');
		await alice.waitForText('Users (1)');
		const bob = join(server.port, 'bob');
		await bob.waitForText('Users (2)');
		await alice.waitForText('Users (2)');
		expect(rosterText(alice)).toMatch(/alice/);
		expect(rosterText(alice)).toMatch(/bob/);
		await alice.waitForText('bob joined');

		bob.type('hello alice, 日本語 😀\r');
		await alice.waitForText(/\d\d:\d\d bob +hello alice, 日本語 😀/);
		alice.type('hi bob\r');
		await bob.waitForText(/\d\d:\d\d alice +hi bob/);
		// Bob's own line is confirmed (no pending mark once the server acknowledged it).
		await bob.waitFor(() => /bob +hello alice/.test(bob.text()) && !/hello alice.*…/.test(bob.text()), 15_000, 'the sent mark');
		expect(alice.isAlternateScreen()).toBe(true);
	});

	it('shows a /rename on the other user\'s screen', async () => {
		const server = await startTestServer();
		const alice = join(server.port, 'alice');
		const bob = join(server.port, 'bob');
		await alice.waitForText('Users (2)');
		await bob.waitForText('Users (2)');
		bob.type('/rename robert\r');
		// A rename straight after a join alice saw folds into that join (quiet joins).
		await alice.waitForText(/bob is now robert|bob joined, now robert/);
		await alice.waitFor(() => /robert/.test(rosterText(alice)) && !/\bbob\b/.test(rosterText(alice)), 15_000, 'the roster to show robert');
		await bob.waitForText('robert');
	});

	it('keeps a hostile peer\'s escape sequences inert: visible on screen, absent from the bytes', async () => {
		const server = await startTestServer();
		const alice = join(server.port, 'alice');
		await alice.waitForText('Users (1)');
		const mallory = await connectUser(server.port, 'mallory');
		const hostile = 'A\u001b[2J\u001b]0;pwned\u0007B\u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\C\u001b]52;c;ZXZpbA==\u0007D\u009b31mE\u202eF\u2066G\rH\bI';
		mallory.sendFrame({cmd: 'msg', msg: hostile});
		await mallory.expectStatus(true);
		await alice.waitForText('mallory');
		await alice.waitForText('^[');
		const screen = alice.text();
		expect(screen).toContain('A^[[2J^[]0;pwned^GB');
		expect(screen).toContain('<U+009B>31mE<U+202E>F<U+2066>G^MH^HI');
		for (const sequence of ['A\u001b[2J', '\u001b]0;pwned', '\u001b]8;;http', '\u001b]52;', '\u009b', '\u202e', '\u2066', 'pwned\u0007', 'G\rH', 'H\bI']) {
			expect(alice.output).not.toContain(sequence);
		}
	});

	it('reflows on resize and hides the roster below 60 columns', async () => {
		const server = await startTestServer();
		const alice = join(server.port, 'alice', {cols: 100, rows: 24});
		await alice.waitForText('Users (1)');
		const bob = await connectUser(server.port, 'bob');
		bob.sendFrame({cmd: 'msg', msg: 'word '.repeat(30).trim()});
		await bob.expectStatus(true);
		await alice.waitForText('bob');
		alice.resize(50, 20);
		// The roster hides and the long message wraps within 50 columns: no garbage is left behind.
		await alice.waitFor(() => !alice.text().includes('Users (') && !alice.text().includes('│'), 15_000, 'the roster to hide');
		await alice.waitFor(() => alice.text().match(/word/g)?.length === 30, 15_000, 'the message to reflow');
		expect(alice.text().match(/word/g)!.length).toBe(30);
		alice.resize(100, 24);
		await alice.waitForText('Users (2)');
		expect(alice.text().match(/word/g)!.length).toBe(30);
	});

	it('keeps the view still while scrolled up, with a new-messages marker', async () => {
		const server = await startTestServer({rate: 0});
		const alice = join(server.port, 'alice', {cols: 80, rows: 12});
		await alice.waitForText('Users (1)');
		const bob = await connectUser(server.port, 'bob');
		for (let i = 1; i <= 40; i++) bob.sendFrame({cmd: 'msg', msg: `line ${i}`});
		await alice.waitForText('line 40');
		alice.type('\u001b[5~'); // PgUp
		await alice.waitFor(() => !alice.text().includes('line 40'), 15_000, 'the view to scroll up');
		const before = alice.lines().filter(line => /line \d+/.test(line));
		for (let i = 41; i <= 43; i++) bob.sendFrame({cmd: 'msg', msg: `line ${i}`});
		await alice.waitForText(/3 new messages/);
		expect(alice.lines().filter(line => /line \d+/.test(line))).toEqual(before);
		alice.type('\u001b[F'); // End
		await alice.waitForText('line 43');
		await alice.waitFor(() => !/new messages/.test(alice.text()), 15_000, 'the marker to go');
	});

	it('leaves the alternate screen and exits 0 on /quit, and the others see the exit', async () => {
		const server = await startTestServer();
		const alice = join(server.port, 'alice');
		await alice.waitForText('Users (1)');
		const bob = await connectUser(server.port, 'bob');
		await alice.waitForText('Users (2)');
		alice.type('/quit see you\r');
		expect(await alice.waitExit()).toBe(0);
		expect(alice.isAlternateScreen()).toBe(false);
		expect(alice.output).toContain('\u001b[?1049l');
		expect(await bob.nextEvent('client-exit')).toMatchObject({user: 'alice'});
	});

	it('restores the terminal on Ctrl-C', async () => {
		const server = await startTestServer();
		const alice = join(server.port, 'alice');
		await alice.waitForText('Users (1)');
		alice.type('\u0003');
		expect(await alice.waitExit()).toBe(0);
		expect(alice.isAlternateScreen()).toBe(false);
	});

	it('hosts a room with --serve, shows the address others can use, and lets them join', async () => {
		const probe = await startTestServer();
		const {port} = probe;
		await probe.close();
		const host = spawnCli(['--serve', '--port', String(port), '--user', 'host']);
		await host.waitForText(`● 127.0.0.1:${port} (hosting)`);
		await host.waitForText(`connected to 127.0.0.1:${port} (hosting)`);
		const guest = join(port, 'guest');
		await host.waitForText('guest joined');
		await guest.waitForText('Users (2)');
	});
});
