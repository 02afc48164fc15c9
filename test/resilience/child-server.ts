// The reference server in a child process: bundled once per test file with
// esbuild (the sources are TypeScript), started with JSON options, killed
// with a real signal. Its log lines (ISO time first) are kept, so a test can
// read when each user connected, by the server's clock.
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {afterAll, beforeAll} from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

export type ChildServer = {
	readonly port: number;
	readonly process: ChildProcess;
	/** stderr lines so far: "2026-…Z connect alice from 127.0.0.1:5555", … */
	readonly lines: string[];
	/** Resolves when the process has exited. */
	readonly exited: Promise<void>;
	kill(signal?: NodeJS.Signals): Promise<void>;
};

/**
 * Bundles the child entry into a temporary directory under the project's
 * .tmp/, so that the packages kept external (better-sqlite3 is native) are
 * found in node_modules; returns the script and a cleanup.
 */
export async function bundleChildServer(): Promise<{script: string; remove: () => void}> {
	const parent = path.join(root, '.tmp');
	mkdirSync(parent, {recursive: true});
	const dir = mkdtempSync(path.join(parent, 'codechat-child-'));
	const script = path.join(dir, 'server.mjs');
	await build({
		entryPoints: [path.join(here, 'child-server-main.ts')],
		outfile: script,
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		external: ['ioredis', 'better-sqlite3'],
		logLevel: 'warning',
	});
	return {script, remove: () => rmSync(dir, {recursive: true, force: true})};
}

/**
 * For a test file: bundles the child server before its tests and removes the
 * bundle after them. Returns the function that starts one.
 */
export function useChildServers(): (options: Record<string, unknown>) => Promise<ChildServer> {
	let script = '';
	let remove = () => {};
	beforeAll(async () => {
		({script, remove} = await bundleChildServer());
	}, 30_000);
	afterAll(() => {
		remove();
	});
	return async options => spawnChildServer(script, options);
}

const running = new Set<ChildServer>();

export async function spawnChildServer(script: string, options: Record<string, unknown>): Promise<ChildServer> {
	const child = spawn(process.execPath, [script, JSON.stringify({host: '127.0.0.1', port: 0, ...options})], {stdio: ['ignore', 'pipe', 'pipe']});
	const lines: string[] = [];
	let stderrTail = '';
	child.stderr!.setEncoding('utf8');
	child.stderr!.on('data', (chunk: string) => {
		stderrTail += chunk;
		const parts = stderrTail.split('\n');
		stderrTail = parts.pop()!;
		lines.push(...parts);
	});
	const exited = new Promise<void>(resolve => {
		child.once('exit', () => resolve());
	});
	const port = await new Promise<number>((resolve, reject) => {
		let stdout = '';
		child.stdout!.setEncoding('utf8');
		child.stdout!.on('data', (chunk: string) => {
			stdout += chunk;
			const match = /listening (\d+)/.exec(stdout);
			if (match) resolve(Number(match[1]));
		});
		void exited.then(() => reject(new Error(`the child server exited before listening: ${lines.join('\n')}${stderrTail}`)));
	});
	const server: ChildServer = {
		port,
		process: child,
		lines,
		exited,
		async kill(signal = 'SIGKILL') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			await exited;
			running.delete(server);
		},
	};
	running.add(server);
	return server;
}

/** Kills every child server still running (for afterEach). */
export async function killChildServers(): Promise<void> {
	await Promise.all([...running].map(async server => server.kill()));
}

/** Server-clock times (ms since the epoch) of the "connect NAME" log lines, from line `from` on. */
export function connectTimes(lines: readonly string[], from = 0): Array<{user: string; time: number}> {
	const times: Array<{user: string; time: number}> = [];
	for (const line of lines.slice(from)) {
		const match = /^(\S+) connect (\S+) from /.exec(line);
		if (match) times.push({user: match[2]!, time: Date.parse(match[1]!)});
	}

	return times;
}
