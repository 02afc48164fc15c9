// Runs fixtures/node-main.ts as a child process: bundled once per test file
// with esbuild (a dev dependency) into a temp dir, then started with node.
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import type {RedisHubOptions} from '../../source/server/redis/options.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let bundled: Promise<string> | undefined;
const children = new Set<ChildProcess>();

async function bundle(): Promise<string> {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-node-'));
	const outfile = path.join(dir, 'node-main.mjs');
	await build({
		entryPoints: [path.join(here, 'fixtures', 'node-main.ts')],
		outfile,
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		logLevel: 'warning',
		// ioredis is CommonJS: give the ESM bundle a require().
		banner: {js: "import {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);"},
	});
	process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
	return outfile;
}

export type ChildNode = {
	port: number;
	nodeId: string;
	process: ChildProcess;
	/** What the node logged (its hub's lines). */
	stderr(): string;
	/** Sends a signal and, for a fatal one, waits for the exit. */
	signal(name: NodeJS.Signals): Promise<void>;
};

/** `accounts`: the node keeps its accounts in the same Redis (with the default prefix), as `serve --redis` does. */
export async function startChildNode(redisUrl: string, options: Partial<RedisHubOptions>, {accounts = false} = {}): Promise<ChildNode> {
	bundled ??= bundle();
	const script = await bundled;
	const child = spawn(process.execPath, [script, redisUrl, JSON.stringify(options), ...(accounts ? ['accounts'] : [])], {stdio: ['ignore', 'pipe', 'pipe']});
	children.add(child);
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise<void>(resolve => {
		child.once('exit', () => {
			children.delete(child);
			resolve();
		});
	});
	const first = await new Promise<{port: number; nodeId: string}>((resolve, reject) => {
		let stdout = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			const newline = stdout.indexOf('\n');
			if (newline >= 0) resolve(JSON.parse(stdout.slice(0, newline)) as {port: number; nodeId: string});
		});
		void exited.then(() => reject(new Error(`node exited before listening: ${stderr}`)));
	});
	return {
		...first,
		process: child,
		stderr: () => stderr,
		async signal(name) {
			child.kill(name);
			if (name === 'SIGKILL' || name === 'SIGTERM') await exited;
		},
	};
}

/** Kills every child node still running (for afterEach). */
export async function killChildNodes(): Promise<void> {
	const all = [...children];
	await Promise.all(
		all.map(
			async child =>
				new Promise<void>(resolve => {
					if (child.exitCode !== null || child.signalCode !== null) {
						resolve();
						return;
					}

					child.once('exit', () => resolve());
					child.kill('SIGKILL');
				}),
		),
	);
}
