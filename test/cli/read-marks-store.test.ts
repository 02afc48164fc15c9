// The read marks' file: per server and name, private, written once for many
// saves (on flush), read back checked; a damaged file is said, not a crash.
import {existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {ReadMarksStore} from '../../source/cli/read-marks-store.js';

const root = mkdtempSync(path.join(tmpdir(), 'codechat-read-marks-'));
afterAll(() => {
	rmSync(root, {recursive: true, force: true});
});

const server = {host: '127.0.0.1', port: 7000, tls: false};
const never = () => {
	throw new Error('no problem expected');
};

describe('ReadMarksStore', () => {
	it('writes the last of many saves on flush, 0600, and reads it back per server and name', () => {
		const directory = path.join(root, 'a');
		const store = new ReadMarksStore(directory, server, 'Alice', 60_000);
		expect(store.read()).toEqual({marks: new Map()});
		store.save(new Map([['#lobby', {epoch: 'e', seq: 1}]]), never);
		store.save(new Map([['#lobby', {epoch: 'e', seq: 4}], ['@bob', {epoch: 'f', seq: 2}]]), never);
		expect(existsSync(store.directory)).toBe(false);
		store.flush();
		const [file] = readdirSync(store.directory);
		expect(statSync(path.join(store.directory, file!)).mode & 0o777).toBe(0o600);
		expect(new ReadMarksStore(directory, server, 'alice').read().marks).toEqual(new Map([['#lobby', {epoch: 'e', seq: 4}], ['@bob', {epoch: 'f', seq: 2}]]));
		// Another server, or another name: nothing of these.
		expect(new ReadMarksStore(directory, {...server, port: 7001}, 'alice').read().marks).toEqual(new Map());
		expect(new ReadMarksStore(directory, server, 'bob').read().marks).toEqual(new Map());
	});

	it('says a damaged file and drops marks that are not well formed', () => {
		const directory = path.join(root, 'b');
		const store = new ReadMarksStore(directory, server, 'alice', 60_000);
		store.save(new Map([['#lobby', {epoch: 'e', seq: 1}]]), never);
		store.flush();
		const file = path.join(store.directory, readdirSync(store.directory)[0]!);
		writeFileSync(file, '{not json');
		const damaged = store.read();
		expect(damaged.marks).toEqual(new Map());
		expect(damaged.problem).toContain(file);
		writeFileSync(file, JSON.stringify({server: 'tcp://127.0.0.1:7000', name: 'alice', marks: {'#ok': {epoch: 'e', seq: 3}, '#neg': {epoch: 'e', seq: -1}, '#noepoch': {seq: 2}}}));
		expect(store.read()).toEqual({marks: new Map([['#ok', {epoch: 'e', seq: 3}]])});
	});

	it('says a write that fails, through the report it was given', () => {
		const blocker = path.join(root, 'file-not-folder');
		writeFileSync(blocker, '');
		const store = new ReadMarksStore(blocker, server, 'alice', 60_000);
		const problems: string[] = [];
		store.save(new Map([['#lobby', {epoch: 'e', seq: 1}]]), problem => problems.push(problem));
		store.flush();
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/cannot save where you stopped reading/);
	});
});
