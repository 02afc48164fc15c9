// The status bar of the built CLI in a real pty: at 180 columns nothing is cut
// with …, while reconnecting no user count is shown, and a narrow terminal
// loses whole parts instead.
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

/** The status bar is the row that starts with the connection state's mark. */
function statusRow(screen: PtyScreen): string {
	return (screen.lines().find(line => /^ [●○⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /.test(line)) ?? '').trimEnd();
}

describe('the status bar in a pty', () => {
	it('at 180 columns shows every part uncut, and no user count while reconnecting', async () => {
		const server = await startTestServer();
		await connectUser(server.port, 'bob');
		const screen = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 180, rows: 20});
		await screen.waitFor(() => statusRow(screen).includes('2 users'), 10_000, 'the bar to count 2 users');
		expect(statusRow(screen)).toMatch(new RegExp(`^ ● 127\\.0\\.0\\.1:${server.port} · #lobby · alice · 2 users( · lag \\d+ ms)?$`));

		// A restart: the server says it will be back, so the client retries at its usual pace.
		await server.close({reason: 'restarting', reconnect: true});
		// The first retry meets a closed port: its reason is the long "cannot reach … restarting; retrying" line
		// (no advice to host a server of our own: this one was here a moment ago).
		await screen.waitFor(() => /attempt (?:[2-9]|\d{2,})\b/.test(statusRow(screen)) && statusRow(screen).includes('restarting; retrying'), 20_000, 'the bar to show a second (or later) attempt and why');
		const row = statusRow(screen);
		expect(row).not.toContain('…');
		expect(row).not.toMatch(/\d users?\b|lag/);
		// The server's address is the first to go when the reason is long; the reason names it anyway.
		expect(row).toMatch(/reconnecting in \d+(\.\d)? s, attempt \d+ · (127\.0\.0\.1:\d+ · )?#lobby · alice · cannot reach 127\.0\.0\.1:\d+ \(connection refused\)/);
	});

	it('at 60 columns leaves out whole parts instead of cutting one', async () => {
		const server = await startTestServer();
		const screen = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 60, rows: 20});
		await screen.waitFor(() => statusRow(screen).includes('1 user'), 10_000, 'the bar to count 1 user');
		// A restart: the server says it will be back, so the client retries at its usual pace.
		await server.close({reason: 'restarting', reconnect: true});
		// Under load the poll may miss attempt 2 itself: any later attempt shows the same parts.
		await screen.waitFor(() => /attempt (?:[2-9]|\d{2,})\b/.test(statusRow(screen)), 20_000, 'the bar to show a second (or later) attempt');
		const row = statusRow(screen);
		expect(row).not.toContain('…');
		expect(row).toMatch(/reconnecting in \d+(\.\d)? s, attempt \d+ · .*alice/);
	});
});
