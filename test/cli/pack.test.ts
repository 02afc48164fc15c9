// `npm pack` gives a package that installs into an empty folder and runs.
// The bundle carries Ink and React; only ioredis (for --redis) is installed,
// and better-sqlite3 (for --data) when optional dependencies are; the client
// must run without it, so it is left out here (it would also build from source).
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'codechat-pack-'));

afterAll(() => {
	rmSync(work, {recursive: true, force: true});
});

describe('the npm package', () => {
	it('installs into an empty folder and runs codechat-tui --version', () => {
		// The test run has built dist/ already; --ignore-scripts skips building it again.
		execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], {cwd: root, stdio: 'pipe'});
		const tarball = readdirSync(work).find(name => name.endsWith('.tgz'));
		expect(tarball).toBeDefined();
		const project = path.join(work, 'empty');
		mkdirSync(project);
		writeFileSync(path.join(project, 'package.json'), '{"name": "empty", "private": true}\n');
		execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=optional', path.join(work, tarball!)], {cwd: project, stdio: 'pipe', timeout: 120_000});
		expect(existsSync(path.join(project, 'node_modules/better-sqlite3'))).toBe(false);
		const version = execFileSync(path.join(project, 'node_modules/.bin/codechat-tui'), ['--version'], {encoding: 'utf8'}).trim();
		const expected = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string}).version;
		expect(version).toBe(expected);
		const help = execFileSync(path.join(project, 'node_modules/.bin/codechat-tui'), ['--help'], {encoding: 'utf8'});
		expect(help).toContain('Examples');
	}, 180_000);
});
