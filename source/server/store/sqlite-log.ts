// `--data DIR`: the log in an embedded SQLite database (WAL). Appends queued
// in one tick are committed in one synchronous transaction, and their
// promises resolve only after it: no status or event leaves for a message
// that a SIGKILL could take back. Epochs live in the database, so they
// survive a restart; a torn WAL tail is SQLite's to recover (it ignores a
// transaction whose frames did not all reach the file).
import {isUtf8} from 'node:buffer';
import {fingerprint, newEpoch} from './epoch.js';
import {buildPage} from './history-page.js';
import {joinWithinBudget, roomAllowanceBytes} from './message-event.js';
import {
	clampLimit,
	DEFAULT_HISTORY_PER_CONVERSATION,
	MAX_IDS,
	StoreError,
	type AppendOutcome,
	type EncodedHistoryPage,
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
type EncodedParameters = {c: number; bound: number; limit: number; epoch: string; room: string};
type EncodedRow = {count: number; oldest: number | null; newest: number | null; lines: Buffer | null};

/**
 * A `history` page encoded by SQLite itself: each row's §9 event built with
 * json_quote (which escapes exactly as JSON.stringify does) and the events
 * joined one a line, in seq order, into one buffer, so no row becomes a JS
 * object or string; joinWithinBudget then cuts it to the reply's budget.
 * `forward`: the oldest `limit` after the bound; otherwise the newest
 * `limit` before it (their lowest seq found first, on the key alone, so
 * both read in seq order).
 */
function encodedPageSql(forward: boolean): string {
	const event = `'{"cmd":"message","user":' || json_quote(user) || ',"msg":' || json_quote(msg) || ',"seq":' || seq || ',"epoch":' || @epoch || ',"time":' || time
		|| CASE WHEN id IS NULL THEN '' ELSE ',"id":' || json_quote(id) END || @room || CASE WHEN action = 1 THEN ',"action":true}' ELSE '}' END`;
	const rows = forward
		? 'WHERE c = @c AND seq > @bound ORDER BY seq LIMIT @limit'
		: 'WHERE c = @c AND seq < @bound AND seq >= coalesce((SELECT seq FROM messages WHERE c = @c AND seq < @bound ORDER BY seq DESC LIMIT 1 OFFSET @limit - 1), 0) ORDER BY seq';
	return `SELECT count(*) AS count, min(seq) AS oldest, max(seq) AS newest, CAST(group_concat(${event}, char(10)) AS BLOB) AS lines
FROM (SELECT seq, time, user, msg, id, action FROM messages ${rows})`;
}

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
		encodedAfter: db.prepare<[EncodedParameters], EncodedRow>(encodedPageSql(true)),
		encodedBefore: db.prepare<[EncodedParameters], EncodedRow>(encodedPageSql(false)),
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

	async encodedHistory(conversation: string, query: HistoryQuery, room: string | undefined, limit?: number): Promise<EncodedHistoryPage> {
		if (this.#closed) throw new StoreError('closed', 'the message log is closed');
		try {
			const log = this.#conversation(conversation, true);
			const forward = query.after !== undefined;
			const roomPart = room === undefined ? '' : `,"room":${JSON.stringify(room)}`;
			const parameters: EncodedParameters = {c: log.c, bound: query.after ?? query.before ?? Number.MAX_SAFE_INTEGER, limit: clampLimit(limit), epoch: JSON.stringify(log.epoch), room: roomPart};
			const row = (forward ? this.#sql.encodedAfter : this.#sql.encodedBefore).get(parameters)!;
			const first = this.#sql.first.get(log.c)?.first ?? (log.last === 0 ? 0 : log.last + 1);
			const bounds = {epoch: log.epoch, first, last: log.last};
			if (row.lines === null) return {...bounds, count: 0, messages: Buffer.alloc(0), more: false};
			const {messages, count} = joinWithinBudget(row.lines, !forward, Buffer.byteLength(roomPart), roomAllowanceBytes(conversation));
			const more = count < row.count || (forward ? row.newest! < log.last : row.oldest! > first);
			return {...bounds, count, messages: wellFormed(messages), more};
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

/**
 * The bytes SQLite joined, as UTF-8 the way the rest of the server sends it.
 * A lone surrogate in a message was stored as bytes that are not UTF-8; read
 * as text they become U+FFFD, which is what history() gives, so they are
 * decoded the same way here (rare: the check is one native pass).
 */
function wellFormed(bytes: Buffer): Buffer {
	return isUtf8(bytes) ? bytes : Buffer.from(bytes.toString('utf8'));
}
