// Opens `--data DIR`'s database or refuses with one StoreError line: a
// missing driver, a directory that cannot be used, a schema from a newer
// version, another running server, a damaged file. The lock is SQLite's own:
// `locking_mode=EXCLUSIVE` plus a write at open takes an exclusive lock on the
// database file and holds it until close. The kernel drops it when the
// process dies, so a SIGKILLed server leaves no stale lock to clean up and no
// pid to mistake for a live one, and a second server's first read fails at
// once with SQLITE_BUSY.
import {accessSync, constants, mkdirSync, statSync} from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {StoreError} from './message-log.js';

export type Database = BetterSqlite3.Database;

/**
 * The schema, as the steps from each version to the next: a database at
 * `user_version` v runs steps v+1… at open, in one transaction. A new table
 * is a new step at the end; a written step never changes.
 */
const MIGRATIONS: readonly string[] = [
	// 1: the room log (§9).
	`
CREATE TABLE conversations (
	c INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	epoch TEXT NOT NULL,
	last INTEGER NOT NULL,
	last_time INTEGER NOT NULL
);
CREATE TABLE messages (
	c INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	time INTEGER NOT NULL,
	user TEXT NOT NULL,
	msg TEXT NOT NULL,
	id TEXT,
	PRIMARY KEY (c, seq)
) WITHOUT ROWID;
CREATE TABLE ids (
	n INTEGER PRIMARY KEY,
	c INTEGER NOT NULL,
	id TEXT NOT NULL,
	seq INTEGER NOT NULL,
	time INTEGER NOT NULL,
	fingerprint TEXT NOT NULL,
	UNIQUE (c, id)
);
`,
	// 2: accounts (§11), by name key; tokens and addresses are the account's, deleted with it.
	`
CREATE TABLE accounts (
	key TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	hash TEXT NOT NULL,
	created INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE account_tokens (
	digest TEXT PRIMARY KEY,
	key TEXT NOT NULL,
	created INTEGER NOT NULL,
	last_used INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX account_tokens_by_key ON account_tokens (key, last_used);
CREATE TABLE account_addresses (
	key TEXT NOT NULL,
	address TEXT NOT NULL,
	last_success INTEGER NOT NULL,
	PRIMARY KEY (key, address)
) WITHOUT ROWID;
`,
	// 3: the shared file of each room (§12), by the room's key.
	`
CREATE TABLE files (
	key TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	msg TEXT NOT NULL,
	version INTEGER NOT NULL,
	user TEXT NOT NULL,
	time INTEGER NOT NULL
) WITHOUT ROWID;
`,
	// 4: the stored direct conversations of each account (§10), by name key; the messages are in the room log's tables.
	`
CREATE TABLE account_conversations (
	key TEXT NOT NULL,
	other TEXT NOT NULL,
	conversation TEXT NOT NULL,
	PRIMARY KEY (key, other)
) WITHOUT ROWID;
`,
	// 2: §13 `/me` actions keep their mark in the log (1 = action, NULL = a plain message).
	`
ALTER TABLE messages ADD COLUMN action INTEGER;
`,
];

/** The schema this code writes; a database with a higher `user_version` is refused. */
export const SCHEMA_VERSION = MIGRATIONS.length;
export const DATABASE_FILE = 'codechat.db';

/** How long to wait for a lock held by a server that is just now exiting. */
const BUSY_TIMEOUT_MS = 250;

type DriverModule = {default: typeof BetterSqlite3};

async function loadDriver(): Promise<typeof BetterSqlite3> {
	try {
		const driver = (await import('better-sqlite3')) as DriverModule;
		return driver.default;
	} catch (error) {
		throw new StoreError(
			'missing-driver',
			'--data needs the optional package better-sqlite3, which is not installed here: run `npm install better-sqlite3@12`, or serve without --data',
			{cause: error},
		);
	}
}

function checkDirectory(dir: string): void {
	try {
		mkdirSync(dir, {recursive: true});
		if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), {code: 'ENOTDIR'});
		accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
		throw new StoreError('unreadable', `cannot use data directory ${dir} (${reason}): give a directory this user can read and write`, {cause: error});
	}
}

/** Turns a SQLite failure into the StoreError the CLI prints; `doing` says when it happened. */
export function storeErrorOf(error: unknown, file: string, doing: string): StoreError {
	if (error instanceof StoreError) return error;
	const code = String((error as {code?: unknown}).code ?? '');
	const detail = (error as Error).message;
	if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
		return new StoreError('locked', `data file ${file} is in use by another running server: stop it, or give another --data directory`, {cause: error});
	}

	if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
		return new StoreError('corrupt', `data file ${file} is damaged (${detail}): restore it from a backup, or move it away to start an empty log`, {cause: error});
	}

	if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_AUTH') {
		return new StoreError('unreadable', `cannot open data file ${file} (${detail}): check its owner and permissions`, {cause: error});
	}

	return new StoreError('unavailable', `data file ${file}: ${doing} failed (${detail})`, {cause: error});
}

/** Opens (creating if needed) the database in `dir`, locked for this process, schema checked. */
export async function openDatabase(dir: string): Promise<Database> {
	const Driver = await loadDriver();
	checkDirectory(dir);
	const file = path.join(dir, DATABASE_FILE);
	let db: Database | undefined;
	try {
		db = new Driver(file, {timeout: BUSY_TIMEOUT_MS});
		db.pragma('locking_mode = EXCLUSIVE');
		// Takes the exclusive lock now, before anything is read or trusted.
		db.exec('BEGIN IMMEDIATE; COMMIT;');
		const version = db.pragma('user_version', {simple: true}) as number;
		if (version > SCHEMA_VERSION) {
			throw new StoreError(
				'newer-version',
				`data file ${file} was written by a newer codechat-tui (schema ${version}, this one knows ${SCHEMA_VERSION}): upgrade, or give another --data directory`,
			);
		}

		db.pragma('journal_mode = WAL');
		// A SIGKILL cannot lose a commit that reached the WAL; only a power cut could lose the last few.
		db.pragma('synchronous = NORMAL');
		if (version < SCHEMA_VERSION) {
			db.transaction(() => {
				for (const step of MIGRATIONS.slice(version)) db!.exec(step);
				db!.pragma(`user_version = ${SCHEMA_VERSION}`);
			}).immediate();
		}

		// Reads every page of the schema once, so a damaged file is refused here rather than on the first message.
		db.prepare('SELECT count(*) FROM conversations').get();
		return db;
	} catch (error) {
		db?.close();
		throw storeErrorOf(error, file, 'opening');
	}
}
