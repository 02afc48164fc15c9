// A server that sends one message of about 1 MB (under the client's 1 MiB
// frame limit), into the built CLI in a real pty: the TUI shows its head and
// counts the rest, stays responsive, and a signal that arrives while the
// message is being handled still restores the terminal and ends the process.
import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {startHostileServer, type HostilePeer, type HostileServer} from '../helpers/hostile-server.js';

let server: HostileServer | undefined;

afterEach(async () => {
	await closePtys();
	await server?.close();
	server = undefined;
});

/** Mixed scripts, so that the slow path of grapheme segmentation is taken all along. */
const HUGE_TEXT = 'héllo wörld 漢字 😀 '.repeat(40_000).slice(0, 700_000);
const HUGE_CODE_POINTS = [...HUGE_TEXT].length;

async function connected(): Promise<{screen: PtyScreen; peer: HostilePeer}> {
	server = await startHostileServer();
	const screen = spawnCli(['--host', '127.0.0.1', '--port', String(server.port), '--user', 'alice']);
	const peer = await server.nextConnection();
	await screen.waitForText('Users (1)');
	return {screen, peer};
}

async function sendHuge(peer: HostilePeer): Promise<void> {
	const frame = JSON.stringify({cmd: 'message', user: 'mallory', msg: HUGE_TEXT}) + '\n';
	expect(Buffer.byteLength(frame)).toBeGreaterThan(900_000);
	expect(Buffer.byteLength(frame)).toBeLessThan(1024 * 1024);
	await peer.send(frame);
}

/** CPU time (user + system) a process has used, from Linux's /proc, in clock ticks (about 10 ms). */
function cpuTicks(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

/** The modes the TUI set are all reset, and nothing but a cursor show follows the leaving of the alternate screen. */
function expectTerminalRestored(screen: PtyScreen): void {
	const {output} = screen;
	expect(screen.isAlternateScreen()).toBe(false);
	expect(output.lastIndexOf('\u001b[?1049l')).toBeGreaterThan(output.lastIndexOf('\u001b[?1049h'));
	expect(output.lastIndexOf('\u001b[?2004l')).toBeGreaterThan(output.lastIndexOf('\u001b[?2004h'));
	expect(output.lastIndexOf('\u001b[?25h')).toBeGreaterThan(output.lastIndexOf('\u001b[?25l'));
	expect(output.slice(output.lastIndexOf('\u001b[?1049l') + '\u001b[?1049l'.length)).toMatch(/^(?:\u001b\[\?25h)*$/);
}

describe('one huge message into the TUI in a pty', () => {
	it('shows its head with a count of the rest, and stays responsive', async () => {
		const {screen, peer} = await connected();
		await sendHuge(peer);
		await peer.sendFrame({cmd: 'message', user: 'mallory', msg: 'after the flood'});
		await screen.waitForText('after the flood');
		const hidden = HUGE_CODE_POINTS - 16_384;
		expect(screen.text()).toContain(`… ${hidden.toLocaleString('en-US')} more characters`);
		screen.type('\u0003');
		expect(await screen.waitExit()).toBe(0);
		expectTerminalRestored(screen);
	});

	for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
		it(`ends on ${signal} that comes while the message is handled, with the terminal restored`, async () => {
			const {screen, peer} = await connected();
			const idle = cpuTicks(screen.pid);
			await sendHuge(peer);
			// The signal is sent once the client has been busy with the message for half a second, or is done with it.
			await screen.waitFor(() => cpuTicks(screen.pid) - idle >= 50 || screen.text().includes('more characters'), 10_000, 'the client to take up the message');
			screen.kill(signal);
			expect(await screen.waitExit()).toBe(code);
			expectTerminalRestored(screen);
		});
	}
});
