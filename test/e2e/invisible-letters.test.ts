// Hangul fillers in the real TUI in a pty. A terminal draws U+3164 two
// columns wide while a width table that skips default-ignorable code points
// counts it as none, so a row of them pushed the end of a message off the
// screen ("… to account 1234 NOT-9999" lost its account). They are shown as
// visible placeholders, measured as drawn, and nothing is pushed out.
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli} from '../helpers/pty.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';

let fake: Fake2015Server | undefined;

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
	await fake?.close();
	fake = undefined;
});

const COLS = 80;

describe('Hangul fillers in the real TUI', () => {
	it('shows fillers in a message as placeholders and keeps the end of the row on screen', async () => {
		const server = await startTestServer({rate: 0});
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: COLS, rows: 30});
		await alice.waitForText('Users (1)');
		const mallory = await connectUser(server.port, 'mallory');
		mallory.sendFrame({cmd: 'msg', msg: `pay 100 EUR ${'\u3164'.repeat(10)} to account 1234 NOT-9999`});
		mallory.sendFrame({cmd: 'msg', msg: 'end of test'});
		await alice.waitForText('end of test');

		const screen = alice.text();
		expect(screen).toContain('<U+3164>');
		expect(screen).toContain('NOT-9999');
		// No row is wider than the terminal: nothing was drawn past the edge and wrapped by the terminal itself.
		expect(screen).not.toContain('\u3164');
		for (const line of alice.lines()) expect(line.length, line).toBeLessThanOrEqual(COLS);
	});

	it('shows a name made of letters and fillers, from a server that accepts any name, as visibly different', async () => {
		fake = await startFake2015Server();
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(fake.port), '--user', 'alice'], {cols: COLS, rows: 30});
		await alice.waitForText('roster may be incomplete');
		const impostor = await connectRaw(fake.port);
		impostor.sendFrame({cmd: 'connect', username: 'bob\u3164'});
		impostor.sendFrame({cmd: 'msg', msg: 'i am bob'});
		await alice.waitForText('i am bob');
		const line = alice.lines().find(row => row.includes('i am bob'))!;
		expect(line).toContain('bob<U+3164>');
		// The roster beside the pane shows it the same way.
		expect(alice.lines().some(row => row.includes(' bob<U+3164>'))).toBe(true);
	});
});
