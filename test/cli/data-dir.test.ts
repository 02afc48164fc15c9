// `serve --data DIR` as a user runs it (the built CLI): a directory that
// cannot be used is refused with one line and exit code 2, before anything
// listens; a directory in use by a running server is one of those.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/pty.js';
import {freePort} from '../helpers/redis.js';

const work = mkdtempSync(path.join(tmpdir(), 'codechat-data-'));
const children = new Set<ChildProcess>();
afterEach(() => {
	for (const child of children) child.kill('SIGKILL');
	children.clear();
});
afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

/** For refusals: nothing listens, so the port is never used. */
function serve(args: string[]) {
	return spawnSync(process.execPath, [cliPath, 'serve', '--port', '1024', ...args], {encoding: 'utf8', timeout: 20_000, env: {...process.env, REDIS_URL: ''}});
}

/** Starts `serve` and resolves once it listens (its first stderr line). */
async function serveInBackground(args: string[]): Promise<ChildProcess> {
	const child = spawn(process.execPath, [cliPath, 'serve', '--port', String(await freePort()), ...args], {stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, REDIS_URL: ''}});
	children.add(child);
	await new Promise<void>((resolve, reject) => {
		let stderr = '';
		child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
			if (stderr.includes('listening on')) resolve();
		});
		child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
	});
	return child;
}

function expectOneLineRefusal(result: ReturnType<typeof serve>, text: RegExp): void {
	expect(result.status).toBe(2);
	const lines = result.stderr.trimEnd().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^codechat-tui: /);
	expect(lines[0]).toMatch(text);
	expect(lines[0]).not.toContain('    at ');
}

describe('serve --data', () => {
	it('refuses a directory another running server holds', async () => {
		const dir = path.join(work, 'shared');
		await serveInBackground(['--data', dir]);
		expectOneLineRefusal(serve(['--data', dir]), /in use by another running server: stop it, or give another --data directory/);
	});

	it('refuses a database from a newer version', () => {
		const dir = path.join(work, 'newer');
		spawnSync('mkdir', ['-p', dir]);
		const db = new Database(path.join(dir, 'codechat.db'));
		db.pragma('user_version = 99');
		db.close();
		expectOneLineRefusal(serve(['--data', dir]), /written by a newer codechat-tui \(schema 99/);
	});

	it('refuses a path that is not a usable directory', () => {
		const file = path.join(work, 'a-file');
		writeFileSync(file, 'not a directory');
		expectOneLineRefusal(serve(['--data', file]), /cannot use data directory .*a-file/);
		if (process.getuid?.() !== 0) {
			const locked = path.join(work, 'no-access');
			spawnSync('mkdir', ['-p', locked]);
			chmodSync(locked, 0o500);
			expectOneLineRefusal(serve(['--data', locked]), /cannot use data directory .*no-access/);
		}
	});

	it('refuses --data with --redis or REDIS_URL, and a bad --history', () => {
		expectOneLineRefusal(serve(['--data', work, '--redis', 'redis://127.0.0.1:1']), /--data and --redis exclude each other/);
		const viaEnvironment = spawnSync(process.execPath, [cliPath, 'serve', '--data', work], {encoding: 'utf8', timeout: 20_000, env: {...process.env, REDIS_URL: 'redis://127.0.0.1:1'}});
		expectOneLineRefusal(viaEnvironment, /--data and REDIS_URL exclude each other/);
		expectOneLineRefusal(serve(['--history', '-1']), /--history/);
		expectOneLineRefusal(serve(['--history', 'lots']), /--history must be a whole number of at least 0/);
	});

	it('says where the history is kept when it starts', async () => {
		const child = spawn(process.execPath, [cliPath, 'serve', '--port', String(await freePort()), '--data', path.join(work, 'fresh')], {stdio: ['ignore', 'ignore', 'pipe']});
		children.add(child);
		let stderr = '';
		await new Promise<void>((resolve, reject) => {
			child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
				stderr += chunk;
				if (stderr.includes('messages per room')) resolve();
			});
			child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
		});
		expect(stderr).toContain(`history in ${path.join(work, 'fresh')}, 10000 messages per room`);
	});
});
