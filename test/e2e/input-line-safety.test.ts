// The input line of the built CLI in a real pty, with drafts a person can
// make by pasting: a long one still takes keys at once, one past what a
// draft may hold is refused with a line that says so, and what is typed or
// pasted is drawn as the pane would draw it (placeholders for invisible and
// reordering characters, caret form for controls), while the draft keeps
// the characters and sends them as they were.
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';

let fake: Fake2015Server | undefined;

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
	await fake?.close();
	fake = undefined;
});

const paste = (text: string) => `\x1b[200~${text}\x1b[201~`;
const mixed = 'héllo wörld 漢字 ';

async function room() {
	const server = await startTestServer({rate: 0});
	const bob = await connectUser(server.port, 'bob');
	const alice = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice'], {cols: 100, rows: 30});
	await alice.waitForText('Users (2)');
	return {alice, bob};
}

/** What the program wrote from `from` on. */
const writtenSince = (screen: PtyScreen, from: number) => screen.output.slice(from);

describe('a long draft', () => {
	// Measured on 2 busy cores: a key took about 300 ms in such a draft when every key segmented
	// the whole draft (80 keys: 24 s), and takes about 30 ms now (2.5 s; 5-7.5 s on a heavily
	// loaded machine, too near 10 s). 20 s still tells the two apart.
	it('takes each key at once: 80 keys, each shown before the next is typed, within 20 s of a 16,000-character paste', async () => {
		const {alice} = await room();
		const unit = 'é😀漢👍🏽 ';
		alice.type(paste(unit.repeat(Math.floor(16_000 / [...unit].length))));
		await alice.waitForText(/characters over the 4096-character limit/, 20_000);
		// Each key's echo is awaited before the next is typed, so a slow key delays all that follow.
		const deadline = Date.now() + 20_000;
		for (let count = 1; count <= 80; count++) {
			alice.type('Q');
			// Counted, not matched as a run: the keys wrap onto the next row of the box.
			await alice.waitFor(() => alice.text().split('Q').length - 1 === count, Math.max(1, deadline - Date.now()), `key ${count} to show`);
		}
	});

	it('refuses a paste past four messages\' worth with a line that says so, and the next key shows at once', async () => {
		const {alice} = await room();
		alice.type(paste(mixed.repeat(2500)));
		await alice.waitForText('paste not taken: it would make the draft 37,500 characters; a draft holds 16,384 at most', 10_000);
		alice.type('Z');
		await alice.waitForText('> Z', 10_000);
	});
});

describe('what the input line draws', () => {
	it('shows typed Hangul fillers as placeholders, keeps the end of the row, and sends what was typed', async () => {
		const {alice, bob} = await room();
		const from = alice.output.length;
		const typed = 'A\u3164\u3164\u3164B 1234567890 END';
		alice.type(typed);
		await alice.waitForText('> A<U+3164><U+3164><U+3164>B 1234567890 END');
		expect(writtenSince(alice, from)).not.toContain('\u3164');
		alice.type('\r');
		expect((await bob.nextEvent('message')).msg).toBe(typed);
	});

	it('shows a pasted RLO as a placeholder; the paste\'s ESC never reaches the terminal', async () => {
		const {alice, bob} = await room();
		const from = alice.output.length;
		alice.type(paste('red\x1b[31mX\u202eabc'));
		// A paste drops control characters (a terminal's commands are not text); the RLO stays in the draft.
		await alice.waitForText('> red[31mX<U+202E>abc');
		const written = writtenSince(alice, from);
		expect(written).not.toContain('\u202e');
		expect(written).not.toContain('\x1b[31mX');
		alice.type('\r');
		expect((await bob.nextEvent('message')).msg).toBe('red[31mX\u202eabc');
	});

	it('shows a name with escapes that Tab put in the draft in caret form (a 2015 server lets any name in)', async () => {
		fake = await startFake2015Server();
		const alice = spawnCli(['--host', '127.0.0.1', '--port', String(fake.port), '--user', 'alice'], {cols: 100, rows: 30});
		await alice.waitForText('no user list');
		const mallory = await connectRaw(fake.port);
		mallory.sendFrame({cmd: 'connect', username: 'ev\x1b]0;pwned\x07il'});
		await alice.waitForText('ev^[]0;pwned^Gil');
		const from = alice.output.length;
		alice.type('ev\t');
		await alice.waitForText('> ev^[]0;pwned^Gil:');
		expect(writtenSince(alice, from)).not.toContain('\x1b]0;pwned');
		expect(writtenSince(alice, from)).not.toContain('\x07');
	});
});
