// Layout time per character of one message, from 1k to 1M characters: the
// pane's layout of an entry (entryRows, which shows the first 16,384
// characters and counts the rest) and wrapText on the whole text (no cap), to
// show that the wrapping itself is linear. Mixed scripts, so that grapheme
// segmentation (the part that was super-linear) runs all along.
import type {LogEntry} from '../source/state/types.js';
import {wrapText} from '../source/text/wrap.js';
import {entryRows} from '../source/ui/pane-layout.js';
import {median} from './stats.js';

export const LAYOUT_SIZES = [1_000, 10_000, 100_000, 1_000_000] as const;

export type LayoutResult = {
	/** Characters (code units) → nanoseconds per character. */
	entryRowsNsPerChar: Record<number, number>;
	wrapTextNsPerChar: Record<number, number>;
};

const UNIT = 'héllo wörld 漢字 😀 ';

function textOf(length: number): string {
	return UNIT.repeat(Math.ceil(length / UNIT.length)).slice(0, length);
}

/** Milliseconds per call of `run`, repeated until at least `minMs` have passed (small inputs are too quick to time once). */
function msPerCall(run: () => void, minMs = 100): number {
	let calls = 0;
	const start = performance.now();
	do {
		run();
		calls++;
	} while (performance.now() - start < minMs);
	return (performance.now() - start) / calls;
}

export function benchLayout(rounds = 5): LayoutResult {
	const texts = LAYOUT_SIZES.map(textOf);
	const contenders = texts.flatMap(text => [
		{size: text.length, kind: 'entryRows' as const, run() {
			// A new entry object each call, as a new message is: nothing is cached by entry.
			const entry: LogEntry = {kind: 'chat', id: 1, time: 0, user: 'mallory', text, own: false, mention: false};
			entryRows(entry, 'alice', 80);
		}},
		{size: text.length, kind: 'wrapText' as const, run() {
			wrapText(text, 70);
		}},
	]);
	// Sizes take turns within each round, so that the load of a shared machine falls on all of them alike.
	const samples = contenders.map(() => [] as number[]);
	for (let round = 0; round < rounds; round++) {
		for (const [index, contender] of contenders.entries()) {
			globalThis.gc?.();
			samples[index]!.push((msPerCall(contender.run) * 1e6) / contender.size);
		}
	}

	const result: LayoutResult = {entryRowsNsPerChar: {}, wrapTextNsPerChar: {}};
	for (const [index, {size, kind}] of contenders.entries()) {
		(kind === 'entryRows' ? result.entryRowsNsPerChar : result.wrapTextNsPerChar)[size] = median(samples[index]!);
	}
	return result;
}
