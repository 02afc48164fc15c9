// Accounts in Redis, so any node of a cluster logs anyone in. Per account,
// keys sharing one `{namekey}` hash tag:
//   acct:{k}         hash   name, hash, created
//   acct:{k}:tokens  zset   token digest → last use
//   acct:{k}:addrs   zset   address key → last success
//   acct:{k}:dms     hash   other account's name key → the log key of their direct conversation
// and per token `token:<digest>`, a hash {key, created, used} whose TTL of
// 30 days is renewed on use, so Redis itself forgets an unused token.
// A MULTI touches one of these slots only (a Redis Cluster refuses more): the
// token's hash is written before the account's list names it, and removed
// after, so a token the list names is usable or gone, never half there.
import type {RedisClient} from '../store/redis-connect.js';
import type {AccountRecord, AccountStore, ConversationRecord, TokenRecord} from './account-store.js';
import {TOKEN_IDLE_MS} from './tokens.js';
import {redisCall, redisExec} from './redis-errors.js';

type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

/** HSET only when the account key does not exist yet: a registration race has one winner. */
const CREATE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'hash', ARGV[2], 'created', ARGV[3])
return 1
`;

/** HSET hash only when the account exists, so a password set races no delete into a half account. */
const SET_HASH_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'hash', ARGV[1])
return 1
`;

export class RedisAccountStore implements AccountStore {
	readonly kind = 'redis';
	readonly #redis: RedisClient;
	readonly #prefix: string;
	readonly #owned: boolean;
	readonly #create: ScriptCall;
	readonly #setHash: ScriptCall;

	/** Unless `owned`, `redis` is the caller's (e.g. the cluster hub's) and close() leaves it open. */
	constructor(redis: RedisClient, options: {prefix?: string; owned?: boolean} = {}) {
		this.#redis = redis;
		this.#prefix = options.prefix ?? 'codechat:';
		this.#owned = options.owned ?? false;
		redis.defineCommand('codechatAccountCreate', {lua: CREATE_SCRIPT, numberOfKeys: 1});
		redis.defineCommand('codechatAccountSetHash', {lua: SET_HASH_SCRIPT, numberOfKeys: 1});
		const commands = redis as unknown as Record<string, ScriptCall>;
		this.#create = commands.codechatAccountCreate.bind(redis);
		this.#setHash = commands.codechatAccountSetHash.bind(redis);
	}

	async create(account: AccountRecord): Promise<boolean> {
		const created = await redisCall(async () => this.#create(this.#account(account.nameKey), account.name, account.passwordHash, account.created));
		return created === 1;
	}

	async get(nameKey: string): Promise<AccountRecord | undefined> {
		const [name, passwordHash, created] = await redisCall(async () => this.#redis.hmget(this.#account(nameKey), 'name', 'hash', 'created'));
		if (name === null) return undefined;
		// A hash field that is missing is a damaged record; an empty string reaches the hasher, which says so.
		return {nameKey, name, passwordHash: passwordHash ?? '', created: Number(created ?? 0)};
	}

	async setPasswordHash(nameKey: string, passwordHash: string): Promise<boolean> {
		return (await redisCall(async () => this.#setHash(this.#account(nameKey), passwordHash))) === 1;
	}

	async delete(nameKey: string): Promise<boolean> {
		const digests = await this.#tokensOf(nameKey);
		const replies = await redisExec(
			this.#redis
				.multi()
				.del(this.#account(nameKey))
				.del(this.#tokens(nameKey), this.#addresses(nameKey), this.#conversations(nameKey)),
		);
		await this.#dropTokens(digests);
		return replies[0][1] === 1;
	}

	async addToken(token: TokenRecord, limits: {max: number; expiredBefore: number}): Promise<void> {
		const tokens = this.#tokens(token.nameKey);
		await redisExec(
			this.#redis
				.multi()
				.hset(this.#token(token.digest), 'key', token.nameKey, 'created', token.created, 'used', token.lastUsed)
				.pexpire(this.#token(token.digest), TOKEN_IDLE_MS),
		);
		await redisCall(async () => this.#redis.zadd(tokens, token.lastUsed, token.digest));
		const expired = await redisCall(async () => this.#redis.zrangebyscore(tokens, '-inf', `(${limits.expiredBefore}`));
		const count = await redisCall(async () => this.#redis.zcard(tokens));
		const surplus = count - expired.length > limits.max ? await redisCall(async () => this.#redis.zrange(tokens, expired.length, count - limits.max - 1)) : [];
		const dropped = [...expired, ...surplus];
		if (dropped.length === 0) return;
		await redisCall(async () => this.#redis.zrem(tokens, ...dropped));
		await this.#dropTokens(dropped);
	}

	async findToken(digest: string): Promise<TokenRecord | undefined> {
		const [nameKey, created, used] = await redisCall(async () => this.#redis.hmget(this.#token(digest), 'key', 'created', 'used'));
		if (nameKey === null) return undefined;
		return {digest, nameKey, created: Number(created ?? 0), lastUsed: Number(used ?? 0)};
	}

	async touchToken(digest: string, now: number): Promise<void> {
		const nameKey = await redisCall(async () => this.#redis.hget(this.#token(digest), 'key'));
		if (nameKey === null) return;
		await redisExec(this.#redis.multi().hset(this.#token(digest), 'used', now).pexpire(this.#token(digest), TOKEN_IDLE_MS));
		await redisCall(async () => this.#redis.zadd(this.#tokens(nameKey), 'XX', now, digest));
	}

	async revokeToken(digest: string): Promise<void> {
		const nameKey = await redisCall(async () => this.#redis.hget(this.#token(digest), 'key'));
		await this.#dropTokens([digest]);
		if (nameKey !== null) await redisCall(async () => this.#redis.zrem(this.#tokens(nameKey), digest));
	}

	async revokeAllTokens(nameKey: string): Promise<void> {
		const digests = await this.#tokensOf(nameKey);
		await this.#dropTokens(digests);
		await redisCall(async () => this.#redis.del(this.#tokens(nameKey)));
	}

	async addKnownAddress(nameKey: string, address: string, now: number, max: number): Promise<void> {
		const addresses = this.#addresses(nameKey);
		await redisExec(this.#redis.multi().zadd(addresses, now, address).zremrangebyrank(addresses, 0, -(max + 1)));
	}

	async isKnownAddress(nameKey: string, address: string): Promise<boolean> {
		return (await redisCall(async () => this.#redis.zscore(this.#addresses(nameKey), address))) !== null;
	}

	async addConversation(nameKey: string, other: string, conversation: string): Promise<void> {
		await redisCall(async () => this.#redis.hset(this.#conversations(nameKey), other, conversation));
	}

	async conversations(nameKey: string): Promise<ConversationRecord[]> {
		const all = await redisCall(async () => this.#redis.hgetall(this.#conversations(nameKey)));
		return Object.entries(all).map(([other, conversation]) => ({other, conversation}));
	}

	async close(): Promise<void> {
		if (this.#owned) this.#redis.disconnect();
	}

	/** Each token in its own slot: one DEL each, sent together. */
	async #dropTokens(digests: readonly string[]): Promise<void> {
		await redisCall(async () => Promise.all(digests.map(async digest => this.#redis.del(this.#token(digest)))));
	}

	async #tokensOf(nameKey: string): Promise<string[]> {
		return redisCall(async () => this.#redis.zrange(this.#tokens(nameKey), 0, -1));
	}

	#account(nameKey: string): string {
		return `${this.#prefix}acct:{${nameKey}}`;
	}

	#tokens(nameKey: string): string {
		return `${this.#account(nameKey)}:tokens`;
	}

	#addresses(nameKey: string): string {
		return `${this.#account(nameKey)}:addrs`;
	}

	#conversations(nameKey: string): string {
		return `${this.#account(nameKey)}:dms`;
	}

	#token(digest: string): string {
		return `${this.#prefix}token:${digest}`;
	}

}
