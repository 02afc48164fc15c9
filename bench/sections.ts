// Every bench section, in the order they run: a name for the command line,
// a title, and a function that adds its figures to the report.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {benchDecoder} from './decoder.js';
import {benchFanout} from './fanout.js';
import type {Report} from './report.js';
import {runScale} from './scale.js';
import {benchFlood} from './flood.js';
import {tuiUnavailable} from './tui-check.js';
import {benchRepaint} from './repaint.js';
import {benchStartup} from './startup.js';
import {benchTyping} from './typing.js';

export type Section = {name: string; title: string; run(report: Report): Promise<void>};

const kib = (bytes: number) => bytes / 1024;
const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

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
		title: '2. Server fan-out: 50 clients × 200 messages, each to the 49 others, rate limit off',
		async run(report) {
			const result = await benchFanout();
			const section = 'fanout';
			report.details.fanout = result;
			for (const kind of ['reference', 'minimal', 'naive'] as const) {
				report.add({section, figure: `${kind} server delivered`, value: result[kind].eventsPerSecond, unit: 'events/s'});
			}

			report.add({section, figure: 'reference / minimal', ...ratio(result.reference.eventsPerSecond / result.minimal.eventsPerSecond, 0.6)});
			const headroom = result.minimal.eventsPerSecond / result.naive.eventsPerSecond;
			report.add({section, figure: 'minimal / naive (load generator headroom)', value: headroom, unit: '×', target: '> 1.3× (clearly faster)', met: headroom > 1.3});
			report.add({section, figure: 'reference messages lost (all rounds)', value: result.reference.lost, target: '0', met: result.reference.lost === 0});
			report.add({section, figure: 'reference p50 delivery latency', value: result.reference.p50Ms, unit: 'ms'});
			report.add({section, figure: 'reference p99 delivery latency', value: result.reference.p99Ms, unit: 'ms'});
			report.add({section, figure: 'minimal p50 / p99 latency', value: `${result.minimal.p50Ms.toFixed(1)} / ${result.minimal.p99Ms.toFixed(1)}`, unit: 'ms'});
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
		name: 'startup',
		title: '6. Start-up: --version and first connected frame vs node -e 0',
		async run(report) {
			const section = 'startup';
			const reason = await tuiUnavailable();
			const result = await benchStartup(15, 7, reason === undefined);
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

			const {benchCluster} = (await import(bundle.href)) as {benchCluster: () => Promise<Record<string, number>>};
			const result = await benchCluster();
			report.details.cluster = result;
			for (const [figure, value] of Object.entries(result)) report.add({section, figure, value});
		},
	},
];
