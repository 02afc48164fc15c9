// The shared file in the real TUI: the built CLI in a pty against a real
// server, with raw clients (or a second TUI) as the others. Colours are
// checked in the raw bytes the program wrote; hostile escapes inside the file
// must reach the terminal only as placeholders.
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectUser, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const dirs: string[] = [];
const freshDir = () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-share-e2e-'));
	dirs.push(dir);
	return dir;
};

const fakes: Fake2015Server[] = [];
afterEach(async () => {
	await closePtys();
	await Promise.all(fakes.splice(0).map(async fake => fake.close()));
	await closeRawClients();
	await closeTestServers();
});
afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

const F2 = '\x1bOQ';
const ENTER = '\r';

async function tui(port: number, user: string, env: Record<string, string> = {}, size = {cols: 120, rows: 30}): Promise<PtyScreen> {
	const screen = spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', user], {...size, env});
	await screen.waitForText(/Users \(\d\)/);
	return screen;
}

async function setUp(env: Record<string, string> = {}): Promise<{screen: PtyScreen; peer: RawClient; port: number}> {
	const server = await startTestServer({rate: 0});
	const screen = await tui(server.port, 'alice', env);
	const peer = await connectUser(server.port, 'bob');
	await screen.waitForText('Users (2)');
	return {screen, peer, port: server.port};
}

describe('the shared file in the TUI', () => {
	it('shows an update in one chat line, and F2 opens the highlighted file beside the chat with numbers and changed lines marked', async () => {
		const {screen, peer} = await setUp();
		peer.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main\n\nfunc main() {\n}\n', base: 0});
		await peer.expectStatus(true);
		await screen.waitForText('bob updated main.go to v1 (+4 −0 lines)');
		peer.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n', base: 1});
		await peer.expectStatus(true);
		await screen.waitForText('bob updated main.go to v2 (+3 −0 lines)');

		const before = screen.output.length;
		screen.type(F2);
		await screen.waitForText('main.go v2 by bob · 7 lines');
		const lines = screen.lines();
		const row = lines.findIndex(line => line.includes('3  import "fmt"'));
		expect(row).toBeGreaterThan(0);
		// Beside the chat at 120 columns: the file starts in the right half.
		expect(lines[row]!.indexOf('3  import')).toBeGreaterThan(45);
		expect(lines[row]).toContain('▌');
		// `package` a keyword (magenta, 35), the string green (32), once the grammars have loaded.
		await screen.waitFor(() => /\x1b\[35mpackage/.test(screen.output.slice(before)), 10_000, 'the keyword in magenta');
		expect(screen.output.slice(before)).toMatch(/\x1b\[32m"fmt"/);

		screen.type(F2);
		await screen.waitFor(() => !screen.text().includes('main.go v2 by bob'), 15_000, 'the pane to close');
	});

	it('keeps escapes inside the file and its name inert', async () => {
		const {screen, peer} = await setUp();
		screen.type(F2);
		await screen.waitForText('no shared file in this room yet');
		const before = screen.output.length;
		peer.sendFrame({cmd: 'update-file', name: 'x.txt', msg: 'a\u001b]0;owned\u0007b\u001b[2Jc\u009b31md\u202ee\n', base: 0});
		await peer.expectStatus(true);
		await screen.waitForText('x.txt v1 by bob');
		const drawn = screen.output.slice(before);
		expect(drawn).not.toContain('\u001b]0;owned');
		expect(drawn).not.toContain('\u001b[2J');
		expect(drawn).not.toContain('\u009b');
		expect(drawn).not.toContain('\u202e');
		expect(screen.text()).toMatch(/a\^\[\]0;owned\^Gb\^\[\[2Jc/);
	});

	it('/share uploads a local file, /save writes it and never overwrites without !', async () => {
		const {screen, peer} = await setUp();
		const dir = freshDir();
		writeFileSync(path.join(dir, 'notes.md'), '# Notes\n\n- one\n');
		screen.type(`/share ${path.join(dir, 'notes.md')}${ENTER}`);
		await screen.waitForText('you updated notes.md to v1 (+3 −0 lines)');
		expect(await peer.nextEvent('update-file')).toMatchObject({user: 'alice', name: 'notes.md', msg: '# Notes\n\n- one\n', version: 1});

		writeFileSync(path.join(dir, 'big.txt'), 'x'.repeat(49_153));
		screen.type(`/share ${path.join(dir, 'big.txt')}${ENTER}`);
		await screen.waitForText('it is 49,153 bytes; a shared file holds');

		const out = path.join(dir, 'out.md');
		screen.type(`/save ${out}${ENTER}`);
		await screen.waitForText(/saved notes\.md v1 \(3 lines\) to/);
		expect(readFileSync(out, 'utf8')).toBe('# Notes\n\n- one\n');
		writeFileSync(out, 'mine');
		screen.type(`/save ${out}${ENTER}`);
		await screen.waitForText('exists: /save!');
		expect(readFileSync(out, 'utf8')).toBe('mine');
		screen.type(`/save! ${out}${ENTER}`);
		await screen.waitFor(() => readFileSync(out, 'utf8') === '# Notes\n\n- one\n', 15_000, 'the file to be replaced');
	});

	it('/edit opens $EDITOR on a copy named from the extension, uploads the change with base set; a conflict keeps your copy for the next /edit', async () => {
		const dir = freshDir();
		const opened = path.join(dir, 'opened');
		const editor = path.join(dir, 'editor.sh');
		// A scripted editor: notes the file it was given; with a "wait" file, waits for "go" first; appends a line.
		writeFileSync(editor, [
			'#!/bin/sh',
			`printf '%s\\n' "$1" >> '${opened}'`,
			`if [ -f '${dir}/wait' ]; then rm '${dir}/wait'; while [ ! -f '${dir}/go' ]; do sleep 0.05; done; fi`,
			`printf '// edited\\n' >> "$1"`,
			'',
		].join('\n'));
		chmodSync(editor, 0o755);
		const {screen, peer} = await setUp({EDITOR: editor, VISUAL: ''});
		peer.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main\n', base: 0});
		await peer.expectStatus(true);
		await screen.waitForText('bob updated main.go to v1');

		screen.type(`/edit${ENTER}`);
		await screen.waitForText('you updated main.go to v2 (+1 −0 lines)');
		expect(path.basename(readFileSync(opened, 'utf8').trim())).toBe('shared.go');
		expect(await peer.nextEvent('update-file')).toMatchObject({user: 'alice', msg: 'package main\n// edited\n', version: 2});

		// Alice edits from v2; bob's v3 lands while her editor is open.
		writeFileSync(path.join(dir, 'wait'), '');
		screen.type(`/edit${ENTER}`);
		await screen.waitFor(() => readFileSync(opened, 'utf8').split('\n').length > 2, 10_000, 'the editor to open again');
		peer.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main\n// edited\n// bob\n// bob again\n', base: 2});
		await peer.expectStatus(true);
		writeFileSync(path.join(dir, 'go'), '');
		await screen.waitForText(/main\.go changed before your update: it is v3 now \(\+2 −0 lines since your v2\)\. Your copy is/);
		expect(screen.text()).toMatch(/kept: \/edit reopens it to merge by hand/);

		// The kept copy comes back in the editor, and goes up based on v3.
		screen.type(`/edit${ENTER}`);
		await screen.waitForText('you updated main.go to v4');
		const merged = await peer.nextEvent('update-file');
		expect(merged).toMatchObject({user: 'alice', version: 4, msg: 'package main\n// edited\n// edited\n// edited\n'});
	});

	it('against a 2015 server: the file from connect in the pane, /edit says there are no versions and sends update-file {msg}', async () => {
		const dir = freshDir();
		const editor = path.join(dir, 'editor.sh');
		writeFileSync(editor, `#!/bin/sh\nprintf '// edited\\n' >> "$1"\n`);
		chmodSync(editor, 0o755);
		const fake = await startFake2015Server({sharedFile: 'package main\n'});
		fakes.push(fake);
		const screen = spawnCli(['--host', '127.0.0.1', '--port', String(fake.port), '--user', 'alice'], {cols: 120, rows: 30, env: {EDITOR: editor, VISUAL: ''}});
		await screen.waitForText('2015');
		screen.type(F2);
		await screen.waitForText('the shared file · 1 line');
		expect(screen.text()).toContain('1  package main');
		screen.type(`/edit${ENTER}`);
		await screen.waitForText('this server keeps no versions: your edit');
		await screen.waitForText('you updated the shared file (+1 −0 lines);');
		expect(fake.received.find(entry => entry.frame.cmd === 'update-file')?.frame).toEqual({cmd: 'update-file', msg: 'package main\n// edited\n'});
	});
});
