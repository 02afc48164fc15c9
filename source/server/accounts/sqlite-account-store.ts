// Accounts in the `--data` database, beside the room log (its tables are
// steps 2 and 4 of sqlite-open.ts). Each call is one synchronous statement or
// transaction, so nothing is half-written when the process dies.
import {openDatabase, storeErrorOf, type Database} from '../store/sqlite-open.js';
import type {AccountRecord, AccountStore, ConversationRecord, TokenRecord} from './account-store.js';

type AccountRow = {key: string; name: string; hash: string; created: number};
type TokenRow = {digest: string; key: string; created: number; last_used: number};

function statements(db: Database) {
	return {
		insert: db.prepare<[string, string, string, number]>('INSERT OR IGNORE INTO accounts (key, name, hash, created) VALUES (?, ?, ?, ?)'),
		get: db.prepare<[string], AccountRow>('SELECT key, name, hash, created FROM accounts WHERE key = ?'),
		setHash: db.prepare<[string, string]>('UPDATE accounts SET hash = ? WHERE key = ?'),
		deleteAccount: db.prepare<[string]>('DELETE FROM accounts WHERE key = ?'),
		addToken: db.prepare<[string, string, number, number]>('INSERT OR REPLACE INTO account_tokens (digest, key, created, last_used) VALUES (?, ?, ?, ?)'),
		dropExpired: db.prepare<[string, number]>('DELETE FROM account_tokens WHERE key = ? AND last_used < ?'),
		// The newest `max` stay; ties in last_used fall to the digest, so the choice is stable.
		dropBeyond: db.prepare<[string, string, number]>(
			'DELETE FROM account_tokens WHERE key = ? AND digest NOT IN (SELECT digest FROM account_tokens WHERE key = ? ORDER BY last_used DESC, created DESC LIMIT ?)',
		),
		findToken: db.prepare<[string], TokenRow>('SELECT digest, key, created, last_used FROM account_tokens WHERE digest = ?'),
		touchToken: db.prepare<[number, string]>('UPDATE account_tokens SET last_used = ? WHERE digest = ?'),
		revokeToken: db.prepare<[string]>('DELETE FROM account_tokens WHERE digest = ?'),
		revokeAll: db.prepare<[string]>('DELETE FROM account_tokens WHERE key = ?'),
		addAddress: db.prepare<[string, string, number]>('INSERT OR REPLACE INTO account_addresses (key, address, last_success) VALUES (?, ?, ?)'),
		dropOldAddresses: db.prepare<[string, string, number]>(
			'DELETE FROM account_addresses WHERE key = ? AND address NOT IN (SELECT address FROM account_addresses WHERE key = ? ORDER BY last_success DESC LIMIT ?)',
		),
		knownAddress: db.prepare<[string, string], {one: number}>('SELECT 1 AS one FROM account_addresses WHERE key = ? AND address = ?'),
		deleteAddresses: db.prepare<[string]>('DELETE FROM account_addresses WHERE key = ?'),
		addConversation: db.prepare<[string, string, string]>('INSERT OR REPLACE INTO account_conversations (key, other, conversation) VALUES (?, ?, ?)'),
		conversations: db.prepare<[string], ConversationRecord>('SELECT other, conversation FROM account_conversations WHERE key = ?'),
		deleteConversations: db.prepare<[string]>('DELETE FROM account_conversations WHERE key = ?'),
	};
}

export class SqliteAccountStore implements AccountStore {
	readonly kind = 'sqlite';
	readonly #db: Database;
	readonly #owned: boolean;
	readonly #file: string;
	readonly #sql: ReturnType<typeof statements>;

	/** Uses a database someone else opened (the room log's); close() leaves it open. */
	constructor(db: Database, options: {owned?: boolean} = {}) {
		this.#db = db;
		this.#owned = options.owned ?? false;
		this.#file = db.name;
		this.#sql = statements(db);
	}

	/** Opens `dir`'s database for this store alone (the operator command, while no server runs on it). */
	static async open(dir: string): Promise<SqliteAccountStore> {
		return new SqliteAccountStore(await openDatabase(dir), {owned: true});
	}

	async create(account: AccountRecord): Promise<boolean> {
		return this.#run('creating an account', () => this.#sql.insert.run(account.nameKey, account.name, account.passwordHash, account.created).changes === 1);
	}

	async get(nameKey: string): Promise<AccountRecord | undefined> {
		const row = this.#run('reading an account', () => this.#sql.get.get(nameKey));
		return row && {nameKey: row.key, name: row.name, passwordHash: row.hash, created: row.created};
	}

	async setPasswordHash(nameKey: string, passwordHash: string): Promise<boolean> {
		return this.#run('changing a password', () => this.#sql.setHash.run(passwordHash, nameKey).changes === 1);
	}

	async delete(nameKey: string): Promise<boolean> {
		return this.#run('deleting an account', () =>
			this.#db.transaction(() => {
				this.#sql.revokeAll.run(nameKey);
				this.#sql.deleteAddresses.run(nameKey);
				this.#sql.deleteConversations.run(nameKey);
				return this.#sql.deleteAccount.run(nameKey).changes === 1;
			})(),
		);
	}

	async addToken(token: TokenRecord, limits: {max: number; expiredBefore: number}): Promise<void> {
		this.#run('storing a token', () =>
			this.#db.transaction(() => {
				this.#sql.dropExpired.run(token.nameKey, limits.expiredBefore);
				this.#sql.addToken.run(token.digest, token.nameKey, token.created, token.lastUsed);
				this.#sql.dropBeyond.run(token.nameKey, token.nameKey, limits.max);
			})(),
		);
	}

	async findToken(digest: string): Promise<TokenRecord | undefined> {
		const row = this.#run('reading a token', () => this.#sql.findToken.get(digest));
		return row && {digest: row.digest, nameKey: row.key, created: row.created, lastUsed: row.last_used};
	}

	async touchToken(digest: string, now: number): Promise<void> {
		this.#run('using a token', () => this.#sql.touchToken.run(now, digest));
	}

	async revokeToken(digest: string): Promise<void> {
		this.#run('revoking a token', () => this.#sql.revokeToken.run(digest));
	}

	async revokeAllTokens(nameKey: string): Promise<void> {
		this.#run('revoking tokens', () => this.#sql.revokeAll.run(nameKey));
	}

	async addKnownAddress(nameKey: string, address: string, now: number, max: number): Promise<void> {
		this.#run('remembering an address', () =>
			this.#db.transaction(() => {
				this.#sql.addAddress.run(nameKey, address, now);
				this.#sql.dropOldAddresses.run(nameKey, nameKey, max);
			})(),
		);
	}

	async isKnownAddress(nameKey: string, address: string): Promise<boolean> {
		return this.#run('reading addresses', () => this.#sql.knownAddress.get(nameKey, address) !== undefined);
	}

	async addConversation(nameKey: string, other: string, conversation: string): Promise<void> {
		this.#run('remembering a conversation', () => this.#sql.addConversation.run(nameKey, other, conversation));
	}

	async conversations(nameKey: string): Promise<ConversationRecord[]> {
		return this.#run('reading conversations', () => this.#sql.conversations.all(nameKey));
	}

	async close(): Promise<void> {
		if (this.#owned && this.#db.open) this.#db.close();
	}

	#run<T>(doing: string, work: () => T): T {
		try {
			return work();
		} catch (error) {
			throw storeErrorOf(error, this.#file, doing);
		}
	}
}
