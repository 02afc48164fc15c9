// Target 4: a burst of messages into the running TUI (pty) against the same
// burst into the headless client + reducer (child process). CPU time of each
// child comes from /proc; frames are counted on the pty; memory is the TUI's
// RSS after 10k and after 50k messages (the log keeps at most 10k entries).
import {fileURLToPath} from 'node:url';
import {nextMessage, spawnBenchChild, stopChild} from './child.js';
import {cpuMs} from './proc.js';
import {codeMessageLines, FeedServer, messageLines} from './feed-server.js';
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
	rssAfter100kMiB: number;
	/** After 50k / after 10k. */
	rssGrowth: number;
	/** After 100k / after 50k: near 1 when memory has levelled off. */
	rssGrowthLate: number;
	/** Live heap of the headless client + reducer after GC, after 10k, 50k, 100k messages. */
	headlessHeapMiB: number[];
	/** The TUI run again with its old space capped at this many MiB... */
	cappedHeapMiB: number;
	/** ...and its RSS after 10k, 50k, 100k messages (it would crash if memory grew without bound). */
	cappedRssMiB: number[];
};

const CAPPED_HEAP_MIB = 40;

/** Message events for a burst: `count` of them numbered from `first`. */
type Burst = (count: number, first: number) => string;

/** Sends `count` messages numbered from `first` and resolves when the TUI has drawn the last one. */
async function burstIntoTui(feed: FeedServer, session: PtySession, count: number, first: number, burst: Burst = messageLines): Promise<{seconds: number; frames: number[]}> {
	const lastText = `m${first + count - 1} `;
	const framesBefore = session.frameTimes.length;
	const start = performance.now();
	const drawn = session.until(data => data.includes(lastText), 120_000);
	feed.send(burst(count, first));
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

/** Bursts per round: /proc counts CPU in 10 ms ticks, so a round sums several bursts. */
const burstsPerRound = 3;

/** Numbers for warm-up messages, apart from the measured ones. */
const WARM_UP_FIRST = 9_000_000;

async function tuiRound(count: number, burstOf: Burst = messageLines, warmUp = 0): Promise<{cpuMs: number; seconds: number; frames: number[]}> {
	const feed = new FeedServer();
	const port = await feed.start();
	const session = await startTui(port, {cols: 100, rows: 30});
	session.keepOutput = false;
	try {
		await session.quiet(300);
		if (warmUp > 0) await burstIntoTui(feed, session, warmUp, WARM_UP_FIRST, burstOf);
		const before = session.cpuMs();
		let first: Awaited<ReturnType<typeof burstIntoTui>> | undefined;
		for (let burst = 0; burst < burstsPerRound; burst++) {
			const result = await burstIntoTui(feed, session, count, burst * count, burstOf);
			first ??= result;
		}

		// Each burst's wait ends with 300 ms of quiet, whose idle CPU is counted too (it is small).
		return {cpuMs: (session.cpuMs() - before) / burstsPerRound, ...first!};
	} finally {
		await session.stop();
		await feed.close();
	}
}

/** RSS of one TUI after 10k, 50k and 100k messages, in bursts of `count`. */
async function memoryRound(count: number, nodeArgs: string[] = []): Promise<Record<number, number>> {
	const feed = new FeedServer();
	const port = await feed.start();
	const session = await startTui(port, {cols: 100, rows: 30, nodeArgs});
	session.keepOutput = false;
	const rss: Record<number, number> = {};
	try {
		for (let sent = 0; sent < 100_000; sent += count) {
			await burstIntoTui(feed, session, count, sent);
			const total = sent + count;
			if (total === 10_000 || total === 50_000 || total === 100_000) {
				await new Promise(resolve => setTimeout(resolve, 500));
				rss[total] = session.rssBytes();
			}
		}

		return rss;
	} finally {
		await session.stop();
		await feed.close();
	}
}

async function headlessRound(count: number, burstOf: Burst = messageLines, warmUp = 0): Promise<number> {
	const feed = new FeedServer();
	const port = await feed.start();
	const child = spawnBenchChild(fileURLToPath(new URL('bench-flood-headless.mjs', import.meta.url)), [String(port), String(count)]);
	try {
		await nextMessage(child, 'connected', 15_000);
		await feed.connected();
		await new Promise(resolve => setTimeout(resolve, 300));
		if (warmUp > 0) {
			// The child reports every `count` messages: warm up with a whole burst's worth.
			const done = nextMessage(child, 'done', 120_000);
			feed.send(burstOf(count, WARM_UP_FIRST));
			await done;
			await new Promise(resolve => setTimeout(resolve, 300));
		}
		// The bash wrapper exec'd node, so the child's pid is node's.
		const before = cpuMs(child.pid!);
		for (let burst = 0; burst < burstsPerRound; burst++) {
			const done = nextMessage(child, 'done', 120_000);
			feed.send(burstOf(count, burst * count));
			await done;
			// As for the TUI: the same quiet wait after each burst.
			await new Promise(resolve => setTimeout(resolve, 300));
		}

		return (cpuMs(child.pid!) - before) / burstsPerRound;
	} finally {
		await stopChild(child);
		await feed.close();
	}
}

/** Live JS heap of the headless client after a full GC, after 10k, 50k and 100k messages. */
async function headlessMemory(count: number): Promise<Record<number, number>> {
	const feed = new FeedServer();
	const port = await feed.start();
	const child = spawnBenchChild(fileURLToPath(new URL('bench-flood-headless.mjs', import.meta.url)), [String(port), String(count)], ['--expose-gc']);
	const heap: Record<number, number> = {};
	try {
		await nextMessage(child, 'connected', 15_000);
		await feed.connected();
		for (let sent = 0; sent < 100_000; sent += count) {
			const done = nextMessage(child, 'done', 120_000);
			feed.send(messageLines(count, sent));
			await done;
			const total = sent + count;
			if (total === 10_000 || total === 50_000 || total === 100_000) {
				// Past the 33 ms flush, so the reducer has folded everything in.
				await new Promise(resolve => setTimeout(resolve, 100));
				child.send({type: 'memory'});
				heap[total] = (await nextMessage<{heapUsed: number}>(child, 'memory')).heapUsed;
			}
		}

		return heap;
	} finally {
		await stopChild(child);
		await feed.close();
	}
}

export async function benchFlood(count = 10_000, rounds = 3): Promise<FloodResult> {
	const tui: Array<Awaited<ReturnType<typeof tuiRound>>> = [];
	const headless: number[] = [];
	for (let round = 0; round < rounds; round++) {
		if (round % 2 === 0) {
			tui.push(await tuiRound(count));
			headless.push(await headlessRound(count));
		} else {
			headless.push(await headlessRound(count));
			tui.push(await tuiRound(count));
		}
	}

	const memory = await memoryRound(count);
	// V8 grows its heap lazily, so RSS alone can look unbounded. With the old
	// space capped, a leak would crash the TUI; a bounded one levels off.
	const capped = await memoryRound(count, [`--max-old-space-size=${CAPPED_HEAP_MIB}`]);
	const heap = await headlessMemory(count);

	const tuiCpuMs = median(tui.map(run => run.cpuMs));
	const headlessCpuMs = median(headless);
	const fps = tui.map(run => run.frames.length / Math.max(run.seconds, 1e-3));
	return {
		messages: count,
		tuiCpuMs,
		headlessCpuMs,
		cpuRatio: tuiCpuMs / headlessCpuMs,
		framesPerSecond: median(fps),
		peakFramesInOneSecond: Math.max(...tui.map(run => peakPerSecond(run.frames))),
		frames: median(tui.map(run => run.frames.length)),
		tuiSeconds: median(tui.map(run => run.seconds)),
		rssAfter10kMiB: memory[10_000] / 2 ** 20,
		rssAfter50kMiB: memory[50_000] / 2 ** 20,
		rssAfter100kMiB: memory[100_000] / 2 ** 20,
		rssGrowth: memory[50_000] / memory[10_000],
		rssGrowthLate: memory[100_000] / memory[50_000],
		headlessHeapMiB: [heap[10_000], heap[50_000], heap[100_000]].map(bytes => bytes / 2 ** 20),
		cappedHeapMiB: CAPPED_HEAP_MIB,
		cappedRssMiB: [capped[10_000], capped[50_000], capped[100_000]].map(bytes => bytes / 2 ** 20),
	};
}

type CpuFigures = {tuiCpuMs: number; headlessCpuMs: number; cpuRatio: number};

export type FloodCodeResult = {
	messages: number;
	/** TUI / headless CPU per burst of plain messages, measured in the same run. */
	plain: CpuFigures;
	/** The same with every tenth message a 12-line TypeScript block, in fresh processes (the TUI loads the highlighter during the first burst). */
	code: CpuFigures;
	/** Both warmed up first with one burst of their kind: the steady cost, without the one-time load of the highlighter. */
	plainWarm: CpuFigures;
	codeWarm: CpuFigures;
};

/**
 * The flood with 10% of the messages code blocks, beside the plain flood in
 * the same run, taking turns; cold (fresh processes) and warm (after one
 * burst of the same kind). The TUI highlights only what it draws (a
 * screenful per frame), so its CPU should grow no more than the headless
 * client's, which parses the same JSON.
 */
export async function benchFloodCode(count = 10_000, rounds = 3): Promise<FloodCodeResult> {
	type Kind = 'plain' | 'code' | 'plainWarm' | 'codeWarm';
	const kinds: Kind[] = ['plain', 'code', 'plainWarm', 'codeWarm'];
	const runs = Object.fromEntries(kinds.map(kind => [kind, {tui: [] as number[], headless: [] as number[]}])) as Record<Kind, {tui: number[]; headless: number[]}>;
	for (let round = 0; round < rounds; round++) {
		for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
			const burst = kind.startsWith('code') ? codeMessageLines : messageLines;
			const warmUp = kind.endsWith('Warm') ? count : 0;
			runs[kind].tui.push((await tuiRound(count, burst, warmUp)).cpuMs);
			runs[kind].headless.push(await headlessRound(count, burst, warmUp));
		}
	}

	const figures = (kind: Kind): CpuFigures => {
		const tuiCpuMs = median(runs[kind].tui);
		const headlessCpuMs = median(runs[kind].headless);
		return {tuiCpuMs, headlessCpuMs, cpuRatio: tuiCpuMs / headlessCpuMs};
	};
	return {messages: count, plain: figures('plain'), code: figures('code'), plainWarm: figures('plainWarm'), codeWarm: figures('codeWarm')};
}
