// The built CLI in a pty against the scripted 2015 server (PROTOCOL.md §5),
// over the client's real socket: that server never says that a user left
// unless they sent `exit`; a connection that ends, or a failed command, only
// sends the others an empty-cmd frame naming them. Such a user is shown as
// possibly gone (dimmed in the roster) until they speak again.
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectRaw} from '../helpers/raw-client.js';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';

let fake: Fake2015Server | undefined;

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await fake?.close();
	fake = undefined;
});

/** How the roster row of `name` is drawn: its cells right of the pane's border. */
const rosterCells = (screen: PtyScreen, name: string) => screen.cellsMatching(new RegExp(`│[ *~](${name})\\s*$`));
const isDimmed = (screen: PtyScreen, name: string) => {
	const cells = rosterCells(screen, name);
	return cells !== undefined && cells.every(cell => cell.dim);
};

describe('a 2015 server', () => {
	it('dims a user whose connection ended, and one whose command failed until they speak again', async () => {
		fake = await startFake2015Server();
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(fake.port), '--user', 'alice'], {cols: 100, rows: 30});
		await alice.waitForText('no user list');
		const bob = await connectRaw(fake.port);
		bob.sendFrame({cmd: 'connect', username: 'bob'});
		const carol = await connectRaw(fake.port);
		carol.sendFrame({cmd: 'connect', username: 'carol'});
		await alice.waitFor(() => rosterCells(alice, 'bob') !== undefined && rosterCells(alice, 'carol') !== undefined, 10_000, 'bob and carol in the roster');
		expect(isDimmed(alice, 'bob')).toBe(false);

		// bob's connection ends without exit: the server sends only {"cmd":"","from":"bob"}.
		bob.destroy();
		await alice.waitFor(() => isDimmed(alice, 'bob'), 10_000, 'bob dimmed');
		// carol sends what that server does not implement: she too may have left, as far as anyone can tell.
		carol.sendFrame({cmd: 'get-clients'});
		await alice.waitFor(() => isDimmed(alice, 'carol'), 10_000, 'carol dimmed');
		// Speaking proves presence.
		carol.sendFrame({cmd: 'msg', msg: 'still here'});
		await alice.waitForText(/carol +still here/);
		await alice.waitFor(() => !isDimmed(alice, 'carol'), 10_000, 'carol no longer dimmed');
		expect(isDimmed(alice, 'bob')).toBe(true);
		// In the raw stream: the roster border's SGR 2 (dim) is not ended (SGR 22) before the name.
		expect(alice.output).toMatch(/\x1b\[2m│(?:\x1b\[(?!22m)[\d;]*m)* bob/);
	});
});
