// More conversations than the sidebar has rows for: the list keeps the one on
// screen in view and folds the rest into "+N more". What came in those must
// still show, or a mention there goes unseen. The built CLI in a pty.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectRaw} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const home = mkdtempSync(path.join(tmpdir(), 'codechat-sidebar-overflow-'));

afterAll(() => {
	rmSync(home, {recursive: true, force: true});
});

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

const sidebar = (screen: PtyScreen) => screen.lines().map(line => line.split('│').at(-1) ?? '').join('\n');

describe('a sidebar with more conversations than rows', () => {
	it('counts what is unread in the hidden ones on its "+N more" row', async () => {
		const server = await startTestServer({rate: 0});
		const bob = await connectRaw(server.port);
		bob.sendFrame({cmd: 'connect', username: 'bob', features: ['rooms', 'direct']});
		await bob.expectStatus(true);
		bob.sendFrame({cmd: 'join', room: '#r1'});
		await bob.expectStatus(true);

		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 100, rows: 14, env: {XDG_CONFIG_HOME: home, XDG_STATE_HOME: home}});
		await alice.waitForText('Users (2)');
		for (let room = 1; room <= 8; room++) {
			alice.type(`/join #r${room}\r`);
			await alice.waitForText(`you joined #r${room}`);
		}
		// #r8 on screen, at the bottom of the list; #r1 is folded away.
		await alice.waitFor(() => /▸ {0,2}\d? ?#r8/.test(sidebar(alice)) && / \+\d+ more/.test(sidebar(alice)), 15_000, 'the list to fold');
		expect(sidebar(alice)).not.toMatch(/#r1\b/);

		bob.sendFrame({cmd: 'msg', room: '#r1', msg: 'alice: over here'});
		bob.sendFrame({cmd: 'msg', room: '#r1', msg: 'and again'});
		await alice.waitFor(() => / \+\d+ more.*2 @1/.test(sidebar(alice)), 15_000, 'the "+N more" row to count 2, 1 for alice');
	});
});
