// Every bench section, in the order they run: a name for the command line,
// a title, and a function that adds its figures to the report.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import os from 'node:os';
import {fileURLToPath} from 'node:url';
import {benchAccounts} from './accounts.js';
import {benchDecoder} from './decoder.js';
import {benchFanout, FANOUT_KINDS, type ServerKind} from './fanout.js';
import type {Report, Row} from './report.js';
import {runJoinStorm, type JoinStormRun} from './join-storm.js';
import {runScale} from './scale.js';
import {startRedis} from '../test/helpers/redis.js';
import {benchFlood, benchFloodCode} from './flood.js';
import {benchLayout, LAYOUT_SIZES} from './layout.js';
import {benchHighlight} from './highlight.js';
import {benchSharedFile} from './shared-file.js';
import {tuiUnavailable} from './tui-check.js';
import {benchRepaint, benchScrollCode} from './repaint.js';
import {benchResume} from './resume.js';
import {benchRooms, DEFAULT_ROOMS_BENCH} from './rooms.js';
import {benchRoomsSwitch} from './rooms-switch.js';
import {benchSearch} from './search.js';
import {benchStartup} from './startup.js';
import {benchStore} from './store.js';
import {benchTyping} from './typing.js';

export type Section = {name: string; title: string; run(report: Report): Promise<void>};

const kib = (bytes: number) => bytes / 1024;
const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

/** On 2 shared cores, above 2 means other processes wait: printed with every section whose figures the scheduler moves. */
const loadAverage = (section: string): Row => ({section, figure: 'load average, 1 minute, at the end of the section (2 cores shared)', value: os.loadavg()[0]!});

const ratio = (value: number, target: number) => ({value, unit: '×', target: `≥ ${target}×`, met: value >= target});

export const sections: Section[] = [
	{
		name: 'decoder',
		title: '1. Decoder: FrameDecoder vs split("\\n") + JSON.parse',
		async run(report) {
			const result = benchDecoder();
			const section = 'decoder';
			report.details.decoder = result;
			report.add({section, figure: 'split+parse NDJSON', value: result.ndjsonMBps.baseline, unit: 'MB/s'});
			report.add({section, figure: 'decoder NDJSON', value: result.ndjsonMBps.decoder, unit: 'MB/s'});
			report.add({section, figure: 'decoder NDJSON / split+parse', ...ratio(result.ndjsonMBps.ratio, 0.9)});
			report.add({section, figure: 'decoder back-to-back', value: result.backToBackMBps.decoder, unit: 'MB/s'});
			report.add({section, figure: 'decoder back-to-back / split+parse (frames/s)', ...ratio(result.backToBackMBps.ratio, 0.75)});
		},
	},
	{
		name: 'fanout',
		title: '2. Server fan-out: 50 clients × 200 messages, each to the 49 others, rate limit off; relaying, and with the room log in memory and in SQLite',
		async run(report) {
			const result = await benchFanout();
			const section = 'fanout';
			report.details.fanout = result;
			for (const kind of FANOUT_KINDS) {
				report.add({section, figure: `${kind} server delivered`, value: result[kind].eventsPerSecond, unit: 'events/s'});
			}

			const minimal = result.minimal.eventsPerSecond;
			report.add({section, figure: 'reference (no log) / minimal', ...ratio(result.reference.eventsPerSecond / minimal, 0.6)});
			report.add({section, figure: 'memory log / minimal', ...ratio(result['memory-log'].eventsPerSecond / minimal, 0.8)});
			report.add({section, figure: 'SQLite log (--data) / minimal', ...ratio(result['sqlite-log'].eventsPerSecond / minimal, 0.8)});
			// §9 events are about 50 bytes longer: what those bytes alone cost, and the logs against a server sending them.
			const stamped = result['minimal-stamped'].eventsPerSecond;
			report.add({section, figure: 'minimal with seq, epoch, time / minimal', value: stamped / minimal, unit: '×'});
			report.add({section, figure: 'memory log / minimal with seq, epoch, time (like for like: the same bytes on the wire)', ...ratio(result['memory-log'].eventsPerSecond / stamped, 0.8)});
			report.add({section, figure: 'SQLite log / minimal with seq, epoch, time (like for like)', ...ratio(result['sqlite-log'].eventsPerSecond / stamped, 0.8)});
			// The rate on a loaded machine mostly measures the scheduler; the server thread's CPU for the same work does not.
			const cpu = (kind: ServerKind) => result[kind].serverCpuMs;
			const cpuKinds: ServerKind[] = ['reference', 'memory-log', 'sqlite-log', 'minimal', 'minimal-stamped'];
			report.add({section, figure: 'server thread CPU per run: reference / memory log / SQLite log / minimal / minimal with seq, epoch, time', value: cpuKinds.map(kind => cpu(kind).toFixed(0)).join(' / '), unit: 'ms'});
			report.add({section, figure: 'CPU: minimal / memory log, minimal / SQLite log (the rate ratios, by CPU)', value: `${(cpu('minimal') / cpu('memory-log')).toFixed(2)} / ${(cpu('minimal') / cpu('sqlite-log')).toFixed(2)}`, unit: '×'});
			const headroom = minimal / result.naive.eventsPerSecond;
			report.add({section, figure: 'minimal / naive (load generator headroom)', value: headroom, unit: '×', target: '> 1.3× (clearly faster)', met: headroom > 1.3});
			for (const kind of ['reference', 'memory-log', 'sqlite-log'] as const) {
				report.add({section, figure: `${kind} messages lost (all rounds)`, value: result[kind].lost, target: '0', met: result[kind].lost === 0});
				report.add({section, figure: `${kind} p50 / p99 delivery latency`, value: `${result[kind].p50Ms.toFixed(1)} / ${result[kind].p99Ms.toFixed(1)}`, unit: 'ms'});
			}

			report.add({section, figure: 'minimal p50 / p99 latency', value: `${result.minimal.p50Ms.toFixed(1)} / ${result.minimal.p99Ms.toFixed(1)}`, unit: 'ms'});
			report.add(loadAverage(section));
		},
	},
	{
		name: 'rooms',
		title: '2b. Per-room fan-out: 1,000 rooms × 10 members (1,000 connections, ten rooms each), each talking in its own room; reference server vs the minimal server',
		async run(report) {
			const result = await benchRooms({...DEFAULT_ROOMS_BENCH, rounds: env('BENCH_ROOMS_ROUNDS', DEFAULT_ROOMS_BENCH.rounds)});
			const section = 'rooms';
			report.details.rooms = result;
			for (const kind of ['reference', 'relay', 'minimal'] as const) {
				report.add({section, figure: `${kind} server delivered (median)`, value: result[kind].eventsPerSecond, unit: 'events/s'});
			}

			const minimal = result.minimal.eventsPerSecond;
			report.add({section, figure: 'reference (memory log) / minimal', ...ratio(result.reference.eventsPerSecond / minimal, 0.8)});
			report.add({section, figure: 'relay (--history 0) / minimal', ...ratio(result.relay.eventsPerSecond / minimal, 0.8)});
			for (const kind of ['reference', 'relay'] as const) {
				report.add({section, figure: `${kind} messages lost (all rounds)`, value: result[kind].lost, target: '0', met: result[kind].lost === 0});
				report.add({section, figure: `${kind} p50 / p99 delivery latency`, value: `${result[kind].p50Ms.toFixed(1)} / ${result[kind].p99Ms.toFixed(1)}`, unit: 'ms'});
			}
		},
	},
	{
		name: 'scale',
		title: '3. Server scale: idle connected clients, RSS per connection',
		async run(report) {
			// Every join is announced to everyone already there: 10,000 joins are 50
			// million client-enter writes, about eight minutes on two cores, most of
			// the bench. BENCH_SCALE_CLIENTS=5000 is a quick run (about 70 s), whose
			// per-connection figure is high: fixed costs are shared by fewer
			// connections (measured: 14 KiB at 2,000, 11 KiB at 5,000, 7.3 KiB at 10,000).
			const clients = env('BENCH_SCALE_CLIENTS', 10_000);
			const section = 'scale';
			if (clients < 10_000) {
				report.add({section, figure: 'note', value: `measured at ${clients} clients, not the 10,000 of the target; the figure per connection is high at small counts`});
			}

			const bare = await runScale('bare', clients);
			const reference = await runScale('reference', clients);
			report.details.scale = {bare, reference};
			report.add({section, figure: `reference: clients welcomed`, value: reference.connected, target: String(clients), met: reference.connected === clients});
			report.add({section, figure: 'reference: time to connect all (join storm)', value: reference.connectSeconds, unit: 's'});
			report.add({section, figure: 'reference: RSS per connection', value: kib(reference.bytesPerConnection), unit: 'KiB', target: '≤ 10 KiB', met: reference.bytesPerConnection <= 10 * 1024});
			report.add({section, figure: 'reference: JS heap per connection', value: kib(reference.heapBytesPerConnection), unit: 'KiB'});
			report.add({section, figure: 'bare net.Server: RSS per connection (floor)', value: kib(bare.bytesPerConnection), unit: 'KiB'});
			report.add({section, figure: 'bare net.Server: JS heap per connection', value: kib(bare.heapBytesPerConnection), unit: 'KiB'});
		},
	},
	{
		name: 'join',
		title: 'Join storm: 10,000 clients joining one node, and two nodes over Redis (bench/join-storm.ts)',
		async run(report) {
			// BENCH_JOIN_CLIENTS=2000 is a quick run. Half as many on one node as well, so the
			// CPU per join can be compared at two sizes: the bytes per join double, so should it, no more.
			const clients = env('BENCH_JOIN_CLIENTS', 10_000);
			const section = 'join';
			const redisBinary = process.env.REDIS_SERVER ?? 'redis-server';
			const redis = spawnSync(redisBinary, ['--version'], {stdio: 'ignore'}).status === 0 ? await startRedis() : undefined;
			try {
				const runs: JoinStormRun[] = [await runJoinStorm(1, clients / 2), await runJoinStorm(1, clients)];
				if (redis) runs.push(await runJoinStorm(2, clients, redis.url));
				else report.add({section, figure: 'two nodes', value: `skipped: ${redisBinary} is not installed`});
				report.details.join = runs;
				for (const run of runs) {
					const where = run.nodes === 1 ? 'one node' : 'two nodes over Redis';
					const target = run.clients === clients ? (run.nodes === 1 ? 30 : 60) : undefined;
					report.add({section, figure: `${run.clients} clients, ${where}: all welcomed (load average ${run.loadAverage.toFixed(1)})`, value: run.seconds, unit: 's', ...(target !== undefined && {target: `≤ ${target} s`, met: run.seconds <= target && run.welcomed === run.clients})});
					report.add({section, figure: `${run.clients} clients, ${where}: every announcement delivered`, value: run.drainedSeconds, unit: 's'});
					report.add({section, figure: `${run.clients} clients, ${where}: CPU per join (nodes${run.nodes === 2 ? ' + Redis' : ''}) / per MB delivered`, value: `${((run.cpuSeconds / run.clients) * 1000).toFixed(2)} ms / ${(run.cpuSeconds / (run.bytes / 1e6) * 1000).toFixed(2)} ms (${(run.bytes / 1e6).toFixed(0)} MB)`});
				}

				const [half, full] = runs;
				const growth = (full!.cpuSeconds / full!.clients) / (half!.cpuSeconds / half!.clients);
				const bytesGrowth = (full!.bytes / full!.clients) / (half!.bytes / half!.clients);
				report.add({section, figure: `one node, CPU per join at ${clients} / at ${clients / 2} (bytes per join: ${bytesGrowth.toFixed(2)}×)`, value: growth, unit: '×', target: `≤ the bytes' ${bytesGrowth.toFixed(2)}×`, met: growth <= bytesGrowth * 1.1});
			} finally {
				await redis?.kill();
			}
		},
	},
	{
		name: 'flood',
		title: '4. Client flood: 10,000 messages in one burst, TUI in a pty vs headless client + reducer',
		async run(report) {
			const section = 'flood';
			const reason = await tuiUnavailable();
			if (reason) {
				report.skip(section, reason);
				return;
			}

			const result = await benchFlood(env('BENCH_FLOOD_MESSAGES', 10_000));
			report.details.flood = result;
			report.add({section, figure: 'TUI CPU per 10k burst', value: result.tuiCpuMs, unit: 'ms'});
			report.add({section, figure: 'headless client + reducer CPU per burst', value: result.headlessCpuMs, unit: 'ms'});
			report.add({section, figure: 'TUI / headless CPU', value: result.cpuRatio, unit: '×', target: '≤ 2×', met: result.cpuRatio <= 2});
			report.add({section, figure: 'TUI time to draw the last message', value: result.tuiSeconds, unit: 's'});
			report.add({section, figure: 'frames during the burst', value: result.frames});
			report.add({section, figure: 'frames per second (burst average)', value: result.framesPerSecond, unit: 'fps', target: '≤ 30', met: result.framesPerSecond <= 30});
			report.add({section, figure: 'most frames in any 1 s window', value: result.peakFramesInOneSecond, target: '≤ 30', met: result.peakFramesInOneSecond <= 30});
			report.add({section, figure: 'TUI RSS after 10k messages', value: result.rssAfter10kMiB, unit: 'MiB'});
			report.add({section, figure: 'TUI RSS after 50k messages', value: result.rssAfter50kMiB, unit: 'MiB'});
			report.add({section, figure: 'TUI RSS after 100k messages', value: result.rssAfter100kMiB, unit: 'MiB'});
			report.add({section, figure: 'RSS 50k / 10k (bounded by the 10k-entry log)', value: result.rssGrowth, unit: '×', target: '≤ 1.25×', met: result.rssGrowth <= 1.25});
			report.add({section, figure: 'headless live heap after GC at 10k / 50k / 100k', value: result.headlessHeapMiB.map(mib => mib.toFixed(1)).join(' / '), unit: 'MiB'});
			report.add({section, figure: 'RSS 100k / 50k (levelled off?)', value: result.rssGrowthLate, unit: '×', target: '≤ 1.1×', met: result.rssGrowthLate <= 1.1});
			const [capped10k, capped50k, capped100k] = result.cappedRssMiB;
			report.add({section, figure: `TUI RSS at 10k / 50k / 100k with a ${result.cappedHeapMiB} MiB heap cap`, value: result.cappedRssMiB.map(mib => mib.toFixed(0)).join(' / '), unit: 'MiB'});
			report.add({section, figure: 'capped: RSS 100k / 50k (bounded: no crash, flat)', value: capped100k / capped50k, unit: '×', target: '≤ 1.1×', met: capped100k / capped50k <= 1.1 && capped10k > 0});
		},
	},
	{
		name: 'flood-code',
		title: '4b. Client flood with 10% code blocks: TUI vs headless, beside the plain flood in the same run',
		async run(report) {
			const section = 'flood-code';
			const reason = await tuiUnavailable();
			if (reason) {
				report.skip(section, reason);
				return;
			}

			const result = await benchFloodCode(env('BENCH_FLOOD_MESSAGES', 10_000));
			report.details.floodCode = result;
			report.add({section, figure: 'plain: TUI / headless CPU per burst', value: `${result.plain.tuiCpuMs.toFixed(0)} / ${result.plain.headlessCpuMs.toFixed(0)}`, unit: 'ms'});
			report.add({section, figure: 'plain: TUI / headless CPU', value: result.plain.cpuRatio, unit: '×', target: '≤ 2×', met: result.plain.cpuRatio <= 2});
			report.add({section, figure: '10% code: TUI / headless CPU per burst', value: `${result.code.tuiCpuMs.toFixed(0)} / ${result.code.headlessCpuMs.toFixed(0)}`, unit: 'ms'});
			report.add({section, figure: '10% code: TUI / headless CPU', value: result.code.cpuRatio, unit: '×', target: '≤ 2×', met: result.code.cpuRatio <= 2});
			report.add({section, figure: 'warmed up, plain: TUI / headless CPU per burst', value: `${result.plainWarm.tuiCpuMs.toFixed(0)} / ${result.plainWarm.headlessCpuMs.toFixed(0)}`, unit: 'ms'});
			report.add({section, figure: 'warmed up, plain: TUI / headless CPU', value: result.plainWarm.cpuRatio, unit: '×'});
			report.add({section, figure: 'warmed up, 10% code: TUI / headless CPU per burst', value: `${result.codeWarm.tuiCpuMs.toFixed(0)} / ${result.codeWarm.headlessCpuMs.toFixed(0)}`, unit: 'ms'});
			report.add({section, figure: 'warmed up, 10% code: TUI / headless CPU', value: result.codeWarm.cpuRatio, unit: '×', target: '≤ 2×', met: result.codeWarm.cpuRatio <= 2});
			report.add(loadAverage(section));
		},
	},
	{
		name: 'repaint',
		title: '5. Repaint cost: one new message vs a full-screen repaint',
		async run(report) {
			const section = 'repaint';
			const reason = await tuiUnavailable();
			if (reason) {
				report.skip(section, reason);
				return;
			}

			const results = [];
			for (const [cols, rows] of [[80, 24], [200, 60]]) {
				const result = await benchRepaint(cols, rows);
				results.push(result);
				const size = `${cols}×${rows}`;
				report.add({section, figure: `${size} full repaint`, value: result.fullRepaintBytes, unit: 'bytes'});
				report.add({section, figure: `${size} one new message`, value: result.oneMessageBytes, unit: 'bytes'});
				report.add({section, figure: `${size} one message / full repaint`, value: result.ratio * 100, unit: '%', target: '≤ 25%', met: result.ratio <= 0.25});
			}

			report.details.repaint = results;
		},
	},
	{
		name: 'scroll-code',
		title: '5b. Scrolling a pane of 20 code blocks vs a pane of plain text as tall, page by page',
		async run(report) {
			const section = 'scroll-code';
			const reason = await tuiUnavailable();
			if (reason) {
				report.skip(section, reason);
				return;
			}

			const result = await benchScrollCode(100, 30);
			report.details.scrollCode = result;
			const line = (label: string, figures: typeof result.plain) =>
				report.add({section, figure: `${label}: key to frame p50 / p95, CPU and bytes per step`, value: `${figures.p50Ms.toFixed(1)} / ${figures.p95Ms.toFixed(1)} ms, ${figures.cpuMsPerStep.toFixed(1)} ms, ${figures.bytesPerStep.toFixed(0)} B`});
			line('plain text', result.plain);
			line(`${result.codeBlocks} code blocks`, result.code);
			line(`${result.codeBlocks} code blocks, first pass (highlighting as they come into view)`, result.firstPassCode);
			const latency = result.code.p50Ms / result.plain.p50Ms;
			report.add({section, figure: 'code / plain, key to frame p50', value: latency, unit: '×', target: '≤ 1.25×', met: latency <= 1.25});
			const cpu = result.code.cpuMsPerStep / result.plain.cpuMsPerStep;
			report.add({section, figure: 'code / plain, CPU per step', value: cpu, unit: '×', target: '≤ 1.25×', met: cpu <= 1.25});
		},
	},
	{
		name: 'startup',
		title: '6. Start-up: --version and first connected frame vs node -e 0',
		async run(report) {
			const section = 'startup';
			const reason = await tuiUnavailable();
			const baselineCli = process.env.BENCH_STARTUP_BASELINE;
			const result = await benchStartup(15, 7, reason === undefined, baselineCli);
			report.details.startup = result;
			report.add({section, figure: 'node -e 0', value: result.nodeMs, unit: 'ms'});
			report.add({section, figure: 'codechat-tui --version', value: result.versionMs, unit: 'ms'});
			report.add({section, figure: '--version / node -e 0', value: result.versionRatio, unit: '×', target: '≤ 2×', met: result.versionRatio <= 2});
			if (reason) {
				report.skip(section, `first connected frame: ${reason}`);
				return;
			}

			report.add({section, figure: 'spawn to connected screen (pty, local server)', value: result.connectedMs, unit: 'ms'});
			report.add({section, figure: 'connected / node -e 0', value: result.connectedRatio, unit: '×', target: '≤ 4×', met: result.connectedRatio <= 4});
			if (result.baselineConnectedMs !== undefined) {
				const growth = result.connectedMs / result.baselineConnectedMs;
				report.add({section, figure: `connected screen: this build / ${baselineCli} (taking turns)`, value: growth, unit: '×', target: '≤ 1.1×', met: growth <= 1.1});
			}

			report.add(loadAverage(section));
		},
	},
	{
		name: 'typing',
		title: '7. Typing latency: keypress to echo while 1,000 messages/s arrive',
		async run(report) {
			const section = 'typing';
			const reason = await tuiUnavailable();
			if (reason) {
				report.skip(section, reason);
				return;
			}

			const result = await benchTyping();
			report.details.typing = result;
			report.add({section, figure: 'messages/s sent to the TUI', value: result.deliveredPerSecond, unit: '/s'});
			report.add({section, figure: 'keypress to echo p50', value: result.p50Ms, unit: 'ms'});
			report.add({section, figure: 'keypress to echo p95', value: result.p95Ms, unit: 'ms', target: '≤ 30 ms', met: result.p95Ms <= 30});
			report.add({section, figure: 'keypress to echo p99 / max', value: `${result.p99Ms.toFixed(1)} / ${result.maxMs.toFixed(1)}`, unit: 'ms'});
		},
	},
	{
		name: 'rooms-switch',
		title: '7b. Switching rooms: three rooms of 10,000 messages each, Alt-N to the new room on screen (pty)',
		async run(report) {
			const section = 'rooms-switch';
			const reason = await tuiUnavailable();
			if (reason) {
				report.skip(section, reason);
				return;
			}

			const result = await benchRoomsSwitch(env('BENCH_ROOM_MESSAGES', 10_000), env('BENCH_ROOM_SWITCHES', 30));
			report.details.roomsSwitch = result;
			report.add({section, figure: `switch to a room of ${result.messagesPerRoom} messages, median of ${result.switches}`, value: result.medianMs, unit: 'ms', target: '≤ 50 ms', met: result.medianMs <= 50});
			report.add({section, figure: 'switch p90 / max', value: `${result.p90Ms.toFixed(1)} / ${result.maxMs.toFixed(1)}`, unit: 'ms'});
		},
	},
	{
		name: 'layout',
		title: '8. Layout of one message: time per character, 1k to 1M characters (mixed scripts)',
		async run(report) {
			const section = 'layout';
			const result = benchLayout();
			report.details.layout = result;
			const label = (length: number) => (length >= 1_000_000 ? `${length / 1_000_000}M` : `${length / 1000}k`);
			for (const length of LAYOUT_SIZES) {
				report.add({section, figure: `pane layout (entryRows), ${label(length)} characters`, value: result.entryRowsNsPerChar[length]!, unit: 'ns/char'});
			}
			const paneRatio = result.entryRowsNsPerChar[1_000_000]! / result.entryRowsNsPerChar[1000]!;
			report.add({section, figure: 'pane layout per character, 1M / 1k (flat or falling: capped)', value: paneRatio, unit: '×', target: '≤ 1.5×', met: paneRatio <= 1.5});
			for (const length of LAYOUT_SIZES) {
				report.add({section, figure: `wrapText of the whole text, ${label(length)} characters`, value: result.wrapTextNsPerChar[length]!, unit: 'ns/char'});
			}
			const wrapRatio = result.wrapTextNsPerChar[1_000_000]! / result.wrapTextNsPerChar[1000]!;
			report.add({section, figure: 'wrapText per character, 1M / 1k (linear: flat)', value: wrapRatio, unit: '×', target: '≤ 1.5×', met: wrapRatio <= 1.5});
		},
	},
	{
		name: 'resume',
		title: 'Room log: resume of 10,000 missed messages (reference server, memory log and --data)',
		async run(report) {
			const section = 'resume';
			const memory = await benchResume();
			const sqlite = await benchResume(10_000, 'sqlite');
			report.details.resume = {memory, sqlite};
			for (const [result, where] of [[memory, 'memory'], [sqlite, '--data']] as const) {
				report.add({section, figure: `resume of ${result.missed.toLocaleString('en-US')} missed messages (${where}), connect success to the last one shown`, value: result.toShownMs, unit: 'ms', target: '≤ 1000 ms', met: result.toShownMs <= 1000});
				report.add({section, figure: `of which: to the last message event (${where})`, value: result.toLastEventMs, unit: 'ms'});
				report.add({section, figure: `history pages asked for (${where})`, value: result.pages});
			}

			report.add(loadAverage(section));
		},
	},
	{
		name: 'store',
		title: 'Room log: history from SQLite (100 rooms × 10,000) and Redis, append throughput per backend',
		async run(report) {
			const section = 'store';
			const redis = process.env.REDIS_SERVER ?? 'redis-server';
			if (spawnSync(redis, ['--version'], {stdio: 'ignore'}).status !== 0) {
				report.skip(section, `${redis} is not installed`);
				return;
			}

			const result = await benchStore();
			report.details.store = result;
			const {sqliteHistory: sqlite, redisHistory: redisFigures, appendsPerSecond: rate} = result;
			report.add({section, figure: `SQLite: fill ${sqlite.rooms} rooms × ${sqlite.perRoom} (200-byte messages)`, value: sqlite.fillSeconds, unit: 's'});
			for (const [name, figures, target] of [['SQLite', sqlite, 5], [`Redis (${redisFigures.rooms} rooms × ${redisFigures.perRoom})`, redisFigures, 20]] as const) {
				report.add({section, figure: `${name}: history limit 1,000, messages / bytes per reply (256 KiB cap)`, value: `${figures.messagesPerReply.toFixed(0)} / ${figures.replyBytes.toFixed(0)}`});
				report.add({section, figure: `${name}: history handler wall p50 / p99 of ${figures.samples} (load ${figures.loadavg.toFixed(1)})`, value: `${figures.p50Ms.toFixed(2)} / ${figures.p99Ms.toFixed(2)}`, unit: 'ms', target: `p99 ≤ ${target} ms`, met: figures.p99Ms <= target});
				report.add({section, figure: `${name}: history handler CPU p50 / p99 (this process)`, value: `${figures.cpuP50Ms.toFixed(2)} / ${figures.cpuP99Ms.toFixed(2)}`, unit: 'ms', target: `p99 ≤ ${target} ms`, met: figures.cpuP99Ms <= target});
				report.add({section, figure: `${name}: wall less run-queue wait (preemption; Redis: both processes') p50 / p99`, value: `${figures.runP50Ms.toFixed(2)} / ${figures.runP99Ms.toFixed(2)}`, unit: 'ms', target: `p99 ≤ ${target} ms`, met: figures.runP99Ms <= target});
				report.add({section, figure: `${name}: wall p99 of the ${figures.quietSamples} calls with no GC and not preempted (${figures.withGc} held a GC)`, value: figures.quietP99Ms, unit: 'ms'});
				report.add({section, figure: `${name}: event loop utilisation while sampling`, value: figures.elu * 100, unit: '%'});
			}

			for (const [name, figures] of [['SQLite', result.sqliteObjects], ['Redis', result.redisObjects]] as const) {
				report.add({section, figure: `${name}: the previous handler (an object per message, encoded whole), ${figures.samples} calls: CPU p50 / p99, wall less run-queue wait p50 / p99`, value: `${figures.cpuP50Ms.toFixed(2)} / ${figures.cpuP99Ms.toFixed(2)}, ${figures.runP50Ms.toFixed(2)} / ${figures.runP99Ms.toFixed(2)}`, unit: 'ms'});
			}

			if (redisFigures.serverCpuMs !== undefined) report.add({section, figure: 'Redis: redis-server CPU per history call (mean)', value: redisFigures.serverCpuMs, unit: 'ms'});
			report.add(loadAverage(section));
			report.add({section, figure: 'appends, 100 per tick: memory', value: rate.memory, unit: 'msg/s'});
			report.add({section, figure: 'appends, 100 per tick: SQLite (one transaction per tick)', value: rate.sqlite, unit: 'msg/s'});
			report.add({section, figure: 'appends, 1 per tick: SQLite', value: rate.sqliteOnePerTick, unit: 'msg/s'});
			report.add({section, figure: 'appends, 100 per tick: Redis (one script per room per call)', value: rate.redis, unit: 'msg/s'});
		},
	},
	{
		name: 'highlight',
		title: '8. Highlighting: a 1,000-line TypeScript file, and its layout as a code box',
		async run(report) {
			const section = 'highlight';
			const result = await benchHighlight();
			report.details.highlight = result;
			report.add({section, figure: 'load the highlighter chunk (each grammar registered on first use)', value: result.loadMs, unit: 'ms'});
			report.add({section, figure: 'first 20-line TypeScript block (compiles the grammar)', value: result.firstSmallMs, unit: 'ms'});
			report.add({section, figure: `highlight ${result.lines} lines of TypeScript, wall (median; load ${result.loadavg.toFixed(1)})`, value: result.medianMs, unit: 'ms', target: '≤ 30 ms', met: result.medianMs <= 30});
			report.add({section, figure: `the same, CPU time of the process (median)`, value: result.cpuMedianMs, unit: 'ms', target: '≤ 30 ms', met: result.cpuMedianMs <= 30});
			report.add({section, figure: `the same, CPU time of the main thread alone (median; GC helper threads left out)`, value: result.mainThreadCpuMedianMs, unit: 'ms', target: '≤ 30 ms', met: result.mainThreadCpuMedianMs <= 30});
			report.add({section, figure: `the same, each run after a full GC (regexps recompiled)`, value: result.afterGcMs, unit: 'ms'});
			report.add({section, figure: 'lay the 1,000 lines out as a box at 100 columns (median)', value: result.layoutMs, unit: 'ms'});
			report.add({section, figure: 'parse a 4,096-character message of markup (median)', value: result.parseMessageMs, unit: 'ms'});
		},
	},
	{
		name: 'search',
		title: 'Search: over the 10,000 messages a room keeps loaded, and each older page from the server (bench/search.ts)',
		async run(report) {
			const section = 'search';
			const result = await benchSearch();
			report.details.search = result;
			const loaded = result.messages.toLocaleString('en-US');
			report.add({section, figure: `background fold of ${loaded} messages (500 a turn): total CPU / longest turn (wall)`, value: `${result.foldAheadCpuMs.toFixed(1)} / ${result.foldAheadSliceMs.toFixed(1)}`, unit: 'ms'});
			report.add({section, figure: `first query over ${loaded} messages, after the background fold`, value: result.firstQueryMs, unit: 'ms', target: '≤ 50 ms', met: result.firstQueryMs <= 50});
			report.add({section, figure: `first query over ${loaded} messages nothing has folded yet (it folds each), CPU ${result.coldQueryCpuMs.toFixed(1)} ms`, value: result.coldQueryMs, unit: 'ms'});
			report.add({section, figure: `a query over ${result.messages.toLocaleString('en-US')} messages, median of ${result.queries}`, value: result.medianMs, unit: 'ms', target: '≤ 50 ms', met: result.medianMs <= 50});
			report.add({section, figure: 'a query, p95', value: result.p95Ms, unit: 'ms', target: '≤ 50 ms', met: result.p95Ms <= 50});
			// CPU time is the cost itself; the wall time adds whatever else the shared cores run.
			report.add({section, figure: 'CPU time: first query after the fold / a query median / p95', value: `${result.firstQueryCpuMs.toFixed(1)} / ${result.cpuMedianMs.toFixed(1)} / ${result.cpuP95Ms.toFixed(1)}`, unit: 'ms'});
			report.add({section, figure: `an older page of 100 from the server (${result.serverMessages.toLocaleString('en-US')} kept, loopback), request to searched, median of ${result.pages}`, value: result.pageMedianMs, unit: 'ms', target: '≤ 100 ms', met: result.pageMedianMs <= 100});
			report.add({section, figure: 'an older page, p95', value: result.pageP95Ms, unit: 'ms', target: '≤ 100 ms', met: result.pageP95Ms <= 100});
			report.add(loadAverage(section));
		},
	},
	{
		name: 'file',
		title: 'The shared file: the line diff of an update, and the file pane\'s rows',
		async run(report) {
			const section = 'file';
			const result = await benchSharedFile();
			report.details.file = result;
			report.add({section, figure: `line diff of 7 edits in ${result.lines} lines (median)`, value: result.editDiffMs, unit: 'ms'});
			report.add({section, figure: 'line diff of two unrelated 48 KiB files (gives up, counts a rewrite; median)', value: result.rewriteDiffMs, unit: 'ms'});
			report.add({section, figure: `a new version's first 30-row window: ${result.lines} lines highlighted, 30 laid out (median)`, value: result.firstWindowMs, unit: 'ms'});
			report.add({section, figure: 'a scroll: the next 30-row window (median)', value: result.scrollWindowMs, unit: 'ms'});
		},
	},
	{
		name: 'cluster',
		title: 'Cluster: delivery through Redis vs one node (bench/cluster.ts)',
		async run(report) {
			const section = 'cluster';
			// Bundled by run.mjs only when bench/cluster.ts exists; loaded by path so this bundle does not need it.
			const bundle = new URL('bench-cluster.mjs', import.meta.url);
			if (!existsSync(fileURLToPath(bundle))) {
				report.skip(section, 'bench/cluster.ts is not there');
				return;
			}

			const redis = process.env.REDIS_SERVER ?? 'redis-server';
			if (spawnSync(redis, ['--version'], {stdio: 'ignore'}).status !== 0) {
				report.skip(section, `${redis} is not installed`);
				return;
			}

			const {benchCluster, benchClusterRooms, DEFAULT_CLUSTER_ROOMS_BENCH} = (await import(bundle.href)) as typeof import('./cluster.js');
			// BENCH_CLUSTER_RECEIVERS / _MESSAGES / _ROUNDS change the load for an experiment; the figures quoted are the defaults'.
			const override = (name: string) => (process.env[`BENCH_CLUSTER_${name}`] ? Number(process.env[`BENCH_CLUSTER_${name}`]) : undefined);
			const result = await benchCluster({
				...(override('RECEIVERS') && {receivers: override('RECEIVERS')}),
				...(override('MESSAGES') && {messages: override('MESSAGES')}),
				...(override('ROUNDS') && {rounds: override('ROUNDS')}),
			});
			report.details.cluster = result;
			const {deliveriesPerS: rate, cpuMsPer1000: cpu, p50Ms: p50, p99Ms: p99, redisCpuMsPer1000: redisCpu} = result;
			report.add({section, figure: 'machine load average over the runs (2 cores shared)', value: result.loadAverage.map(load => load.toFixed(1)).join('–')});
			report.add({section, figure: 'deliveries per s, one node / two nodes over Redis', value: `${Math.round(rate.single)} / ${Math.round(rate.cluster)}`});
			report.add({section, figure: 'two nodes / one node, deliveries per s', value: rate.cluster / rate.single, unit: '×'});
			report.add({section, figure: 'CPU ms per 1,000 deliveries, one node / two nodes + Redis', value: `${cpu.single.toFixed(1)} / ${cpu.cluster.toFixed(1)} (Redis ${redisCpu.cluster.toFixed(1)})`});
			report.add({section, figure: 'socket writes per 1,000 deliveries, one node / two nodes', value: `${result.writesPer1000.single.toFixed(1)} / ${result.writesPer1000.cluster.toFixed(1)}`});
			const cpuRatio = cpu.cluster / cpu.single;
			report.add({section, figure: 'CPU per delivery, two nodes + Redis / one node', value: cpuRatio, unit: '×', target: '≤ 1.25×', met: cpuRatio <= 1.25});
			report.add({section, figure: `latency at ${Math.round(result.pacedPerS)} deliveries/s (half of one node), p50 / p99, one node`, value: `${p50.single.toFixed(2)} / ${p99.single.toFixed(2)}`, unit: 'ms'});
			report.add({section, figure: 'the same, two nodes', value: `${p50.cluster.toFixed(2)} / ${p99.cluster.toFixed(2)}`, unit: 'ms'});
			const added = p99.cluster - p99.single;
			report.add({section, figure: 'p99 added by the cluster', value: added, unit: 'ms', target: '≤ 5 ms', met: added <= 5});
			const onCluster = 'two nodes, Redis Cluster (3 masters + replicas)';
			report.add({section, figure: `${onCluster}: deliveries per s; CPU ms per 1,000 deliveries (Redis)`, value: `${Math.round(rate['redis-cluster'])}; ${cpu['redis-cluster'].toFixed(1)} (${redisCpu['redis-cluster'].toFixed(1)})`});
			report.add({section, figure: `${onCluster}: p50 / p99 at the same pace`, value: `${p50['redis-cluster'].toFixed(2)} / ${p99['redis-cluster'].toFixed(2)}`, unit: 'ms'});
			report.add({section, figure: 'paced messages lost', value: result.lost, target: '0', met: result.lost === 0});
			const rooms = await benchClusterRooms();
			report.details.clusterRooms = rooms;
			const roomsLoad = `${DEFAULT_CLUSTER_ROOMS_BENCH.rooms} rooms × ${DEFAULT_CLUSTER_ROOMS_BENCH.members}, two nodes`;
			const roomsRun = (run: typeof rooms.oneRedis) => `${Math.round(run.deliveriesPerS)}; ${run.nodeCpuMsPer1000.toFixed(1)} + ${run.redisCpuMsPer1000.toFixed(1)}`;
			report.add({section, figure: `${roomsLoad}, one redis-server: deliveries per s; CPU ms per 1,000 (nodes + Redis)`, value: roomsRun(rooms.oneRedis)});
			report.add({section, figure: `${roomsLoad}, Redis Cluster: the same`, value: roomsRun(rooms.redisCluster)});
			report.add({section, figure: `${roomsLoad}, Redis Cluster: each master's share of Redis's CPU`, value: rooms.redisCluster.masterShares.map(share => `${Math.round(share * 100)}%`).join(' / ')});
		},
	},
	{
		name: 'accounts',
		title: 'Accounts: one scrypt check, and a wrong password vs an unknown name (bench/accounts.ts)',
		async run(report) {
			const section = 'accounts';
			const result = await benchAccounts();
			report.details.accounts = result;
			report.add({section, figure: `scrypt hash, ${result.parameters} (median of 9)`, value: result.hashMs, unit: 'ms'});
			// CPU time is the cost itself; the wall time adds whatever else the shared cores run.
			report.add({section, figure: 'the same, CPU time', value: result.hashCpuMs, unit: 'ms', target: '50–100 ms', met: result.hashCpuMs >= 50 && result.hashCpuMs <= 100});
			report.add({section, figure: `login, wrong password for a registered name (median of ${result.rounds})`, value: result.wrongPasswordMs, unit: 'ms'});
			report.add({section, figure: `login, unknown name (median of ${result.rounds})`, value: result.unknownNameMs, unit: 'ms'});
			report.add({section, figure: 'unknown name vs wrong password, difference of medians', value: result.difference * 100, unit: '%', target: '≤ 10%', met: result.difference <= 0.1});
			report.add(loadAverage(section));
		},
	},
];
