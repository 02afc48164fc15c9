import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {SqliteFileStore} from '../../../source/server/files/sqlite-files.js';
import {SqliteLog} from '../../../source/server/store/sqlite-log.js';
import {DATABASE_FILE, SCHEMA_VERSION} from '../../../source/server/store/sqlite-open.js';
import {fileStoreContract} from './contract.js';

const dirs: string[] = [];
const freshDir = () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-files-'));
	dirs.push(dir);
	return dir;
};

afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

/** A store on the log's database; closing the store closes the log too, as a server does at exit. */
async function openOn(dir: string, now?: () => number) {
	const log = await SqliteLog.open(dir);
	const files = new SqliteFileStore(log.database, path.join(dir, DATABASE_FILE), {now});
	const close = files.close.bind(files);
	files.close = async () => {
		await close();
		await log.close();
	};

	return files;
}

fileStoreContract('sqlite', async ({now}) => openOn(freshDir(), now));

describe('SqliteFileStore on disk', () => {
	it('keeps the file across a restart, in the log database', async () => {
		const dir = freshDir();
		const first = await openOn(dir);
		await first.update({room: '#lobby', name: 'main.go', msg: 'package main\n', base: 0, user: 'ann'});
		await first.close();
		const second = await openOn(dir);
		expect(await second.get('#lobby')).toMatchObject({name: 'main.go', msg: 'package main\n', version: 1, user: 'ann'});
		await second.close();
	});

	it('migrates a database of schema 1 (log only) to the current schema, keeping its messages', async () => {
		const dir = freshDir();
		const {default: Driver} = await import('better-sqlite3');
		const log = await SqliteLog.open(dir);
		await log.append([{conversation: '#lobby', user: 'ann', msg: 'before the files'}]);
		await log.close();
		// Make it a schema-1 database again, as an older codechat-tui left it.
		const raw = new Driver(path.join(dir, DATABASE_FILE));
		raw.exec('DROP TABLE files; DROP TABLE account_addresses; DROP TABLE account_tokens; DROP TABLE accounts; DROP TABLE account_conversations; ALTER TABLE messages DROP COLUMN action;');
		raw.pragma('user_version = 1');
		raw.close();

		const files = await openOn(dir);
		const check = new Driver(path.join(dir, DATABASE_FILE), {readonly: true, fileMustExist: true});
		expect(await files.update({room: '#lobby', name: 'a.ts', msg: 'x', base: 0, user: 'ann'})).toMatchObject({outcome: 'updated', version: 1});
		await files.close();
		expect(check.pragma('user_version', {simple: true})).toBe(SCHEMA_VERSION);
		expect(check.prepare('SELECT msg FROM messages').all()).toEqual([{msg: 'before the files'}]);
		check.close();
	});
});
