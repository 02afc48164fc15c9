// --help and --version must not load Ink: the entry chunk reaches Ink, React
// and yoga only through dynamic imports.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/pty.js';

const distDir = path.dirname(cliPath);

/** The chunks a module imports statically, and theirs, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
	if (seen.has(file)) return seen;
	seen.add(file);
	const source = readFileSync(file, 'utf8');
	for (const match of source.matchAll(/^import\s[^;]*?from\s*["'](\.[^"']+)["']|^import\s*["'](\.[^"']+)["']/gm)) {
		staticClosure(path.resolve(path.dirname(file), match[1] ?? match[2]), seen);
	}

	return seen;
}

describe('start-up', () => {
	it('loads no Ink, React or yoga for --help and --version', () => {
		const loaded = [...staticClosure(cliPath)];
		const code = loaded.map(file => readFileSync(file, 'utf8')).join('\n');
		// The help text and the parser are in the entry chunk.
		expect(code).toContain('print the version');
		for (const marker of ['yoga-layout', 'react-reconciler', 'node_modules/ink/']) expect(code).not.toContain(marker);
		// ...while the interface itself is there, behind a dynamic import.
		const entry = readFileSync(cliPath, 'utf8');
		const tuiChunk = /import\(["'](\.\/chunks\/run-tui-[\w-]+\.js)["']\)/.exec(entry)?.[1];
		expect(tuiChunk).toBeDefined();
		expect(loaded).not.toContain(path.resolve(distDir, tuiChunk!));
		// The markers are really there to be found, in the chunk the TUI loads.
		const tuiCode = [...staticClosure(path.resolve(distDir, tuiChunk!))].map(file => readFileSync(file, 'utf8')).join('\n');
		expect(tuiCode).toContain('yoga-layout');
		expect(tuiCode).toContain('react-reconciler');
	});
});
