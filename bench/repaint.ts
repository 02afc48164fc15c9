// Target 5: bytes written for one new message, once the pane is full, against
// a full-screen repaint at the same size. The full repaint is forced by
// narrowing the terminal by one column: Ink then clears and draws everything.
// So the TUI starts one column wider, and each full-repaint sample narrows it
// to the measured width (after widening it back and letting it settle).
import {codeMessageLines, FeedServer, messageLines} from './feed-server.js';
import {startTui, type PtySession} from './pty-session.js';
import {median, percentile} from './stats.js';

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

export type ScrollFigures = {steps: number; p50Ms: number; p95Ms: number; cpuMsPerStep: number; bytesPerStep: number};
export type ScrollCodeResult = {cols: number; rows: number; codeBlocks: number; plain: ScrollFigures; code: ScrollFigures; firstPassCode: ScrollFigures};

const frameEnd = '\u001B[?2026l';
const PAGE_UP = '\u001B[5~';
const PAGE_DOWN = '\u001B[6~';

/** Every row a code message takes in the pane: the nick row and a box of 12 shown lines. */
const CODE_MESSAGE_ROWS = 15;

/** Pages up `pages` times and back down, one key per frame; the time of each from key to frame end. */
async function scrollPass(session: PtySession, pages: number): Promise<ScrollFigures> {
	const latencies: number[] = [];
	const cpuBefore = session.cpuMs();
	const bytesBefore = session.bytes;
	for (const key of [...Array<string>(pages).fill(PAGE_UP), ...Array<string>(pages).fill(PAGE_DOWN)]) {
		const start = performance.now();
		const drawn = session.until(data => data.includes(frameEnd), 5000);
		session.type(key);
		latencies.push((await drawn) - start);
		await session.quiet(60);
	}
	const steps = latencies.length;
	return {
		steps,
		p50Ms: percentile(latencies, 50),
		p95Ms: percentile(latencies, 95),
		// Includes the 60 ms of quiet after each step, which is idle.
		cpuMsPerStep: (session.cpuMs() - cpuBefore) / steps,
		bytesPerStep: (session.bytes - bytesBefore) / steps,
	};
}

/**
 * Scrolling a pane holding `codeBlocks` code blocks against a pane of plain
 * text just as many rows tall, page by page to the top and back. The first
 * pass over the code highlights each block as it comes into view; the
 * figures compared are of the second pass (both panes drawn before), and the
 * first pass is reported beside them. Rounds take turns; medians of rounds.
 */
export async function benchScrollCode(cols: number, rows: number, codeBlocks = 20, rounds = 3): Promise<ScrollCodeResult> {
	// Short of the top: a page key there draws nothing, and so has no frame to time.
	const pages = Math.max(1, Math.floor((codeBlocks * CODE_MESSAGE_ROWS) / rows) - 1);
	const run = async (kind: 'plain' | 'code') => {
		const feed = new FeedServer();
		const port = await feed.start();
		const session = await startTui(port, {cols, rows, screen: false});
		session.keepOutput = false;
		try {
			// Every message a code block, then one of text; or text only, as many rows tall.
			const lines = kind === 'code' ? codeMessageLines(codeBlocks + 1, 0, 1) : messageLines(codeBlocks * CODE_MESSAGE_ROWS, 0);
			feed.send(lines);
			await session.quiet(500);
			// One page up and back first: on a busy machine the first key after a flood can take seconds.
			session.type(PAGE_UP);
			await session.quiet(300);
			session.type('\u001B[1;5F');
			await session.quiet(300);
			const first = await scrollPass(session, pages);
			const second = await scrollPass(session, pages);
			return {first, second};
		} finally {
			await session.stop();
			await feed.close();
		}
	};
	const passes: Record<'plain' | 'code' | 'firstPassCode', ScrollFigures[]> = {plain: [], code: [], firstPassCode: []};
	for (let round = 0; round < rounds; round++) {
		for (const kind of round % 2 === 0 ? (['plain', 'code'] as const) : (['code', 'plain'] as const)) {
			const {first, second} = await run(kind);
			passes[kind].push(second);
			if (kind === 'code') passes.firstPassCode.push(first);
		}
	}
	const medians = (list: ScrollFigures[]): ScrollFigures => ({
		steps: list[0]!.steps,
		p50Ms: median(list.map(figures => figures.p50Ms)),
		p95Ms: median(list.map(figures => figures.p95Ms)),
		cpuMsPerStep: median(list.map(figures => figures.cpuMsPerStep)),
		bytesPerStep: median(list.map(figures => figures.bytesPerStep)),
	});
	return {cols, rows, codeBlocks, plain: medians(passes.plain), code: medians(passes.code), firstPassCode: medians(passes.firstPassCode)};
}
