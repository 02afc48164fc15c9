// A narrow terminal (40 columns: a phone, a split pane): the sidebar is
// hidden, so the status bar is all that says something came elsewhere.
// The built CLI in a pty against a real server.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli} from '../helpers/pty.js';
import {closeRawClients, connectRaw} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const home = mkdtempSync(path.join(tmpdir(), 'codechat-narrow-'));

afterAll(() => {
	rmSync(home, {recursive: true, force: true});
});

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});


describe('a 40-column terminal', () => {
	it('says in the status bar that messages, and a mention, came in another room', async () => {
		const server = await startTestServer({rate: 0});
		const bob = await connectRaw(server.port);
		bob.sendFrame({cmd: 'connect', username: 'bob', features: ['rooms', 'direct']});
		await bob.expectStatus(true);

		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 40, rows: 20, env: {XDG_CONFIG_HOME: home, XDG_STATE_HOME: home}});
		await alice.waitFor(() => alice.statusBar().includes('#lobby'), 15_000, 'the status bar');
		alice.type('/join #dev\r');
		await alice.waitForText('you joined #dev');
		// No sidebar at this width.
		expect(alice.text()).not.toContain('│');

		bob.sendFrame({cmd: 'msg', msg: 'a word in the lobby'});
		bob.sendFrame({cmd: 'msg', msg: 'alice: are you there?'});
		await alice.waitFor(() => /2\b.*@1|2 unread.*1 for you/.test(alice.statusBar()), 15_000, 'the status bar to count 2 unread, 1 for alice');
		expect(alice.statusBar()).toContain('#dev');
		expect(alice.statusBar().length).toBeLessThanOrEqual(40);
	});
});
