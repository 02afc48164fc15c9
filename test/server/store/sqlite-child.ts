// Runs fixtures/sqlite-child.ts in a child process: bundled once per test
// file into the project's .tmp/ (so the bundle finds better-sqlite3 in
// node_modules, kept external since it is native), then started with node.
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const bundles = new Map<string, Promise<string>>();
const children = new Set<ChildProcess>();

/** `where`: 'project' finds better-sqlite3 in node_modules; 'elsewhere' (the temp dir) cannot, as on a machine without it. */
async function bundle(where: 'project' | 'elsewhere'): Promise<string> {
	const parent = where === 'project' ? path.join(root, '.tmp') : tmpdir();
	mkdirSync(parent, {recursive: true});
	const dir = mkdtempSync(path.join(parent, 'sqlite-child-'));
	const outfile = path.join(dir, 'sqlite-child.mjs');
	await build({
		entryPoints: [path.join(here, 'fixtures', 'sqlite-child.ts')],
		outfile,
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		external: ['better-sqlite3'],
		logLevel: 'warning',
	});
	process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
	return outfile;
}

export type SqliteChild = {
	/** Resolves with the first stdout line that satisfies `match`. */
	line(match: (line: string) => boolean): Promise<string>;
	lines(): string[];
	kill(): Promise<void>;
	exited: Promise<number | null>;
};

export async function startSqliteChild(mode: 'append' | 'hold', dir: string, where: 'project' | 'elsewhere' = 'project'): Promise<SqliteChild> {
	if (!bundles.has(where)) bundles.set(where, bundle(where));
	const child = spawn(process.execPath, [await bundles.get(where)!, mode, dir], {stdio: ['ignore', 'pipe', 'inherit']});
	children.add(child);
	const seen: string[] = [];
	let partial = '';
	const waiters: Array<{match: (line: string) => boolean; resolve: (line: string) => void}> = [];
	child.stdout!.on('data', (chunk: Buffer) => {
		const parts = (partial + chunk.toString()).split('\n');
		partial = parts.pop()!;
		for (const line of parts) {
			seen.push(line);
			for (const waiter of waiters.filter(candidate => candidate.match(line))) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(line);
			}
		}
	});
	const exited = new Promise<number | null>(resolve => {
		child.once('close', code => {
			children.delete(child);
			resolve(code);
		});
	});
	return {
		async line(match) {
			const found = seen.find(line => match(line));
			if (found !== undefined) return found;
			return new Promise((resolve, reject) => {
				waiters.push({match, resolve});
				void exited.then(() => reject(new Error(`child exited; it printed: ${seen.slice(-5).join(' | ')}`)));
			});
		},
		lines: () => seen,
		async kill() {
			child.kill('SIGKILL');
			await exited;
		},
		exited,
	};
}

process.once('exit', () => {
	for (const child of children) child.kill('SIGKILL');
});
