// The built CLI in a pty with [mouse] wheel = true: mouse reporting (modes
// 1000 and 1006) is on while it runs and off on every way out; raw SGR wheel
// reports scroll the messages, or the user list under the pointer; no report
// reaches the draft. Without the setting the terminal's mouse is left alone.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli} from '../helpers/pty.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';
const wheel = (direction: 'up' | 'down', column: number, row: number) => `\x1b[<${direction === 'up' ? 64 : 65};${column};${row}M`;

const directory = mkdtempSync(path.join(tmpdir(), 'codechat-mouse-'));
const env = {XDG_CONFIG_HOME: path.join(directory, 'config'), XDG_STATE_HOME: path.join(directory, 'state')};
const wheelOn = path.join(directory, 'wheel.toml');
writeFileSync(wheelOn, '[mouse]\nwheel = true\n');

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

/** The pane's rows (left of the sidebar) that hold a message line. */
const shownLines = (lines: string[]) => lines.map(line => line.split('│')[0]!).flatMap(line => /line (\d+)\b/.exec(line)?.[1] ?? []).map(Number);

describe('the mouse wheel', () => {
	it('scrolls the messages and the user list under the pointer, types nothing, and is turned off on /quit', async () => {
		const server = await startTestServer({rate: 0});
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice', '--config', wheelOn], {cols: 100, rows: 20, env});
		await alice.waitForText('Users (1)');
		expect(alice.output).toContain(MOUSE_ON);
		const bob = await connectUser(server.port, 'bob');
		for (let user = 1; user <= 24; user++) await connectUser(server.port, `u${String(user).padStart(2, '0')}`);
		await alice.waitForText('Users (26)');
		for (let line = 1; line <= 40; line++) bob.sendFrame({cmd: 'msg', msg: `line ${line}`});
		await alice.waitFor(() => shownLines(alice.lines()).at(-1) === 40, 10_000, 'line 40 at the bottom');

		// Over the messages: one notch up is three rows into the past.
		alice.type(wheel('up', 10, 5));
		await alice.waitForText('more below ↓ (End)');
		expect(shownLines(alice.lines()).at(-1)).toBe(37);
		alice.type(wheel('down', 10, 5));
		await alice.waitFor(() => !alice.text().includes('more below') && shownLines(alice.lines()).at(-1) === 40, 10_000, 'back at the bottom');

		// Over the user list: it scrolls, the messages stay.
		expect(alice.text()).not.toContain('Users (26) ↑');
		alice.type(wheel('up', 95, 8) + wheel('down', 95, 8));
		await alice.waitForText('Users (26) ↑');
		expect(shownLines(alice.lines()).at(-1)).toBe(40);

		// A click and a release are dropped; nothing of any report is in the draft.
		alice.type('a\x1b[<0;10;5M\x1b[<0;10;5mb');
		await alice.waitForText('> ab');
		expect(alice.text()).not.toMatch(/<\d+;\d+;\d+/);

		alice.type('\x15/quit\r');
		expect(await alice.waitExit()).toBe(0);
		expect(alice.output.lastIndexOf(MOUSE_OFF)).toBeGreaterThan(alice.output.lastIndexOf(MOUSE_ON));
	});

	it('is turned off when a signal ends the client, and never on without the setting', async () => {
		const server = await startTestServer();
		const on = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice', '--config', wheelOn], {env});
		await on.waitForText('Users (1)');
		on.kill('SIGTERM');
		await on.waitExit();
		expect(on.output.lastIndexOf(MOUSE_OFF)).toBeGreaterThan(on.output.lastIndexOf(MOUSE_ON));

		const off = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'bob', '--config', '/dev/null'], {env});
		await off.waitForText('Users (1)');
		off.type('/quit\r');
		expect(await off.waitExit()).toBe(0);
		expect(off.output).not.toContain('\x1b[?1000h');
		expect(off.output).not.toContain('\x1b[?1006h');
	});
});
