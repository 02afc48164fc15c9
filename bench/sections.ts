// Every bench section, in the order they run: a name for the command line,
// a title, and a function that adds its figures to the report.
import {benchDecoder} from './decoder.js';
import {benchFanout} from './fanout.js';
import type {Report} from './report.js';

export type Section = {name: string; title: string; run(report: Report): Promise<void>};

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
];
