// Hostile strings as messages (through the real server) and as names
// (through the 2015-dialect server, which accepts any name), into the real
// TUI in a pty: the screen shows their visible forms, and the bytes written
// to the terminal carry none of them.
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';
import {hostileStrings} from '../helpers/hostile-strings.js';
import {expectNothingRaw} from '../helpers/terminal-output.js';
import {sanitizeLine} from '../../source/text/sanitize.js';

let fake: Fake2015Server | undefined;

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
	await fake?.close();
	fake = undefined;
});

function join(port: number, user: string): PtyScreen {
	return spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', user], {cols: 200, rows: 50});
}

describe('escape-sequence injection into the real TUI', () => {
	it('shows hostile messages as visible text and writes none of them raw', async () => {
		const server = await startTestServer({rate: 0});
		const alice = join(server.port, 'alice');
		await alice.waitForText('Users (1)');
		const mallory = await connectUser(server.port, 'mallory');
		for (const [index, hostile] of hostileStrings.entries()) {
			mallory.sendFrame({cmd: 'msg', msg: hostile.text});
			mallory.sendFrame({cmd: 'msg', msg: `end of ${index}`});
			await alice.waitForText(`end of ${index}`);
			// The raw CSI sequences Ink writes could hide a hostile one, so their effect is checked on screen.
			if (hostile.visible !== '') expect(alice.text(), hostile.name).toContain(hostile.visible);
			// A hostile sequence must not have cleared, moved or hidden anything: the previous marker is still there.
			if (index > 0 && hostile.text.length < 200) expect(alice.text(), hostile.name).toContain(`end of ${index - 1}`);
		}

		// Ink writes CSI sequences of its own, so a raw hostile CSI cannot be told from them by bytes;
		// its visible form on screen, and the previous marker surviving it, prove it was made inert.
		expectNothingRaw(alice);
	});

	it('shows hostile names as visible text in the pane and the roster, and writes none of them raw', async () => {
		fake = await startFake2015Server();
		const alice = join(fake.port, 'alice');
		await alice.waitForText('roster may be incomplete');
		const names = hostileStrings.filter(hostile => hostile.text.length <= 60);
		for (const [index, hostile] of names.entries()) {
			const peer = await connectRaw(fake.port);
			peer.sendFrame({cmd: 'connect', username: hostile.text});
			peer.sendFrame({cmd: 'msg', msg: `said by ${index}`});
			await alice.waitForText(`said by ${index}`);
			const shown = sanitizeLine(hostile.text);
			const line = alice.lines().find(row => row.includes(`said by ${index}`))!;
			expect(line, hostile.name).toContain(shown.slice(0, 40));
		}

		expectNothingRaw(alice);
	});
});
