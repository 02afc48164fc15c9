// Target 4: a burst of messages into the running TUI (pty) against the same
// burst into the headless client + reducer (child process). CPU time of each
// child comes from /proc; frames are counted on the pty; memory is the TUI's
// RSS after 10k and after 50k messages (the log keeps at most 10k entries).
import {fileURLToPath} from 'node:url';
import {nextMessage, spawnBenchChild, stopChild} from './child.js';
import {cpuMs} from './proc.js';
import {FeedServer, messageLines} from './feed-server.js';
import {startTui, type PtySession} from './pty-session.js';
import {median} from './stats.js';

export type FloodResult = {
	messages: number;
	tuiCpuMs: number;
	headlessCpuMs: number;
	cpuRatio: number;
	/** Frames over the time from the burst to the last frame. */
	framesPerSecond: number;
	/** Most frames in any one-second window. */
	peakFramesInOneSecond: number;
	frames: number;
	tuiSeconds: number;
	rssAfter10kMiB: number;
	rssAfter50kMiB: number;
	rssGrowth: number;
};

/** Sends `count` messages numbered from `first` and resolves when the TUI has drawn the last one. */
async function burstIntoTui(feed: FeedServer, session: PtySession, count: number, first: number): Promise<{seconds: number; frames: number[]}> {
	const lastText = `m${first + count - 1} `;
	const framesBefore = session.frameTimes.length;
	const start = performance.now();
	const drawn = session.until(data => data.includes(lastText), 120_000);
	feed.send(messageLines(count, first));
	await drawn;
	await session.quiet(300);
	const frames = session.frameTimes.slice(framesBefore);
	const seconds = ((frames.at(-1) ?? start) - start) / 1000;
	return {seconds, frames: frames.map(time => time - start)};
}

function peakPerSecond(times: number[]): number {
	let peak = 0;
	let from = 0;
	for (let to = 0; to < times.length; to++) {
		while (times[to] - times[from] >= 1000) from++;
		peak = Math.max(peak, to - from + 1);
	}

	return peak;
}

async function tuiRound(count: number, memory: boolean): Promise<{cpuMs: number; seconds: number; frames: number[]; rss10k?: number; rss50k?: number}> {
	const feed = new FeedServer();
	const port = await feed.start();
	const session = await startTui(port, {cols: 100, rows: 30});
	session.keepOutput = false;
	try {
		await session.quiet(300);
		const before = session.cpuMs();
		const burst = await burstIntoTui(feed, session, count, 0);
		const cpu = session.cpuMs() - before;
		if (!memory) return {cpuMs: cpu, ...burst};
		const rss10k = session.rssBytes();
		for (let sent = count; sent < 5 * count; sent += count) await burstIntoTui(feed, session, count, sent);
		await new Promise(resolve => setTimeout(resolve, 500));
		return {cpuMs: cpu, ...burst, rss10k, rss50k: session.rssBytes()};
	} finally {
		await session.stop();
		await feed.close();
	}
}

async function headlessRound(count: number): Promise<number> {
	const feed = new FeedServer();
	const port = await feed.start();
	const child = spawnBenchChild(fileURLToPath(new URL('bench-flood-headless.mjs', import.meta.url)), [String(port), String(count)]);
	try {
		await nextMessage(child, 'connected', 15_000);
		await feed.connected();
		await new Promise(resolve => setTimeout(resolve, 300));
		// The bash wrapper exec'd node, so the child's pid is node's.
		const before = cpuMs(child.pid!);
		const done = nextMessage(child, 'done', 120_000);
		feed.send(messageLines(count));
		await done;
		return cpuMs(child.pid!) - before;
	} finally {
		await stopChild(child);
		await feed.close();
	}
}

export async function benchFlood(count = 10_000, rounds = 3): Promise<FloodResult> {
	const tui: Array<Awaited<ReturnType<typeof tuiRound>>> = [];
	const headless: number[] = [];
	for (let round = 0; round < rounds; round++) {
		// The first TUI round also measures memory over five bursts.
		if (round % 2 === 0) {
			tui.push(await tuiRound(count, round === 0));
			headless.push(await headlessRound(count));
		} else {
			headless.push(await headlessRound(count));
			tui.push(await tuiRound(count, false));
		}
	}

	const tuiCpuMs = median(tui.map(run => run.cpuMs));
	const headlessCpuMs = median(headless);
	const fps = tui.map(run => run.frames.length / Math.max(run.seconds, 1e-3));
	const memory = tui[0];
	return {
		messages: count,
		tuiCpuMs,
		headlessCpuMs,
		cpuRatio: tuiCpuMs / headlessCpuMs,
		framesPerSecond: median(fps),
		peakFramesInOneSecond: Math.max(...tui.map(run => peakPerSecond(run.frames))),
		frames: median(tui.map(run => run.frames.length)),
		tuiSeconds: median(tui.map(run => run.seconds)),
		rssAfter10kMiB: memory.rss10k! / 2 ** 20,
		rssAfter50kMiB: memory.rss50k! / 2 ** 20,
		rssGrowth: memory.rss50k! / memory.rss10k!,
	};
}
