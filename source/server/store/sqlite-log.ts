// `--data DIR`: the log in an embedded SQLite database (WAL). Appends queued
// in one tick are committed in one synchronous transaction, and their
// promises resolve only after it: no status or event leaves for a message
// that a SIGKILL could take back. Epochs live in the database, so they
// survive a restart; a torn WAL tail is SQLite's to recover (it ignores a
// transaction whose frames did not all reach the file).
import {fingerprint, newEpoch} from './epoch.js';
import {buildPage} from './history-page.js';
import {
	clampLimit,
	DEFAULT_HISTORY_PER_CONVERSATION,
	MAX_IDS,
	StoreError,
	type AppendOutcome,
	type HistoryPage,
	type HistoryQuery,
	type MessageLog,
	type NewMessage,
	type StoredMessage,
} from './message-log.js';
import {DATABASE_FILE, openDatabase, storeErrorOf, type Database} from './sqlite-open.js';
import {TickBatcher} from './tick-batcher.js';
import {withDefaults} from './with-defaults.js';

export type SqliteLogOptions = {
	perConversation: number;
	maxIds: number;
	/** Most messages in one transaction. */
	maxBatch: number;
	now: () => number;
};

type Conversation = {c: number; epoch: string; last: number; lastTime: number};
/** A message row as an array (`.raw()`): cheaper than an object per row on a 1,000-row page. */
type Row = [seq: number, time: number, user: string, msg: string, id: string | null, action: number | null];

function statements(db: Database) {
	return {
		conversation: db.prepare<[string], {c: number; epoch: string; last: number; last_time: number}>('SELECT c, epoch, last, last_time FROM conversations WHERE key = ?'),
		createConversation: db.prepare<[string, string]>('INSERT INTO conversations (key, epoch, last, last_time) VALUES (?, ?, 0, 0)'),
		advance: db.prepare<[number, number, number]>('UPDATE conversations SET last = ?, last_time = ? WHERE c = ?'),
		insert: db.prepare<[number, number, number, string, string, string | null, number | null]>('INSERT INTO messages (c, seq, time, user, msg, id, action) VALUES (?, ?, ?, ?, ?, ?, ?)'),
		seenId: db.prepare<[number, string], {seq: number; time: number; fingerprint: string}>('SELECT seq, time, fingerprint FROM ids WHERE c = ? AND id = ?'),
		keepId: db.prepare<[number, string, number, number, string]>('INSERT INTO ids (c, id, seq, time, fingerprint) VALUES (?, ?, ?, ?, ?)'),
		trim: db.prepare<[number, number]>('DELETE FROM messages WHERE c = ? AND seq <= ?'),
		trimIds: db.prepare<[number]>('DELETE FROM ids WHERE n <= ?'),
		first: db.prepare<[number], {first: number | null}>('SELECT min(seq) AS first FROM messages WHERE c = ?'),
		after: db.prepare<[number, number, number], Row>('SELECT seq, time, user, msg, id, action FROM messages WHERE c = ? AND seq > ? ORDER BY seq LIMIT ?').raw(),
		before: db.prepare<[number, number, number], Row>('SELECT seq, time, user, msg, id, action FROM messages WHERE c = ? AND seq < ? ORDER BY seq DESC LIMIT ?').raw(),
		dropMessages: db.prepare<[number]>('DELETE FROM messages WHERE c = ?'),
		dropIds: db.prepare<[number]>('DELETE FROM ids WHERE c = ?'),
		dropConversation: db.prepare<[number]>('DELETE FROM conversations WHERE c = ?'),
		trimAll: db.prepare<[number]>('DELETE FROM messages WHERE seq <= (SELECT last FROM conversations WHERE conversations.c = messages.c) - ?'),
	};
}

export class SqliteLog implements MessageLog {
	readonly kind = 'sqlite';
	readonly #db: Database;
	readonly #file: string;
	readonly #options: SqliteLogOptions;
	readonly #sql: ReturnType<typeof statements>;
	/** Committed state of each conversation touched since open; the database is the truth. */
	readonly #conversations = new Map<string, Conversation>();
	readonly #batcher: TickBatcher<NewMessage, AppendOutcome>;
	#closed = false;

	private constructor(db: Database, file: string, options: SqliteLogOptions) {
		this.#db = db;
		this.#file = file;
		this.#options = options;
		this.#sql = statements(db);
		this.#batcher = new TickBatcher(messages => this.#commit(messages), options.maxBatch);
	}

	/** Opens (or creates) the log in `dir`; rejects with a StoreError the CLI prints as is. */
	static async open(dir: string, options: Partial<SqliteLogOptions> = {}): Promise<SqliteLog> {
		const db = await openDatabase(dir);
		const resolved: SqliteLogOptions = withDefaults<SqliteLogOptions>({perConversation: DEFAULT_HISTORY_PER_CONVERSATION, maxIds: MAX_IDS, maxBatch: 1000, now: Date.now}, options);
		const log = new SqliteLog(db, `${dir}/${DATABASE_FILE}`, resolved);
		// A restart with a smaller --history trims at once rather than on each conversation's next message.
		log.#sql.trimAll.run(resolved.perConversation);
		return log;
	}

	/** The open database, for the accounts and shared files kept in the same file; it closes with the log. */
	get database(): Database {
		return this.#db;
	}

	async append(messages: readonly NewMessage[]): Promise<AppendOutcome[]> {
		if (this.#closed) throw new StoreError('closed', 'the message log is closed');
		return this.#batcher.add(messages);
	}

	async history(conversation: string, query: HistoryQuery, limit?: number): Promise<HistoryPage> {
		if (this.#closed) throw new StoreError('closed', 'the message log is closed');
		try {
			const log = this.#conversation(conversation, true);
			const count = clampLimit(limit);
			const rows =
				query.after === undefined
					? this.#sql.before.all(log.c, query.before ?? Number.MAX_SAFE_INTEGER, count).reverse()
					: this.#sql.after.all(log.c, query.after, count);
			const first = this.#sql.first.get(log.c)?.first ?? (log.last === 0 ? 0 : log.last + 1);
			return buildPage(conversation, query, rows.map(row => stored(row, log.epoch)), {epoch: log.epoch, first, last: log.last});
		} catch (error) {
			throw storeErrorOf(error, this.#file, 'reading history');
		}
	}

	async drop(conversation: string): Promise<void> {
		// Queued appends go first, so none of them lands in the dropped log's place.
		this.#batcher.flush();
		const log = this.#conversation(conversation, false);
		this.#conversations.delete(conversation);
		if (!log) return;
		this.#db.transaction(() => {
			this.#sql.dropMessages.run(log.c);
			this.#sql.dropIds.run(log.c);
			this.#sql.dropConversation.run(log.c);
		})();
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#batcher.flush();
		this.#closed = true;
		this.#db.close();
	}

	/** One transaction for a tick's messages; the cache changes only once it committed. */
	#commit(messages: NewMessage[]): AppendOutcome[] {
		const working = new Map<string, Conversation>();
		let newestId = 0;
		const run = this.#db.transaction(() => {
			const outcomes = messages.map(message => {
				let log = working.get(message.conversation);
				if (!log) {
					const committed = this.#conversations.get(message.conversation);
					log = committed ? {...committed} : this.#load(message.conversation, true)!;
					working.set(message.conversation, log);
				}

				const print = message.id === undefined ? undefined : fingerprint(message.user, message.msg);
				if (message.id !== undefined) {
					const seen = this.#sql.seenId.get(log.c, message.id);
					if (seen) {
						if (seen.fingerprint !== print) return {outcome: 'conflict'} as const;
						return {outcome: 'duplicate', seq: seen.seq, epoch: log.epoch, time: seen.time} as const;
					}
				}

				const seq = log.last + 1;
				const time = Math.max(this.#options.now(), log.lastTime);
				this.#sql.insert.run(log.c, seq, time, message.user, message.msg, message.id ?? null, message.action ? 1 : null);
				if (message.id !== undefined) newestId = Number(this.#sql.keepId.run(log.c, message.id, seq, time, print!).lastInsertRowid);
				log.last = seq;
				log.lastTime = time;
				return {outcome: 'stored', seq, epoch: log.epoch, time} as const;
			});
			for (const log of working.values()) {
				this.#sql.advance.run(log.last, log.lastTime, log.c);
				if (log.last > this.#options.perConversation) this.#sql.trim.run(log.c, log.last - this.#options.perConversation);
			}

			if (newestId > this.#options.maxIds) this.#sql.trimIds.run(newestId - this.#options.maxIds);
			return outcomes;
		});
		let outcomes: AppendOutcome[];
		try {
			outcomes = run();
		} catch (error) {
			throw storeErrorOf(error, this.#file, 'writing messages');
		}

		for (const [key, log] of working) this.#conversations.set(key, log);
		return outcomes;
	}

	/** The committed state of a conversation, read or (when `create`) made on first use, so its epoch is fixed from the first look. */
	#conversation(key: string, create: true): Conversation;
	#conversation(key: string, create: false): Conversation | undefined;
	#conversation(key: string, create: boolean): Conversation | undefined {
		const cached = this.#conversations.get(key);
		if (cached) return cached;
		const log = this.#load(key, create);
		if (log) this.#conversations.set(key, log);
		return log;
	}

	/** Reads a conversation's row, inserting it when asked; caches nothing (inside a transaction that may yet roll back). */
	#load(key: string, create: boolean): Conversation | undefined {
		let row = this.#sql.conversation.get(key);
		if (!row && create) {
			this.#sql.createConversation.run(key, newEpoch());
			row = this.#sql.conversation.get(key)!;
		}

		return row && {c: row.c, epoch: row.epoch, last: row.last, lastTime: row.last_time};
	}
}

function stored([seq, time, user, msg, id, action]: Row, epoch: string): StoredMessage {
	const message: StoredMessage = {seq, epoch, time, user, msg};
	if (id !== null) message.id = id;
	if (action === 1) message.action = true;
	return message;
}
