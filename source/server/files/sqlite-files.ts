// `--data DIR`: each room's file is one row of the `files` table, in the
// database the room log opened (one file, one lock). An update is a
// compare-and-set inside one synchronous transaction, so a status never goes
// out for a version a crash could take back.
import {StoreError} from '../store/message-log.js';
import {storeErrorOf, type Database} from '../store/sqlite-open.js';
import type {FileStore, FileUpdate, FileUpdateOutcome, SharedFile} from './file-store.js';

type Row = {name: string; msg: string; version: number; user: string; time: number};

function statements(db: Database) {
	return {
		get: db.prepare<[string], Row>('SELECT name, msg, version, user, time FROM files WHERE key = ?'),
		head: db.prepare<[string], {version: number; time: number}>('SELECT version, time FROM files WHERE key = ?'),
		put: db.prepare<[string, string, string, number, string, number]>(
			'INSERT INTO files (key, name, msg, version, user, time) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name, msg = excluded.msg, version = excluded.version, user = excluded.user, time = excluded.time',
		),
		drop: db.prepare<[string]>('DELETE FROM files WHERE key = ?'),
	};
}

export class SqliteFileStore implements FileStore {
	readonly kind = 'sqlite';
	readonly #db: Database;
	readonly #file: string;
	readonly #now: () => number;
	readonly #sql: ReturnType<typeof statements>;
	#closed = false;

	/** Uses a database someone else opened and closes (the room log's); `file` names it in errors. */
	constructor(db: Database, file: string, options: {now?: () => number} = {}) {
		this.#db = db;
		this.#file = file;
		this.#now = options.now ?? Date.now;
		this.#sql = statements(db);
	}

	async get(room: string): Promise<SharedFile | null> {
		this.#checkOpen();
		try {
			const row = this.#sql.get.get(room);
			return row ? {...row} : null;
		} catch (error) {
			throw storeErrorOf(error, this.#file, 'reading the shared file');
		}
	}

	async update({room, name, msg, base, user}: FileUpdate): Promise<FileUpdateOutcome> {
		this.#checkOpen();
		try {
			return this.#db.transaction((): FileUpdateOutcome => {
				const head = this.#sql.head.get(room);
				const version = head?.version ?? 0;
				if (base !== version) return {outcome: 'conflict', version};
				const time = Math.max(this.#now(), head?.time ?? 0);
				this.#sql.put.run(room, name, msg, version + 1, user, time);
				return {outcome: 'updated', version: version + 1, time};
			}).immediate();
		} catch (error) {
			throw storeErrorOf(error, this.#file, 'writing the shared file');
		}
	}

	async drop(room: string): Promise<void> {
		this.#checkOpen();
		this.#sql.drop.run(room);
	}

	/** The database belongs to the room log, which closes it. */
	async close(): Promise<void> {
		this.#closed = true;
	}

	#checkOpen(): void {
		if (this.#closed || !this.#db.open) throw new StoreError('closed', 'the file store is closed');
	}
}
