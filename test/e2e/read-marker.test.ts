// The built CLI in a pty against the reference server with its room log:
// where you stopped reading is kept across runs, so the next start shows
// "new since you were here" above the first message that came while you
// were away; reading again (focus back on the terminal) moves it, and with
// nothing new it is not shown. A hostile message under it is shown as
// visible text, and nothing of it is written raw (PROTOCOL.md §7).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRealLogServers, startRealLogServer} from '../helpers/real-log-server.js';
import {expectNothingRaw} from '../helpers/terminal-output.js';

const directory = mkdtempSync(path.join(tmpdir(), 'codechat-read-marker-'));
afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
	await closeRealLogServers();
});
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

const RULE = /── new since you were here ─+/;
const env = {XDG_STATE_HOME: path.join(directory, 'state'), XDG_CONFIG_HOME: path.join(directory, 'config')};

/** The pane's rows that say something, the message rows and the rule, without the sidebar. */
function rowsAround(screen: PtyScreen): string[] {
	return screen.lines().map(line => line.split('│')[0]!.trimEnd()).filter(line => /^\d\d:\d\d bob /.test(line) || RULE.test(line));
}

async function quit(screen: PtyScreen): Promise<void> {
	screen.type('/quit\r');
	expect(await screen.waitExit()).toBe(0);
}

describe('the read marker across runs', () => {
	it('sits above the first message that came while you were away, moves when you read again, and is gone with nothing new', async () => {
		const server = await startRealLogServer();
		await server.fill('bob', ['one', 'two', 'three']);
		const start = () => spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {env});

		// First run: everything is read as it is shown; no rule, nothing was read before.
		const first = start();
		await first.waitForText(/bob +three/);
		expect(first.text()).not.toMatch(RULE);
		await quit(first);

		await server.say('bob', 'four \x1b]0;owned\x07\u202eevil\u200b\x9b2J');
		await server.say('bob', 'five');

		// Second run: the backlog from the server's log, the rule between what was read and what was not.
		const second = start();
		await second.waitForText(/bob +five/);
		await second.waitForText(RULE);
		const rows = rowsAround(second);
		const rule = rows.findIndex(row => RULE.test(row));
		expect(rows[rule - 1]).toMatch(/bob +three$/);
		expect(rows[rule + 1]).toMatch(/bob +four \^\[\]0;owned\^G<U\+202E>evil<U\+200B><U\+009B>2J$/);
		expect(rows[rule + 2]).toMatch(/bob +five$/);
		expectNothingRaw(second);

		// Looking away (the terminal loses focus) and back: what came meanwhile is under the rule now.
		second.type('\x1b[Ox');
		await second.waitForText('> x');
		await server.say('bob', 'six');
		await second.waitForText(/bob +six/);
		second.type('\x1b[I\x15');
		await second.waitFor(() => !second.text().includes('> x'), 10_000, 'the draft cleared');
		const moved = rowsAround(second);
		const movedRule = moved.findIndex(row => RULE.test(row));
		expect(moved[movedRule - 1]).toMatch(/bob +five$/);
		expect(moved[movedRule + 1]).toMatch(/bob +six$/);
		await quit(second);

		// Third run: all of it was read; no rule.
		const third = start();
		await third.waitForText(/bob +six/);
		expect(third.text()).not.toMatch(RULE);
		await quit(third);
	});

	it('counts in the sidebar what a room not on screen was told while you were away, mentions apart', async () => {
		const server = await startTestServer({rate: 0});
		const bob = await connectUser(server.port, 'bob');
		bob.sendFrame({cmd: 'join', room: '#dev'});
		await bob.expectStatus(true);
		bob.sendFrame({cmd: 'msg', room: '#dev', msg: 'before'});
		await bob.expectStatus(true);
		const start = () => spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice', '--room', '#dev'], {cols: 100, rows: 30, env});

		// First run: #dev is read (Alt-2 puts it on screen), then #lobby is shown again.
		const first = start();
		await first.waitForText(/ 2 #dev/);
		first.type('\u001b2');
		await first.waitForText(/bob +before/);
		first.type('\u001b1');
		await first.waitFor(() => /▸1 #lobby/.test(first.text()), 10_000, '#lobby on screen');
		await quit(first);

		bob.sendFrame({cmd: 'msg', room: '#dev', msg: 'while you were out'});
		await bob.expectStatus(true);
		bob.sendFrame({cmd: 'msg', room: '#dev', msg: 'alice: look at this'});
		await bob.expectStatus(true);

		// Second run, #lobby on screen: #dev's two new ones are counted, one of them for her.
		const second = start();
		await second.waitFor(() => /2 #dev\s+2 @1/.test(second.text()), 15_000, '#dev counted 2 @1');
		await quit(second);
	});
});

