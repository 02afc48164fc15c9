// Each room has its own shared file (PROTOCOL.md §12): the built CLI in a pty
// against a real server, a raw client as the other member. /share, the F2
// pane and the "updated" line act on the room on screen, never on #lobby's.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectRaw} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'codechat-room-files-'));

afterAll(() => {
	rmSync(dir, {recursive: true, force: true});
});

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

const F2 = '\x1bOQ';
const ALT = '\u001b';
/** The message pane beside the file: what comes before the first "│" on each row. */
const chat = (screen: PtyScreen) => screen.lines().map(line => line.split('│')[0] ?? '').join('\n');

describe('a shared file per room', () => {
	it('/share in #dev updates #dev\'s file; #lobby keeps its own, in the pane and on the server', async () => {
		const server = await startTestServer({rate: 0});
		const bob = await connectRaw(server.port);
		bob.sendFrame({cmd: 'connect', username: 'bob', features: ['rooms', 'file']});
		await bob.expectStatus(true);
		bob.sendFrame({cmd: 'update-file', name: 'lobby.md', msg: '# the lobby\n', base: 0});
		await bob.expectStatus(true);
		bob.sendFrame({cmd: 'join', room: '#dev'});
		await bob.expectStatus(true);

		const file = path.join(dir, 'dev.ts');
		writeFileSync(file, 'export const dev = 1;\n');
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 140, rows: 30, env: {XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir}});
		await alice.waitForText('Users (2)');
		alice.type(F2);
		await alice.waitForText('lobby.md v1 by bob');
		alice.type('/join #dev\r');
		await alice.waitForText('you joined #dev');
		// #dev has no file yet: the pane says so, rather than showing #lobby's.
		await alice.waitForText('no shared file in this room yet');

		alice.type(`/share ${file}\r`);
		await alice.waitForText('you updated dev.ts to v1 (+1 −0 lines)');
		await alice.waitForText('dev.ts v1 by you');
		const event = await bob.nextEvent('update-file');
		expect(event).toMatchObject({room: '#dev', name: 'dev.ts', version: 1});
		bob.sendFrame({cmd: 'get-file'});
		expect(await bob.expectStatus(true)).toMatchObject({file: {name: 'lobby.md', version: 1}});

		// Back in #lobby: its own file in the pane, and nothing said there of #dev's.
		alice.type(`${ALT}1`);
		await alice.waitFor(() => alice.statusBar().includes('#lobby'), 15_000, '#lobby on screen');
		await alice.waitForText('lobby.md v1 by bob');
		expect(chat(alice)).not.toContain('dev.ts');

		// An update of #dev's file by bob, while alice looks at #lobby, changes #dev's only.
		bob.sendFrame({cmd: 'update-file', room: '#dev', name: 'dev.ts', msg: 'export const dev = 2;\n', base: 1});
		await bob.expectStatus(true);
		alice.type(`${ALT}2`);
		await alice.waitForText('dev.ts v2 by bob');
		await alice.waitForText('bob updated dev.ts to v2 (+1 −1 lines)');
		alice.type(`${ALT}1`);
		await alice.waitForText('lobby.md v1 by bob');
		expect(chat(alice)).not.toContain('dev.ts');

		// Joining a room that has a file: its join says so, and the pane shows that one.
		bob.sendFrame({cmd: 'join', room: '#ops'});
		await bob.expectStatus(true);
		bob.sendFrame({cmd: 'update-file', room: '#ops', name: 'ops.sh', msg: 'echo ops\n', base: 0});
		await bob.expectStatus(true);
		alice.type('/join #ops\r');
		await alice.waitForText('ops.sh v1 by bob');

		// A direct conversation has none: the pane says so, and /share uploads nothing.
		alice.type('/query bob\r');
		await alice.waitForText('a direct conversation has no shared file');
		alice.type(`/share ${file}\r`);
		await alice.waitFor(() => alice.lines().filter(line => line.includes('a direct conversation has no shared file')).length === 2, 15_000, 'the refusal in the chat');
	});

	it('beside the chat, a rule parts the file from the messages', async () => {
		const server = await startTestServer({rate: 0});
		const bob = await connectRaw(server.port);
		bob.sendFrame({cmd: 'connect', username: 'bob', features: ['rooms', 'file']});
		await bob.expectStatus(true);
		bob.sendFrame({cmd: 'update-file', name: 'notes.txt', msg: 'first line of the notes\n', base: 0});
		await bob.expectStatus(true);
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 140, rows: 20, env: {XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir}});
		await alice.waitForText('Users (2)');
		// A line as wide as the chat's half, so that nothing but the rule could part it from the file.
		bob.sendFrame({cmd: 'msg', msg: 'w'.repeat(300)});
		await alice.waitForText('wwwwwwwwww');
		alice.type(F2);
		await alice.waitForText('notes.txt v1 by bob');
		// 140 columns: the sidebar takes 20, the chat 60 of the 120 left, then the rule, then the file.
		const rows = alice.lines().slice(0, 15);
		for (const row of rows) expect(row[60], row).toBe('│');
		expect(rows.find(row => row.includes('first line of the notes'))?.indexOf('first line')).toBeGreaterThan(61);
	});
});
