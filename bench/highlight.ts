// Highlighting: a 1,000-line TypeScript file (the project's own sources,
// read from source/ so the code is real) through highlight.js. The first block
// of a language compiles its grammar, so a 20-line block goes first and is
// timed alone. Then the median of warm runs, and the median of runs each
// after a full GC: V8 drops compiled regular expressions in a full GC, and
// highlight.js is made of them, so that is the cost of a block drawn after
// a quiet while. Then the file laid out as a box for the viewer, and the
// parse of the largest message there is.
import {readdirSync, readFileSync} from 'node:fs';
import os from 'node:os';
import {join} from 'node:path';
import {MAX_MESSAGE_CHARS} from '../source/protocol/limits.js';
import {codeBlockRows} from '../source/text/code-block.js';
import {highlightBlock, loadHighlighter} from '../source/text/highlighter.js';
import {parseMarkup, type CodeBlock} from '../source/text/markup.js';
import {mainThreadCpuPreciseMs} from './proc.js';
import {median} from './stats.js';

export type HighlightResult = {
	lines: number;
	loadMs: number;
	firstSmallMs: number;
	medianMs: number;
	/** CPU time of the same runs (this process, all threads), median: what the wall time is on a machine of its own. */
	cpuMedianMs: number;
	/** The main thread's CPU time alone (the UI thread's; GC helper threads left out), median. */
	mainThreadCpuMedianMs: number;
	/** 1-minute load average at the end (2 cores: above 2, other processes wait). */
	loadavg: number;
	afterGcMs: number;
	layoutMs: number;
	parseMessageMs: number;
};

function projectTypeScript(lines: number): string {
	const files = readdirSync('source', {recursive: true, encoding: 'utf8'})
		.filter(name => name.endsWith('.ts'))
		.sort();
	const all: string[] = [];
	for (const name of files) {
		all.push(...readFileSync(join('source', name), 'utf8').split('\n'));
		if (all.length >= lines) break;
	}
	return all.slice(0, lines).join('\n');
}

function time(run: () => void): number {
	return timeWithCpu(run).wallMs;
}

function timeWithCpu(run: () => void): {wallMs: number; cpuMs: number; mainThreadCpuMs: number} {
	const cpu = process.cpuUsage();
	const mainThread = mainThreadCpuPreciseMs();
	const start = process.hrtime.bigint();
	run();
	const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
	const mainThreadCpuMs = mainThreadCpuPreciseMs() - mainThread;
	const used = process.cpuUsage(cpu);
	return {wallMs, cpuMs: (used.user + used.system) / 1000, mainThreadCpuMs};
}

/** A fresh block object each time, so the per-block cache never answers. */
function freshBlock(code: string): CodeBlock {
	return parseMarkup('````ts\n' + code + '\n````')[0] as CodeBlock;
}

export async function benchHighlight(runs = 21): Promise<HighlightResult> {
	const lines = 1000;
	const code = projectTypeScript(lines);
	const loadStart = performance.now();
	if (!(await loadHighlighter())) throw new Error('the highlighter did not load');
	const loadMs = performance.now() - loadStart;

	const small = code.split('\n').slice(0, 20).join('\n');
	const firstSmallMs = time(() => highlightBlock(freshBlock(small)));
	highlightBlock(freshBlock(code));
	const warm = Array.from({length: runs}, () => {
		const block = freshBlock(code);
		return timeWithCpu(() => highlightBlock(block));
	});
	const afterGc = Array.from({length: runs}, () => {
		const block = freshBlock(code);
		globalThis.gc?.();
		return time(() => highlightBlock(block));
	});

	const block = freshBlock(code);
	const highlighted = highlightBlock(block).lines;
	const layoutMs = median(Array.from({length: runs}, () => time(() => codeBlockRows(block, highlighted, 100, {maxLines: Infinity}))));

	// The largest message a server lets through, full of everything the parser looks for.
	const message = ('see `x` at https://a.org/(b) and ```` ` `` ```ts\n').repeat(MAX_MESSAGE_CHARS / 48).slice(0, MAX_MESSAGE_CHARS);
	const parseMessageMs = median(Array.from({length: runs}, () => time(() => parseMarkup(message))));

	return {
		lines,
		loadMs,
		firstSmallMs,
		medianMs: median(warm.map(run => run.wallMs)),
		cpuMedianMs: median(warm.map(run => run.cpuMs)),
		mainThreadCpuMedianMs: median(warm.map(run => run.mainThreadCpuMs)),
		loadavg: os.loadavg()[0]!,
		afterGcMs: median(afterGc),
		layoutMs,
		parseMessageMs,
	};
}
