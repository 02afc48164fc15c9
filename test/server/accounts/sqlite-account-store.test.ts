import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, describe, expect, it} from 'vitest';
import {SqliteAccountStore} from '../../../source/server/accounts/sqlite-account-store.js';
import {DATABASE_FILE, openDatabase, SCHEMA_VERSION} from '../../../source/server/store/sqlite-open.js';
import {SqliteLog} from '../../../source/server/store/sqlite-log.js';
import {accountStoreContract} from './store-contract.js';

const dirs: string[] = [];
function freshDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-accounts-'));
	dirs.push(dir);
	return dir;
}

afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

accountStoreContract('sqlite', async () => SqliteAccountStore.open(freshDir()));

describe('accounts in the --data database', () => {
	it('adds its tables to a database the room log wrote at schema 1, keeping the log', async () => {
		const dir = freshDir();
		const log = await SqliteLog.open(dir);
		await log.append([{conversation: '#lobby', user: 'ann', msg: 'before accounts'}]);
		await log.close();
		// Back to how the previous version left it: schema 1, none of the later steps' tables.
		const raw = new Database(path.join(dir, DATABASE_FILE));
		raw.exec('DROP TABLE accounts; DROP TABLE account_tokens; DROP TABLE account_addresses; DROP TABLE files; DROP TABLE account_conversations; ALTER TABLE messages DROP COLUMN action;');
		raw.pragma('user_version = 1');
		raw.close();

		const db = await openDatabase(dir);
		expect(db.pragma('user_version', {simple: true})).toBe(SCHEMA_VERSION);
		const accounts = new SqliteAccountStore(db);
		expect(await accounts.create({nameKey: 'ann', name: 'ann', passwordHash: 'h', created: 1})).toBe(true);
		db.close();
		const reopened = await SqliteLog.open(dir);
		expect((await reopened.history('#lobby', {})).messages.map(message => message.msg)).toEqual(['before accounts']);
		await reopened.close();
	});

	it('shares the database handle of the room log, and leaves it open on close', async () => {
		const db = await openDatabase(freshDir());
		const accounts = new SqliteAccountStore(db);
		await accounts.close();
		expect(db.open).toBe(true);
		db.close();
	});
});
