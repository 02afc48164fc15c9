import {describe, expect, it} from 'vitest';
import {build} from 'esbuild';

// The client's start-up must not load the grammars: bundled as the CLI is
// (scripts/build.mjs: ESM, code splitting), everything that draws markup
// reaches highlight.js only through the chunk that highlighter.ts imports.
describe('the highlighter in the bundle', () => {
	it('is a chunk of its own, outside what the markup modules load statically', async () => {
		const entryPoints = ['source/text/highlighter.ts', 'source/text/code-block.ts', 'source/text/markup.ts', 'source/commands/paste-command.ts'];
		const result = await build({
			entryPoints,
			outdir: 'out',
			bundle: true,
			splitting: true,
			format: 'esm',
			platform: 'node',
			write: false,
			metafile: true,
			logLevel: 'silent',
		});
		const outputs = Object.entries(result.metafile.outputs);
		const holdsGrammars = ([, output]: (typeof outputs)[number]) => Object.keys(output.inputs).some(input => input.includes('node_modules/highlight.js/'));
		const grammarChunks = outputs.filter(holdsGrammars).map(([name]) => name);
		expect(grammarChunks).toHaveLength(1);

		// Walk the static imports from each entry: none may reach the grammar chunk.
		const byName = new Map(outputs);
		for (const [name, output] of outputs) {
			// (The import() target is an entry of its own; only the modules the client imports count.)
			if (!output.entryPoint || !entryPoints.includes(output.entryPoint)) continue;
			const seen = new Set<string>();
			const queue = [name];
			while (queue.length > 0) {
				const current = queue.pop()!;
				if (seen.has(current)) continue;
				seen.add(current);
				for (const imported of byName.get(current)?.imports ?? []) {
					if (imported.kind === 'import-statement') queue.push(imported.path);
				}
			}
			expect([...seen].filter(chunk => grammarChunks.includes(chunk)), output.entryPoint).toEqual([]);
		}
		// And the highlighter does reach it, lazily.
		const highlighter = outputs.find(([, output]) => output.entryPoint === 'source/text/highlighter.ts')![1];
		expect(highlighter.imports.some(imported => imported.kind === 'dynamic-import' && grammarChunks.includes(imported.path))).toBe(true);
	});
});
