// The built CLI in a pty: with focus reporting on, a mention (here, of a
// highlight word) that arrives after the terminal reported focus-out is a
// desktop notification; one that arrives while you look at the room rings
// the bell; a direct message while another conversation is on screen is a
// notification too, its text stripped of everything a terminal could act on;
// a terminal without a known notification gets the bell.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const FOCUS_IN = '\x1b[I';
const FOCUS_OUT = '\x1b[O';

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

const directory = mkdtempSync(path.join(tmpdir(), 'codechat-notify-'));
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

/** No variable that names a terminal with notifications, and not inside tmux, unless the test says so. */
const plainTerminal = {TERM_PROGRAM: '', LC_TERMINAL: '', ITERM_SESSION_ID: '', WEZTERM_PANE: '', GHOSTTY_RESOURCES_DIR: '', TMUX: ''};

function configFile(name: string, text: string): string {
	const file = path.join(directory, name);
	writeFileSync(file, text);
	return file;
}

async function setup(args: string[], env: Record<string, string> = {}) {
	const server = await startTestServer();
	const ann = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'ann', ...args], {env: {...plainTerminal, ...env}});
	await ann.waitForText('Users (1)');
	const bob = await connectUser(server.port, 'bob');
	await ann.waitForText('Users (2)');
	return {ann, bob};
}

/** Reports focus, then types a letter and waits for it: the report was read before anything sent after. */
async function reportFocus(screen: PtyScreen, report: string, letter: string): Promise<void> {
	screen.type(report + letter);
	await screen.waitForText(new RegExp(`> \\w*${letter}`));
}

const desktopNotifications = (output: string) => output.match(/\x1b\](?:777;notify|9);[^\x07]*\x07/g) ?? [];
/** Bells of their own, not the ones that end an OSC sequence. */
const bells = (output: string) => (output.replaceAll(/\x1b\][^\x07]*\x07/g, '').match(/\x07/g) ?? []).length;

describe('notifications in a pty', () => {
	it('notifies for a highlight word after focus-out, and rings the bell once focus is back', async () => {
		const file = configFile('osc777.toml', '[notifications]\nmethod = "osc777"\n');
		const {ann, bob} = await setup(['--config', file, '--highlight', 'deploy']);
		expect(ann.output).toContain('\x1b[?1004h');

		await reportFocus(ann, FOCUS_OUT, 'x');
		bob.sendFrame({cmd: 'msg', msg: 'the deploy is \x1b]0;owned\x07done'});
		await ann.waitFor(() => desktopNotifications(ann.output).length === 1, 10_000, 'the desktop notification');
		expect(desktopNotifications(ann.output)).toEqual(['\x1b]777;notify;bob in #lobby;the deploy is ]0;owneddone\x07']);
		expect(bells(ann.output)).toBe(0);

		await reportFocus(ann, FOCUS_IN, 'y');
		// The reports are not keys: the draft holds only what was typed.
		expect(ann.text()).toContain('> xy');
		bob.sendFrame({cmd: 'msg', msg: 'ann: deploy again'});
		await ann.waitFor(() => bells(ann.output) === 1, 10_000, 'the bell');
		expect(desktopNotifications(ann.output)).toHaveLength(1);

		// Not a mention: nothing.
		bob.sendFrame({cmd: 'msg', msg: 'nothing for you'});
		await ann.waitForText('nothing for you');
		ann.type('\x15/quit\r');
		expect(await ann.waitExit()).toBe(0);
		expect(bells(ann.output)).toBe(1);
		expect(desktopNotifications(ann.output)).toHaveLength(1);
		// Focus reporting is off again after the last time it was turned on.
		expect(ann.output.lastIndexOf('\x1b[?1004l')).toBeGreaterThan(ann.output.lastIndexOf('\x1b[?1004h'));
	});

	it('notifies for a direct message, and a mention in another room, while another conversation is on screen, with our own text only', async () => {
		const file = configFile('osc777-direct.toml', '[notifications]\nmethod = "osc777"\n');
		const {ann, bob} = await setup(['--config', file]);
		// Focused, looking at #lobby: the direct conversation is not on screen.
		bob.sendFrame({cmd: 'msg', to: 'ann', msg: 'psst \x1b]0;owned\x07\u202eevil\u200b\x9b2J\r\nline two\u2066'});
		await ann.waitFor(() => desktopNotifications(ann.output).length === 1, 10_000, 'the desktop notification');
		expect(desktopNotifications(ann.output)).toEqual(['\x1b]777;notify;bob, to you;psst ]0;ownedevil2J line two\x07']);
		expect(bells(ann.output)).toBe(0);
		await ann.waitForText(/2 bob +1 @1/);

		// Looking at #dev, a mention in #lobby: a notification too.
		ann.type('/join #dev\r');
		await ann.waitForText('▸2 #dev');
		bob.sendFrame({cmd: 'msg', msg: 'ann: over in the lobby'});
		await ann.waitFor(() => desktopNotifications(ann.output).length === 2, 10_000, 'the second notification');
		expect(desktopNotifications(ann.output)[1]).toBe('\x1b]777;notify;bob in #lobby;ann: over in the lobby\x07');
		expect(bells(ann.output)).toBe(0);
	});

	it('rings the bell where the terminal shows no notification', async () => {
		const {ann, bob} = await setup([]);
		await reportFocus(ann, FOCUS_OUT, 'x');
		bob.sendFrame({cmd: 'msg', msg: 'ann: are you there?'});
		await ann.waitFor(() => bells(ann.output) === 1, 10_000, 'the bell');
		await ann.waitForText('are you there?');
		expect(desktopNotifications(ann.output)).toHaveLength(0);
	});

	it('goes through tmux passthrough inside tmux, for a terminal known by its variables', async () => {
		const {ann, bob} = await setup([], {TMUX: '/tmp/tmux-1000/default,1234,0', TERM_PROGRAM: 'tmux', ITERM_SESSION_ID: 'w0t0p0:1'});
		await reportFocus(ann, FOCUS_OUT, 'x');
		bob.sendFrame({cmd: 'msg', msg: 'ann: ping'});
		await ann.waitFor(() => ann.output.includes('\x1bPtmux;'), 10_000, 'the passthrough');
		expect(ann.output).toContain('\x1bPtmux;\x1b\x1b]9;bob in #lobby: ann: ping\x07\x1b\\\x07');
	});
});
