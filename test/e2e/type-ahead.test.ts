// Keys typed ahead: several keys in one read (a fast typist, a terminal macro,
// `tmux send-keys`), the first of them changing the conversation on screen.
// What follows the switch must go to the conversation switched to, not to the
// one left, in the built CLI against a real server.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli} from '../helpers/pty.js';
import {closeRawClients, connectRaw, type Frame} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';

const configHome = mkdtempSync(path.join(tmpdir(), 'codechat-type-ahead-'));

afterAll(() => {
	rmSync(configHome, {recursive: true, force: true});
});

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

const ALT = '\u001b';
const CTRL_G = '\u0007';

describe('keys typed ahead of a conversation switch', () => {
	it('go to the conversation switched to: Alt-N, Ctrl-G, Alt-→ and /join, each followed by a line in the same write', async () => {
		const server = await startTestServer({rate: 0});
		// Bob listens in every room, to see where each of alice's lines lands.
		const bob = await connectRaw(server.port);
		bob.sendFrame({cmd: 'connect', username: 'bob', features: ['rooms', 'direct']});
		await bob.expectStatus(true);
		for (const room of ['#dev', '#ops']) {
			bob.sendFrame({cmd: 'join', room});
			await bob.expectStatus(true);
		}
		const heard = new Map<string, string>();
		const listen = async () => {
			for (;;) {
				// Ends when the socket closes (nextEvent then throws).
				const event: Frame = await bob.nextEvent('message', 60_000);
				if (event.user === 'alice') heard.set(String(event.msg), typeof event.room === 'string' ? event.room : '#lobby');
			}
		};
		void listen().catch(() => undefined);

		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 100, rows: 30, env: {XDG_CONFIG_HOME: configHome, XDG_STATE_HOME: configHome}});
		await alice.waitForText('Users (2)');
		alice.type('/join #dev\r');
		await alice.waitForText('you joined #dev');

		const landsIn = async (text: string, room: string) => {
			await waitUntil(() => heard.has(text), 15_000, `bob to hear "${text}"`);
			expect(heard.get(text), text).toBe(room);
		};

		// On #dev: Alt-1 and a line at once.
		alice.type(`${ALT}1to the lobby\r`);
		await landsIn('to the lobby', '#lobby');
		// On #lobby: the quick switcher, its query, Enter, and a line, at once.
		alice.type(`${CTRL_G}dev\rto dev\r`);
		await landsIn('to dev', '#dev');
		// On #dev: a /join and a line at once: the line is said in the room joined.
		alice.type('/join #ops\rto ops\r');
		await landsIn('to ops', '#ops');
		// On #ops: Alt-← (back to #dev) and a line.
		alice.type(`${ALT}\u001b[Dback in dev\r`);
		await landsIn('back in dev', '#dev');
		// And the draft typed after a switch stays with the room switched to.
		const statusBar = () => alice.lines().find(line => line.startsWith(' ●')) ?? '';
		alice.type(`${ALT}1half typed`);
		await alice.waitFor(() => statusBar().includes('#lobby') && alice.text().includes('> half typed'), 15_000, 'the draft in #lobby');
		alice.type(`${ALT}2`);
		await alice.waitFor(() => !alice.text().includes('> half typed'), 15_000, 'an empty line in #dev');
		alice.type(`${ALT}1`);
		await alice.waitForText('> half typed');
	});

	it('reach the code viewer opened, and the input line once it is closed: Ctrl-V, q and a draft in one write', async () => {
		const server = await startTestServer({rate: 0});
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 100, rows: 30, env: {XDG_CONFIG_HOME: configHome, XDG_STATE_HOME: configHome}});
		await alice.waitForText('Users (1)');
		alice.type('```ts\u001b\rconst answer = 42;\u001b\r```\r');
		await alice.waitForText('const answer = 42;');
		const viewerTitle = /^ ts · 1 line/m;
		alice.type('\u0016qnext draft');
		await alice.waitForText('> next draft');
		expect(alice.text()).not.toMatch(viewerTitle);
		expect(alice.text()).not.toContain('qnext');
		// And the viewer takes what follows its opening: here its own q, not the draft's.
		alice.type('\u0015\u0016q');
		alice.type('x');
		await alice.waitForText('> x');
		expect(alice.text()).not.toMatch(viewerTitle);
	});
});
