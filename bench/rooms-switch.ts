// Switching rooms in the TUI (issue figure: ≤ 50 ms, pty, median): the built
// CLI in a pty is in three rooms of 10,000 messages each, said by a raw
// client while it watched; Alt-2/3/4 in turn, timed from the key written to
// the pty to the chunk of output that draws the newest message of the room
// switched to (a marker only that room's last message holds).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startServer} from '../source/server/server.js';
import {connectUser} from '../test/helpers/raw-client.js';
import {PtySession} from './pty-session.js';
import {median, percentile} from './stats.js';

export type RoomsSwitchFigures = {
	rooms: number;
	messagesPerRoom: number;
	switches: number;
	medianMs: number;
	p90Ms: number;
	maxMs: number;
};

const ROOMS = ['#r1', '#r2', '#r3'];
const lastMarker = (index: number) => `zz${index + 1}lastzz`;

export async function benchRoomsSwitch(messagesPerRoom = 10_000, switches = 30): Promise<RoomsSwitchFigures> {
	const server = await startServer({port: 0, host: '127.0.0.1', rate: 0, quiet: true, maxSendQueueBytes: 64 * 1024 * 1024});
	// The TUI keeps the rooms it has open between runs: in a folder of the bench's own, not the user's.
	const configHome = mkdtempSync(path.join(tmpdir(), 'codechat-bench-rooms-'));
	const savedConfigHome = process.env.XDG_CONFIG_HOME;
	process.env.XDG_CONFIG_HOME = configHome;
	const tui = new PtySession({cols: 100, rows: 30, args: ['--host', '127.0.0.1', '--port', String(server.port), '--user', 'bench']});
	if (savedConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
	else process.env.XDG_CONFIG_HOME = savedConfigHome;
	const writer = await connectUser(server.port, 'writer');
	try {
		await tui.waitForOutput(`connected to 127.0.0.1:${server.port}`);
		for (const room of ROOMS) {
			tui.type(`/join ${room}\r`);
			await tui.waitForScreen(new RegExp(`\\d ${room}\\b`));
			writer.sendFrame({cmd: 'join', room});
			await writer.expectStatus(true);
		}
		// Back to #lobby, so every room's messages come while it is not on screen.
		tui.type('\u001b1');
		await tui.waitForScreen(/▸1 #lobby/);
		for (const [index, room] of ROOMS.entries()) {
			for (let n = 1; n < messagesPerRoom; n++) writer.sendFrame({cmd: 'msg', room, msg: `${room} message ${n}`});
			writer.sendFrame({cmd: 'msg', room, msg: lastMarker(index)});
			for (let n = 0; n < messagesPerRoom; n++) await writer.expectStatus(true, undefined, 60_000);
		}
		// Each room once, so what is measured is a switch, not the first layout of a room.
		for (const index of ROOMS.keys()) {
			tui.type(`\u001b${index + 2}`);
			await tui.waitForScreen(lastMarker(index), 60_000);
		}
		await tui.quiet(300);

		const times: number[] = [];
		for (let round = 0; round < switches; round++) {
			// Never the room on screen: 1, 2, 0, 1, 2, 0, … after the warm-up ended on the last.
			const index = round % ROOMS.length;
			const marker = lastMarker(index);
			let seen = '';
			const drawn = tui.until(data => {
				seen = (seen + data).slice(-4096);
				return seen.includes(marker);
			}, 10_000);
			const pressed = performance.now();
			tui.type(`\u001b${index + 2}`);
			times.push((await drawn) - pressed);
			await tui.quiet(100);
		}
		return {
			rooms: ROOMS.length,
			messagesPerRoom,
			switches,
			medianMs: median(times),
			p90Ms: percentile(times, 90),
			maxMs: Math.max(...times),
		};
	} finally {
		writer.destroy();
		await tui.stop();
		await server.close();
		rmSync(configHome, {recursive: true, force: true});
	}
}
