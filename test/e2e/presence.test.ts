// /me, /away, /whois and /ignore in the built CLI, in real ptys against a
// real server (PROTOCOL.md §13): bob goes away with a reason and alice sees
// him dimmed, with the reason in /whois; an action shows for the others as
// "* bob …"; /ignore hides bob's lines, and still does after a restart.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

// The ignore list is kept between runs: here, in a folder of this file's own.
const configHome = mkdtempSync(path.join(tmpdir(), 'codechat-presence-e2e-'));
const env = {XDG_CONFIG_HOME: configHome};

afterAll(() => {
	rmSync(configHome, {recursive: true, force: true});
});

afterEach(async () => {
	await closePtys();
	await closeTestServers();
});

function person(port: number, user: string): PtyScreen {
	return spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', user], {cols: 100, rows: 30, env});
}

/** The message pane: what comes before the "│" on each row. */
const pane = (screen: PtyScreen) => screen.lines().map(line => line.split('│')[0] ?? '').join('\n');
/** The sidebar: what follows the last "│" on each row. */
const sidebar = (screen: PtyScreen) => screen.lines().map(line => line.split('│').at(-1) ?? '').join('\n');
const rosterCells = (screen: PtyScreen, name: string) => screen.cellsMatching(new RegExp(`│[ *~+](${name})\\s*$`));
const isDimmed = (screen: PtyScreen, name: string) => {
	const cells = rosterCells(screen, name);
	return cells !== undefined && cells.every(cell => cell.dim);
};

describe('presence in the TUI', () => {
	it('dims bob while away and shows the reason in /whois; /me shows as an action', async () => {
		const server = await startTestServer({rate: 0});
		const alice = person(server.port, 'alice');
		await alice.waitForText('Users (1)');
		const bob = person(server.port, 'bob');
		await alice.waitFor(() => rosterCells(alice, 'bob') !== undefined, 10_000, 'bob in the roster');
		expect(isDimmed(alice, 'bob')).toBe(false);

		bob.type('/away gone fishing\r');
		await bob.waitForText('you are away: gone fishing');
		await alice.waitFor(() => isDimmed(alice, 'bob'), 10_000, 'bob dimmed');
		alice.type('/whois bob\r');
		await alice.waitForText('bob: a guest, away: gone fishing');

		bob.type('/me waves\r');
		await alice.waitForText(/\* bob waves/);
		bob.type('/back\r');
		await bob.waitForText('you are back');
		await alice.waitFor(() => !isDimmed(alice, 'bob'), 10_000, 'bob no longer dimmed');
	});

	it('/ignore hides bob\'s lines, and still does after a restart of the client', async () => {
		const server = await startTestServer({rate: 0});
		let alice = person(server.port, 'alice');
		await alice.waitForText('Users (1)');
		const bob = person(server.port, 'bob');
		await alice.waitFor(() => rosterCells(alice, 'bob') !== undefined, 10_000, 'bob in the roster');
		bob.type('before ignoring\r');
		await alice.waitForText('before ignoring');
		alice.type('/ignore bob\r');
		await alice.waitForText('ignoring bob');
		bob.type('hidden line one\r');
		bob.type('/me hidden action\r');
		// A direct message too: it opens no conversation of bob's.
		bob.type('/msg alice hidden dm\r');
		// A line from carol after bob's shows that his were handled and hidden.
		const carol = person(server.port, 'carol');
		await carol.waitForText('Users (3)');
		carol.type('carol speaks\r');
		await alice.waitForText('carol speaks');
		expect(pane(alice)).not.toMatch(/hidden (line|action|after)/);
		expect(sidebar(alice)).not.toMatch(/^[ ▸]\d bob/m);
		alice.type('/ignore\r');
		await alice.waitForText('Ignored (1): bob (3 hidden)');

		alice.type('/quit\r');
		await alice.waitExit();
		alice = person(server.port, 'alice');
		await alice.waitForText('Users (3)');
		bob.type('hidden after restart\r');
		carol.type('carol again\r');
		await alice.waitForText('carol again');
		expect(pane(alice)).not.toMatch(/hidden (line|action|after)/);
		// The direct conversation bob's message would have opened is not brought back either.
		expect(sidebar(alice)).not.toMatch(/^[ ▸]\d bob/m);
	});

	it('refuses /ignore of yourself, which would hide your own lines from the backlog at the next start', async () => {
		const server = await startTestServer({rate: 0});
		const own = mkdtempSync(path.join(tmpdir(), 'codechat-ignore-self-'));
		try {
			const dana = () => spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'dana'], {cols: 100, rows: 30, env: {XDG_CONFIG_HOME: own}});
			let screen = dana();
			await screen.waitForText('Users (1)');
			screen.type('my own words\r');
			await screen.waitForText('dana my own words');
			screen.type('/ignore Dana\r');
			await screen.waitForText('you cannot ignore yourself');
			screen.type('/quit\r');
			await screen.waitExit();
			screen = dana();
			await screen.waitForText('earlier message');
			expect(pane(screen)).toContain('dana my own words');
		} finally {
			rmSync(own, {recursive: true, force: true});
		}
	});
});
