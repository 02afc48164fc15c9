// The input box of the built CLI in a real pty, against a real server: what
// a person types arrives as they typed it, multi-line drafts are seen while
// edited, $EDITOR composes, and leaving never loses silently.
import {existsSync} from 'node:fs';
import {chmod, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectUser, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const ALT_ENTER = '\x1b\r';
const LEFT = '\x1b[D';
const UP = '\x1b[A';
const BACKSPACE = '\x7f';
const CTRL_C = '\x03';
const CTRL_D = '\x04';

const scratch: string[] = [];

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
	for (const directory of scratch.splice(0)) await rm(directory, {recursive: true, force: true});
});

function join(port: number, user: string, env?: Record<string, string>): PtyScreen {
	return spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', user], {cols: 100, rows: 30, env});
}

/** A room with alice in the pty and bob on a raw socket, both seeing each other. */
async function room(env?: Record<string, string>) {
	const server = await startTestServer({rate: 0});
	const bob = await connectUser(server.port, 'bob');
	const alice = join(server.port, 'alice', env);
	await alice.waitForText('Users (2)');
	return {server, alice, bob};
}

async function messagesFrom(bob: RawClient, count: number): Promise<string[]> {
	const texts: string[] = [];
	for (let i = 0; i < count; i++) texts.push((await bob.nextEvent('message')).msg as string);
	return texts;
}

/** The input box: the rows below the status bar (the frame ends one row above the bottom). */
function inputRows(screen: PtyScreen): string[] {
	const lines = screen.lines();
	const status = lines.findLastIndex(line => line.startsWith(' ● ') || line.startsWith(' ⠋') || /^ \S /.test(line));
	// The cursor cell (an inverse space at a line's end) is not text.
	return lines.slice(status + 1, -1).map(line => line.trimEnd());
}

describe('typing in the pty', () => {
	it('text and Enter that arrive in one read are separate messages, in order', async () => {
		const {alice, bob} = await room();
		alice.type('one\rtwo\rthree\r');
		expect(await messagesFrom(bob, 3)).toEqual(['one', 'two', 'three']);
		await bob.sync();
		expect(bob.pendingEvents().filter(event => event.cmd === 'message')).toEqual([]);
		expect(alice.text()).not.toContain('[pasted');
	});

	it('a multi-line draft is shown line by line and edited where the cursor is', async () => {
		const {alice, bob} = await room();
		alice.type('older\r');
		await messagesFrom(bob, 1);
		alice.type(`first${ALT_ENTER}second${BACKSPACE}${BACKSPACE}${LEFT}${LEFT}${LEFT}X`);
		await alice.waitFor(() => inputRows(alice).join('\n') === '> first\n  sXeco', 15_000, 'both lines of the draft');
		alice.type('\r');
		expect(await messagesFrom(bob, 1)).toEqual(['first\nsXeco']);

		// ↑ recalls it, shown the same way, with the cursor at its end; ↑ again moves up a line.
		alice.type(UP);
		await alice.waitFor(() => inputRows(alice).join('\n') === '> first\n  sXeco', 15_000, 'the recalled draft');
		alice.type(`${UP}Z`);
		await alice.waitFor(() => inputRows(alice).join('\n') === '> firstZ\n  sXeco', 15_000, 'typing on its first line');
		// From the first line, ↑ reaches older history.
		alice.type(UP);
		await alice.waitFor(() => inputRows(alice).join('\n') === '> older', 15_000, 'older history from the first line');
	});

	it('the box grows to a third of the screen, then scrolls; a taller paste folds and Ctrl-O shows it', async () => {
		const {alice, bob} = await room();
		const lines = Array.from({length: 15}, (_, i) => `line ${i + 1}`);
		alice.type(`\x1b[200~${lines.join('\r')}\x1b[201~`);
		await alice.waitForText('[pasted 15 lines] (Ctrl-O shows them, Enter sends)');
		alice.type('\x0f');
		// 29 frame rows: the box takes 9 of them, the cursor's row (the last) in sight.
		await alice.waitFor(() => inputRows(alice).at(-1) === '  line 15', 15_000, 'the unfolded paste');
		const box = inputRows(alice);
		expect(box).toHaveLength(9);
		expect(box[0]).toBe('↑ line 7');
		alice.type('\r');
		expect(await messagesFrom(bob, 1)).toEqual([lines.join('\n')]);
	});

	it('Tab offers the most recent speakers first; Shift-Tab cycles back', async () => {
		const {server, alice, bob} = await room();
		const ben = await connectUser(server.port, 'ben');
		const bea = await connectUser(server.port, 'bea');
		await alice.waitForText('Users (4)');
		bea.sendFrame({cmd: 'msg', msg: 'first'});
		await alice.waitForText(/bea +first/);
		bob.sendFrame({cmd: 'msg', msg: 'latest'});
		await alice.waitForText(/bob +latest/);
		void ben;
		alice.type('b\t');
		await alice.waitFor(() => inputRows(alice).join('') === '> bob:', 15_000, 'the latest speaker');
		alice.type('\t');
		await alice.waitFor(() => inputRows(alice).join('') === '> bea:', 15_000, 'the one before');
		alice.type('\t');
		await alice.waitFor(() => inputRows(alice).join('') === '> ben:', 15_000, 'then the others');
		alice.type('\x1b[Z');
		await alice.waitFor(() => inputRows(alice).join('') === '> bea:', 15_000, 'Shift-Tab goes back');
	});
});

describe('Ctrl-X Ctrl-E', () => {
	it('opens $VISUAL on the draft in a private file, with the terminal restored, and puts the result back unsent', async () => {
		const directory = await mkdtemp(path.join(tmpdir(), 'codechat-editor-test-'));
		scratch.push(directory);
		const record = path.join(directory, 'record.txt');
		const script = path.join(directory, 'editor.sh');
		// Records what it was given, then reads one line from the terminal as a person would type it.
		await writeFile(script, [
			'#!/bin/sh',
			'{',
			'  echo "file=$1"',
			'  echo "mode=$(stat -c %a "$1") dir=$(stat -c %a "$(dirname "$1")")"',
			'  echo "password=${CODECHAT_PASSWORD-unset}"',
			'  echo "draft=$(cat "$1")"',
			'  echo "tty=$(stty -a | tr " ;" "\\n\\n" | grep -x -e -icanon -e icanon)"',
			`} > '${record}'`,
			'echo EDITOR READY',
			'read line',
			'printf "%s\\nsecond line\\n" "$line" > "$1"',
			'',
		].join('\n'));
		await chmod(script, 0o700);
		const {alice, bob} = await room({VISUAL: script, EDITOR: '/bin/false', CODECHAT_PASSWORD: 'hunter2'});

		alice.type('my draft');
		await alice.waitForText('> my draft');
		alice.type('\x18\x05');
		await alice.waitForText('EDITOR READY');
		expect(alice.isAlternateScreen()).toBe(false);
		alice.type('typed in the editor\r');
		await alice.waitFor(() => inputRows(alice).join('\n') === '> typed in the editor\n  second line', 15_000, 'the edited draft');
		expect(alice.isAlternateScreen()).toBe(true);
		// The whole frame is back, not just the rows that changed.
		expect(alice.text()).toContain('Users (2)');

		const seen = await readFile(record, 'utf8');
		expect(seen).toContain('mode=600 dir=700');
		expect(seen).toContain('password=unset');
		expect(seen).toContain('draft=my draft');
		expect(seen).toContain('tty=icanon');
		const file = /file=(.*)/.exec(seen)![1]!;
		expect(existsSync(path.dirname(file))).toBe(false);

		// Nothing was sent until Enter.
		await bob.sync();
		expect(bob.pendingEvents().filter(event => event.cmd === 'message')).toEqual([]);
		alice.type('\r');
		expect(await messagesFrom(bob, 1)).toEqual(['typed in the editor\nsecond line']);
	});

	it('an editor that fails leaves the draft as it was and says why', async () => {
		const {alice} = await room({VISUAL: 'exit 3 #'});
		alice.type('keep me\x18\x05');
		await alice.waitForText('the editor exited with status 3: the draft is unchanged');
		expect(inputRows(alice).at(-1)).toBe('> keep me');
	});
});

describe('leaving', () => {
	it('Ctrl-C on a draft clears it; on an empty line it leaves', async () => {
		const {alice} = await room();
		alice.type('half a thought');
		await alice.waitForText('> half a thought');
		alice.type(CTRL_C);
		await alice.waitFor(() => inputRows(alice).join('') === '>', 15_000, 'the draft to go');
		expect(alice.exitCode).toBeUndefined();
		alice.type(CTRL_C);
		expect(await alice.waitExit()).toBe(0);
	});

	it('with messages still pending, leaving says how many would be lost and asks once more', async () => {
		const {server, alice} = await room();
		await server.close();
		await alice.waitForText('reconnecting');
		alice.type('not yet sent\r');
		await alice.waitForText(/alice +not yet sent …/);
		alice.type('/quit\r');
		await alice.waitForText('1 message is not sent yet and would be lost. /quit again to leave.');
		expect(alice.exitCode).toBeUndefined();
		// Any way of leaving confirms.
		alice.type(CTRL_D);
		expect(await alice.waitExit()).toBe(0);
	});

	it('hosting with --serve, leaving while others are in the room asks first', async () => {
		const probe = await startTestServer();
		const {port} = probe;
		await probe.close();
		const host = spawnCli(['--serve', '--port', String(port), '--user', 'host'], {cols: 100, rows: 30});
		await host.waitForText('(hosting)');
		const guest = await connectUser(port, 'guest');
		await host.waitForText('Users (2)');
		host.type(CTRL_C);
		await host.waitForText('you host this room: leaving closes it for 1 other user. Ctrl-C again to leave.');
		await guest.sync();
		expect(guest.isClosed).toBe(false);
		host.type(CTRL_C);
		expect(await host.waitExit()).toBe(0);
		await guest.waitClosed();
	});
});
