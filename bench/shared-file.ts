// The shared file on the client: the line diff each update costs (a person's
// few edits to a 1,000-line file, and two unrelated 48 KiB files, where the
// diff gives up), and the file pane's rows: a new version's first window (the whole file
// highlighted once), then a scroll (a 30-row window laid out).
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {lineChanges} from '../source/files/line-changes.js';
import {loadHighlighter} from '../source/text/highlighter.js';
import {fileBlock, filePaneRows} from '../source/ui/file-pane.js';
import {median} from './stats.js';

export type SharedFileResult = {lines: number; editDiffMs: number; rewriteDiffMs: number; firstWindowMs: number; scrollWindowMs: number};

function projectLines(count: number): string[] {
	const all: string[] = [];
	for (const name of readdirSync('source', {recursive: true, encoding: 'utf8'}).filter(file => file.endsWith('.ts')).sort()) {
		all.push(...readFileSync(join('source', name), 'utf8').split('\n'));
		if (all.length >= count) break;
	}
	return all.slice(0, count);
}

function time(run: () => void): number {
	const start = process.hrtime.bigint();
	run();
	return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchSharedFile(runs = 21): Promise<SharedFileResult> {
	const lines = projectLines(1000);
	const before = lines.join('\n');
	const edited = [...lines];
	for (const at of [10, 200, 450, 700, 990]) edited[at] = `${edited[at]} // edited`;
	edited.splice(500, 0, 'const added = 1;', 'const another = 2;');
	const after = edited.join('\n');
	const editDiffMs = median(Array.from({length: runs}, () => time(() => lineChanges(before, after))));

	const left = Array.from({length: 2000}, (_, index) => `left ${index} ${'x'.repeat(16)}`).join('\n').slice(0, 48 * 1024);
	const right = Array.from({length: 2000}, (_, index) => `right ${index} ${'y'.repeat(15)}`).join('\n').slice(0, 48 * 1024);
	const rewriteDiffMs = median(Array.from({length: runs}, () => time(() => lineChanges(left, right))));

	await loadHighlighter();
	const changed = lineChanges(before, after).changed;
	// A fresh block each run, as a new version is: the whole file is highlighted once, then the window laid out.
	const firstWindowMs = median(Array.from({length: runs}, () => {
		const block = fileBlock('big.ts', after);
		return time(() => filePaneRows(block, changed, 60, 500, 30));
	}));
	const block = fileBlock('big.ts', after);
	filePaneRows(block, changed, 60, 0, 30);
	const scrollWindowMs = median(Array.from({length: runs}, (_, index) => time(() => filePaneRows(block, changed, 60, index * 30, 30))));
	return {lines: lines.length, editDiffMs, rewriteDiffMs, firstWindowMs, scrollWindowMs};
}
