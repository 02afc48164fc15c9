// The accounts of PROTOCOL.md §11 behind the few calls a connection makes:
// register, log in by password or token, log out, change the password; and
// the operator's add, reset and delete. Every outcome is a value with a §8
// code, never a throw, so the connection answers it in one place. Passwords
// pass through here and scrypt only: no outcome, message or log line holds one.
import type {FailureCode} from '../../protocol/codes.js';
import {nameKey, usernameProblem} from '../../protocol/limits.js';
import {passwordProblem} from '../../protocol/password-rules.js';
import {StoreError} from '../store/message-log.js';
import type {AccountRecord, AccountStore} from './account-store.js';
import {addressKey} from './address-key.js';
import {CheckGate} from './check-gate.js';
import {Lockout} from './lockout.js';
import {HashFormatError, PasswordHasher} from './password-hash.js';
import {isTokenShaped, MAX_TOKENS_PER_ACCOUNT, newToken, TOKEN_IDLE_MS, tokenDigest, tokenExpired, tokenNeedsTouch} from './tokens.js';

/** Addresses remembered per account as "logged in here before" (exempt from lock-outs). */
export const MAX_KNOWN_ADDRESSES = 32;
/** The `retry` of a `rate-limited` when the scrypt queue is full: a check takes about 0.1 s, so the queue drains in well under this. */
const BUSY_RETRY_SECONDS = 1;
/** A damaged hash stays damaged until the operator resets it: clients that retry on their own should do so slowly. */
const DAMAGED_RETRY_SECONDS = 60;

export type Credential = {password: string} | {token: string};

export type Refusal = {
	ok: false;
	code: FailureCode;
	/** What happened and what to do, for the `error-msg`; never holds a password or token. */
	message: string;
	/** With locked-out, rate-limited and unavailable: whole seconds to wait. */
	retry?: number;
};

/**
 * Who an account is, for what it owns beyond a login (its stored direct
 * conversations): the name as registered, its key, and when it was
 * registered, so a name deleted and registered again is another account.
 */
export type AccountIdentity = {name: string; nameKey: string; created: number};

export type LoginSuccess = AccountIdentity & {
	ok: true;
	/** The status's `token`: new after a password, the one given after a token login. */
	token: string;
	/** The stored hash was made with older parameters and has just been replaced. */
	rehashed: boolean;
};

export type Done = {ok: true};

export type AccountsOptions = {
	store: AccountStore;
	lockout: Lockout;
	hasher?: PasswordHasher;
	gate?: CheckGate;
	now?: () => number;
	/** Lines for the operator (a damaged hash, a failed rehash); never a password or token. */
	log?: (line: string) => void;
};

const refuse = (code: FailureCode, message: string, retry?: number): Refusal => (retry === undefined ? {ok: false, code, message} : {ok: false, code, message, retry});
const authFailed = (): Refusal => refuse('auth-failed', 'wrong name or password: check them and try again');
const busy = (): Refusal => refuse('rate-limited', 'the server is checking many passwords right now; try again in a moment', BUSY_RETRY_SECONDS);

class DamagedAccount extends Error {}

function identityOf(account: AccountRecord | undefined): AccountIdentity | undefined {
	return account && {name: account.name, nameKey: account.nameKey, created: account.created};
}

export class Accounts {
	readonly #store: AccountStore;
	readonly #lockout: Lockout;
	readonly #hasher: PasswordHasher;
	readonly #gate: CheckGate;
	readonly #now: () => number;
	readonly #log: (line: string) => void;

	constructor(options: AccountsOptions) {
		this.#store = options.store;
		this.#lockout = options.lockout;
		this.#hasher = options.hasher ?? new PasswordHasher();
		this.#gate = options.gate ?? new CheckGate();
		this.#now = options.now ?? Date.now;
		this.#log = options.log ?? (() => {});
	}

	/** Which backend keeps the accounts, for the start-up line. */
	get kind(): AccountStore['kind'] {
		return this.#store.kind;
	}

	async isRegistered(name: string): Promise<boolean> {
		return (await this.#store.get(nameKey(name))) !== undefined;
	}

	/** The name as registered, for a name in any case or look-alike spelling; undefined for a guest name. */
	async registeredName(name: string): Promise<string | undefined> {
		return (await this.#store.get(nameKey(name)))?.name;
	}

	/** The account of that name (any case or look-alike spelling), or undefined for a guest name. Throws a StoreError. */
	async identity(name: string): Promise<AccountIdentity | undefined> {
		return identityOf(await this.#store.get(nameKey(name)));
	}

	/** §10: the account has a stored direct conversation with `other`, kept in the log as `conversation`. Throws a StoreError. */
	async addConversation(self: AccountIdentity, other: AccountIdentity, conversation: string): Promise<void> {
		await this.#store.addConversation(self.nameKey, other.nameKey, conversation);
	}

	/**
	 * The account's stored direct conversations, with the other account as it
	 * is now: one whose account was deleted since is left out. Throws a StoreError.
	 */
	async conversations(self: AccountIdentity): Promise<Array<{other: AccountIdentity; conversation: string}>> {
		const records = await this.#store.conversations(self.nameKey);
		const others = await Promise.all(records.map(async record => identityOf(await this.#store.get(record.other))));
		return records.flatMap((record, index) => {
			const other = others[index];
			return other ? [{other, conversation: record.conversation}] : [];
		});
	}

	/** `register {password}`: the connection's current name becomes an account, and this connection is logged in. */
	async register(name: string, password: string, address: string | undefined): Promise<LoginSuccess | Refusal> {
		return this.#guard(async () => {
			const added = await this.#addAccount(name, password);
			if (!added.ok) return added;
			const {nameKey: key, created} = added.account;
			await this.#store.addKnownAddress(key, addressKey(address), this.#now(), MAX_KNOWN_ADDRESSES);
			return {ok: true, name, nameKey: key, created, token: await this.#issueToken(key), rehashed: false};
		});
	}

	/** `connect {username, password}` or `{username, token}`. */
	async login(name: string, credential: Credential, address: string | undefined): Promise<LoginSuccess | Refusal> {
		return this.#guard(async () => ('token' in credential ? this.#tokenLogin(name, credential.token) : this.#passwordLogin(name, credential.password, address)));
	}

	/** `logout`: the token this connection logged in with stops working. */
	async logout(token: string): Promise<Done | Refusal> {
		return this.#guard(async () => {
			if (isTokenShaped(token)) await this.#store.revokeToken(tokenDigest(token));
			return {ok: true};
		});
	}

	/** `password {old, new}`: checked like a login (lock-out included); every token is revoked and a new one given. */
	async changePassword(name: string, oldPassword: string, newPassword: string, address: string | undefined): Promise<LoginSuccess | Refusal> {
		return this.#guard(async () => {
			const problem = passwordProblem(newPassword);
			if (problem !== undefined) return refuse('bad-field', `the new password is not usable: ${problem}`);
			const checked = await this.#passwordLogin(name, oldPassword, address, {issueToken: false});
			if (!checked.ok) return checked;
			const hashed = await this.#gate.run(async () => this.#hasher.hash(newPassword));
			if (!hashed.ran) return busy();
			await this.#store.setPasswordHash(checked.nameKey, hashed.value);
			await this.#store.revokeAllTokens(checked.nameKey);
			return {...checked, token: await this.#issueToken(checked.nameKey), rehashed: false};
		});
	}

	/** The operator's `account add`: a new account, no token. */
	async addAccount(name: string, password: string): Promise<Done | Refusal> {
		return this.#guard(async () => {
			const added = await this.#addAccount(name, password);
			return added.ok ? {ok: true} : added;
		});
	}

	async #addAccount(name: string, password: string): Promise<{ok: true; account: AccountRecord} | Refusal> {
		const nameTrouble = usernameProblem(name);
		if (nameTrouble !== undefined) return refuse('invalid-name', nameTrouble);
		const problem = passwordProblem(password);
		if (problem !== undefined) return refuse('bad-field', problem);
		const key = nameKey(name);
		if (await this.#store.get(key)) return refuse('name-taken', `the name ${name} is already registered`);
		const hashed = await this.#gate.run(async () => this.#hasher.hash(password));
		if (!hashed.ran) return busy();
		const account: AccountRecord = {nameKey: key, name, passwordHash: hashed.value, created: this.#now()};
		if (!(await this.#store.create(account))) return refuse('name-taken', `the name ${name} is already registered`);
		return {ok: true, account};
	}

	/** The operator's `account reset`: a new password, every token revoked. */
	async resetPassword(name: string, password: string): Promise<Done | Refusal> {
		return this.#guard(async () => {
			const problem = passwordProblem(password);
			if (problem !== undefined) return refuse('bad-field', problem);
			const key = nameKey(name);
			const hashed = await this.#gate.run(async () => this.#hasher.hash(password));
			if (!hashed.ran) return busy();
			if (!(await this.#store.setPasswordHash(key, hashed.value))) return refuse('no-such-user', `no account is named ${name}`);
			await this.#store.revokeAllTokens(key);
			return {ok: true};
		});
	}

	/** The operator's `account delete`: the account, its tokens and addresses. */
	async deleteAccount(name: string): Promise<Done | Refusal> {
		return this.#guard(async () => ((await this.#store.delete(nameKey(name))) ? {ok: true} : refuse('no-such-user', `no account is named ${name}`)));
	}

	async close(): Promise<void> {
		await this.#lockout.close();
		await this.#store.close();
	}

	async #tokenLogin(name: string, token: string): Promise<LoginSuccess | Refusal> {
		// Not counted toward lock-outs, and never blocked by one: 256 random bits are not guessed.
		const refused = refuse('auth-failed', 'this login token is not valid (revoked, expired or for another name): log in with the password');
		if (!isTokenShaped(token)) return refused;
		const key = nameKey(name);
		const now = this.#now();
		const stored = await this.#store.findToken(tokenDigest(token));
		if (!stored || stored.nameKey !== key) return refused;
		const account = await this.#store.get(key);
		if (!account || tokenExpired(stored.lastUsed, now)) {
			await this.#store.revokeToken(stored.digest);
			return refused;
		}

		if (tokenNeedsTouch(stored.lastUsed, now)) await this.#store.touchToken(stored.digest, now);
		return {ok: true, name: account.name, nameKey: key, created: account.created, token, rehashed: false};
	}

	/**
	 * A known name and an unknown one take the same steps: the same reads, the
	 * lock-out check, one scrypt (against the dummy hash when there is no
	 * account) and the failure count, so their timing tells nothing.
	 */
	async #passwordLogin(name: string, password: string, address: string | undefined, options = {issueToken: true}): Promise<LoginSuccess | Refusal> {
		const problem = passwordProblem(password);
		if (problem !== undefined) return refuse('bad-field', problem);
		const key = nameKey(name);
		const where = addressKey(address);
		const account = await this.#store.get(key);
		// An address this account logged in from before is never locked out of it, so a guesser elsewhere cannot keep its owner out.
		const known = await this.#store.isKnownAddress(key, where);
		if (!known) {
			const verdict = await this.#lockout.check(key, where, this.#now());
			if (verdict.locked) return refuse('locked-out', `too many wrong passwords from your address; wait ${verdict.retry} s, or log in with a saved token`, verdict.retry);
		}

		const checked = await this.#gate.run(async () => {
			if (!account) {
				await this.#hasher.verifyDummy(password);
				return {match: false, needsRehash: false};
			}

			try {
				return await this.#hasher.verify(account.passwordHash, password);
			} catch (error) {
				if (!(error instanceof HashFormatError)) throw error;
				this.#log(`account ${account.name}: ${error.message}; reset its password: codechat-tui serve --data DIR account reset NAME`);
				throw new DamagedAccount();
			}
		});
		if (!checked.ran) return busy();
		if (!account || !checked.value.match) {
			await this.#lockout.recordFailure(key, where, this.#now());
			return authFailed();
		}

		await this.#lockout.recordSuccess(key, where);
		await this.#store.addKnownAddress(key, where, this.#now(), MAX_KNOWN_ADDRESSES);
		const rehashed = checked.value.needsRehash && (await this.#rehash(account, password));
		const token = options.issueToken ? await this.#issueToken(key) : '';
		return {ok: true, name: account.name, nameKey: key, created: account.created, token, rehashed};
	}

	/** Replaces a hash made with older parameters; skipped (next login tries again) when the checks are busy. */
	async #rehash(account: AccountRecord, password: string): Promise<boolean> {
		const hashed = await this.#gate.run(async () => this.#hasher.hash(password));
		if (!hashed.ran) return false;
		return this.#store.setPasswordHash(account.nameKey, hashed.value);
	}

	async #issueToken(key: string): Promise<string> {
		const {token, digest} = newToken();
		const now = this.#now();
		await this.#store.addToken({digest, nameKey: key, created: now, lastUsed: now}, {max: MAX_TOKENS_PER_ACCOUNT, expiredBefore: now - TOKEN_IDLE_MS});
		return token;
	}

	/** Store failures become `unavailable`, a damaged hash too; anything else is a bug and throws. */
	async #guard<T>(work: () => Promise<T>): Promise<T | Refusal> {
		try {
			return await work();
		} catch (error) {
			if (error instanceof DamagedAccount) return refuse('unavailable', 'this account\'s stored password is damaged; ask the server\'s operator to reset it', DAMAGED_RETRY_SECONDS);
			if (error instanceof StoreError) return refuse('unavailable', 'the account storage is not answering; try again shortly', error.retry ?? 2);
			throw error;
		}
	}
}
