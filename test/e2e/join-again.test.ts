// /join of a room you are in already (#lobby included) shows it, as a switch
// would, without saying "you joined" again: the built CLI in a pty against a
// real server.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const home = mkdtempSync(path.join(tmpdir(), 'codechat-join-again-'));

afterAll(() => {
	rmSync(home, {recursive: true, force: true});
});

afterEach(async () => {
	await closePtys();
	await closeTestServers();
});

const count = (screen: PtyScreen, text: string) => screen.lines().filter(line => line.includes(text)).length;

describe('/join of a room already open', () => {
	it('shows it and says nothing more', async () => {
		const server = await startTestServer({rate: 0});
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 100, rows: 30, env: {XDG_CONFIG_HOME: home, XDG_STATE_HOME: home}});
		await alice.waitForText('Users (1)');
		alice.type('/join #dev\r');
		await alice.waitForText('you joined #dev');
		alice.type('\u001b1');
		await alice.waitFor(() => alice.statusBar().includes('#lobby'), 15_000, '#lobby on screen');

		alice.type('/join #DEV\r');
		await alice.waitFor(() => alice.statusBar().includes('#dev'), 15_000, '#dev on screen again');
		alice.type('/join #lobby\r');
		await alice.waitFor(() => alice.statusBar().includes('#lobby'), 15_000, '#lobby on screen again');
		// A line typed after them all, answered by the server: anything they said would be above it.
		alice.type('/rooms\r');
		await alice.waitForText(/Rooms \(2\)/);
		expect(count(alice, 'you joined #lobby')).toBe(0);
		alice.type('\u001b2');
		await alice.waitFor(() => alice.statusBar().includes('#dev'), 15_000, '#dev on screen');
		expect(count(alice, 'you joined #dev')).toBe(1);
	});
});
