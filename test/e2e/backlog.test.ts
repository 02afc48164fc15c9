// The built CLI in a pty against a server that keeps the room log (§9): the
// backlog is shown under a rule and neither rings nor counts; a live mention
// does both; scrolling to the top loads older messages under "loading…"; a
// hole past what the server keeps is one line after a reconnect.
import {afterEach, describe, expect, it} from 'vitest';
import type {LogServer} from '../helpers/history-server.js';
import {startRealLogServer} from '../helpers/real-log-server.js';
import {closePtys, spawnCli} from '../helpers/pty.js';

// The reference server with its room log in memory, behind a gate that can cut and hold links.
const startServer = startRealLogServer;

const BELL = '\u0007';
const servers: LogServer[] = [];
afterEach(async () => {
	await closePtys();
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

describe('the backlog in the TUI', () => {
	it('shows the last 50 under a rule, with no bell and no unread count; a live mention rings and counts', async () => {
		const server = await startServer();
		servers.push(server);
		await server.fill('bob', Array.from({length: 60}, (_, index) => (index % 10 === 9 ? `alice: look ${index + 1}` : `old ${index + 1}`)));
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {rows: 20});
		await alice.waitForText('50 earlier messages above');
		await alice.waitForText('alice: look 60');
		expect(alice.text()).not.toMatch(/\bold 10\b/);
		// Scrolled up, the marker counts what came since: nothing yet.
		alice.type('\u001b[5~');
		await alice.waitForText('more below ↓ (End)');
		expect(alice.output).not.toContain(BELL);

		await server.say('carol', 'alice: are you there?');
		await alice.waitForText('1 new message (1 for you)');
		await alice.waitFor(() => alice.output.includes(BELL), 15_000, 'the bell for a live mention');
	});

	it('scrolling to the oldest message loads the page before it, with "loading…" while it comes', async () => {
		const server = await startServer();
		servers.push(server);
		await server.fill('bob', Array.from({length: 60}, (_, index) => `old ${index + 1}`));
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice', '--backlog', '5'], {rows: 20});
		await alice.waitForText('5 earlier messages above');
		const held = server.holdHistory();
		alice.type('\u001b[1;5H');
		await alice.waitForText('loading…');
		const during = alice.lines().filter(line => /old 5[6-9]|old 60/.test(line));
		held.release();
		await alice.waitForText(/old 55\b/);
		expect(alice.text()).not.toContain('loading…');
		// The rows on screen before the page came are still where they were.
		expect(alice.lines().filter(line => /old 5[6-9]|old 60/.test(line))).toEqual(during);
	});

	it('after a reconnect, says in one line how many messages were missed for good, then shows what the server kept', async () => {
		const server = await startRealLogServer({history: 20});
		servers.push(server);
		await server.fill('bob', ['before the drop']);
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {rows: 40});
		await alice.waitForText('before the drop');
		server.refuse(true);
		server.dropAll();
		await alice.waitForText('reconnecting');
		await server.fill('bob', Array.from({length: 50}, (_, index) => `away ${index + 1}`));
		server.refuse(false);
		await alice.waitForText('away 50', 20_000);
		// Seqs 2..31 were trimmed (the server keeps 32..51).
		expect(alice.text().split('30 messages missed: the server keeps the last 20')).toHaveLength(2);
		expect(alice.text()).toMatch(/\baway 31\b/);
		expect(alice.text()).not.toMatch(/\baway 30\b/);
	});
});
