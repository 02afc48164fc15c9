// Target 5: bytes written for one new message, once the pane is full, against
// a full-screen repaint at the same size. The full repaint is forced by
// narrowing the terminal by one column: Ink then clears and draws everything.
// So the TUI starts one column wider, and each full-repaint sample narrows it
// to the measured width (after widening it back and letting it settle).
import {FeedServer, messageLines} from './feed-server.js';
import {startTui, type PtySession} from './pty-session.js';
import {median} from './stats.js';

export type RepaintResult = {cols: number; rows: number; oneMessageBytes: number; fullRepaintBytes: number; ratio: number};

async function bytesFor(session: PtySession, act: () => void): Promise<number> {
	await session.quiet(300);
	const before = session.bytes;
	act();
	await session.quiet(300);
	return session.bytes - before;
}

export async function benchRepaint(cols: number, rows: number, samples = 5): Promise<RepaintResult> {
	const feed = new FeedServer();
	const port = await feed.start();
	const session = await startTui(port, {cols: cols + 1, rows});
	session.keepOutput = false;
	try {
		let next = 0;
		// Fill the pane well past its height: steady state is a full pane that scrolls.
		feed.send(messageLines(rows * 3, next));
		next += rows * 3;
		await session.quiet(300);
		const full: number[] = [];
		const one: number[] = [];
		for (let sample = 0; sample < samples; sample++) {
			session.resize(cols + 1, rows);
			await session.quiet(300);
			full.push(await bytesFor(session, () => session.resize(cols, rows)));
			one.push(await bytesFor(session, () => feed.send(messageLines(1, next++))));
		}

		const oneMessageBytes = median(one);
		const fullRepaintBytes = median(full);
		return {cols, rows, oneMessageBytes, fullRepaintBytes, ratio: oneMessageBytes / fullRepaintBytes};
	} finally {
		await session.stop();
		await feed.close();
	}
}
