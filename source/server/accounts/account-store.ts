// Where accounts live (PROTOCOL.md §11): by name key (nameKey(), so "Alice"
// and "аlice" are one account), with the name as registered, the password's
// scrypt string, the SHA-256 digests of its tokens and the addresses it
// logged in from. Two backends: SQLite in the `--data` database and Redis
// for a cluster. Both are durable; without one the server offers no accounts.

export type AccountRecord = {
	nameKey: string;
	/** The name as registered, shown in rosters. */
	name: string;
	/** A `$scrypt$…` string (password-hash.ts). */
	passwordHash: string;
	/** When it was registered, ms since 1970. */
	created: number;
};

export type TokenRecord = {
	/** SHA-256 of the token, hex. */
	digest: string;
	nameKey: string;
	created: number;
	lastUsed: number;
};

/** One stored direct conversation of an account: the other account's name key and the log's key for it. */
export type ConversationRecord = {other: string; conversation: string};

export type AccountStore = {
	readonly kind: 'sqlite' | 'redis';
	/** Adds an account; false (and nothing written) when its name key is taken. */
	create(account: AccountRecord): Promise<boolean>;
	get(nameKey: string): Promise<AccountRecord | undefined>;
	/** False when there is no such account. */
	setPasswordHash(nameKey: string, passwordHash: string): Promise<boolean>;
	/** Removes the account with its tokens and addresses; false when there was none. */
	delete(nameKey: string): Promise<boolean>;
	/** Adds a token; drops those unused since `expiredBefore`, then the least recently used beyond `max`. */
	addToken(token: TokenRecord, limits: {max: number; expiredBefore: number}): Promise<void>;
	findToken(digest: string): Promise<TokenRecord | undefined>;
	touchToken(digest: string, now: number): Promise<void>;
	revokeToken(digest: string): Promise<void>;
	revokeAllTokens(nameKey: string): Promise<void>;
	/** Remembers a successful login from `address` (an addressKey()); keeps the `max` most recent. */
	addKnownAddress(nameKey: string, address: string, now: number, max: number): Promise<void>;
	isKnownAddress(nameKey: string, address: string): Promise<boolean>;
	/**
	 * §10: the account has a stored direct conversation with the account
	 * `other` (a name key), kept in the log under `conversation`; idempotent,
	 * and a new `conversation` for the same pair replaces the old one.
	 */
	addConversation(nameKey: string, other: string, conversation: string): Promise<void>;
	/** The account's direct conversations, in no particular order. Deleted with the account. */
	conversations(nameKey: string): Promise<ConversationRecord[]>;
	/** Releases what this store opened (not a connection or database handle it was given). */
	close(): Promise<void>;
};
