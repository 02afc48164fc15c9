// One connection's side of PROTOCOL.md §11: whether its `connect` may have
// the name (and hold it beside the account's other connections), and its
// `register`, `logout` and `password`. It owns the token and the identity of
// a logged-in connection; the Accounts facade owns the rest. The connection
// turns each verdict into one status.
import type {FailureCode} from '../protocol/codes.js';
import {MAX_CONNECTIONS_PER_ACCOUNT, secondsUntilReplaceable, SILENT_CONNECTION_MS, silentHolder} from './accounts/account-connections.js';
import type {AccountIdentity, Accounts, Credential} from './accounts/accounts.js';
import {isLoopback} from './accounts/address-key.js';
import type {Hub, HubMember} from './hub.js';

export type AccountRules = {
	/** Undefined without durable storage: then there are no accounts (§11), and the commands are `unsupported`. */
	accounts: Accounts | undefined;
	/** `--accounts-only`: guests are refused with `auth-required`. */
	accountsOnly: boolean;
	/** `--allow-plaintext-passwords`: passwords and tokens over plain TCP from anywhere. */
	allowPlaintextPasswords: boolean;
};

export type Peer = {
	/** The connection is TLS. */
	encrypted: boolean;
	/** The peer's IP address, as the socket reports it. */
	address: string | undefined;
	/** Loopback test; tests inject another to play a remote peer. @default isLoopback */
	isLocal?: (address: string | undefined) => boolean;
};

/** `registered`, with `auth-required` at `connect`: is the name an account (our addition to §11, so a client knows whether a password can help)? */
export type AccountRefusal = {ok: false; code: FailureCode; message: string; retry?: number; registered?: boolean};

/** `token` is set when the status must carry one (a login by password or token, `register`, `password`). */
export type AccountGrant = {ok: true; name: string; token?: string};

/** The name is held; `first` when no other connection of the account held it (the others are told the user entered). */
export type NameClaim = {ok: true; first: boolean};

const refuse = (code: FailureCode, message: string, retry?: number): AccountRefusal => (retry === undefined ? {ok: false, code, message} : {ok: false, code, message, retry});

export class AccountSession {
	readonly #rules: AccountRules;
	readonly #peer: Peer;
	#token: string | undefined;
	/** The token was made by this login (password or `register`), not brought by the client: abandon() revokes only such a one. */
	#issued = false;
	/** Logged in with a token: such a login may replace a silent connection of the account. */
	#byToken = false;
	#identity: AccountIdentity | undefined;

	constructor(rules: AccountRules, peer: Peer) {
		this.#rules = rules;
		this.#peer = peer;
	}

	/** Logged in to an account (by password, token or `register`). */
	get loggedIn(): boolean {
		return this.#token !== undefined;
	}

	/** The account logged in to, for what it owns (its stored direct conversations); undefined for a guest. */
	get identity(): AccountIdentity | undefined {
		return this.#identity;
	}

	/** May `connect` take `username`? With a credential this logs in; the grant's `name` is the registered spelling. */
	async connect(username: string, credential: Credential | undefined): Promise<AccountGrant | AccountRefusal> {
		const {accounts} = this.#rules;
		if (credential === undefined) {
			const registered = accounts !== undefined && (await accounts.isRegistered(username));
			if (registered) return {...refuse('auth-required', `${username} is a registered name: connect with its password, or choose another name`), registered};
			if (this.#rules.accountsOnly) return {...refuse('auth-required', `this server admits accounts only, and ${username} is not one: ask the operator for an account`), registered};
			return {ok: true, name: username};
		}

		if (!accounts) return refuse('unsupported', 'this server has no accounts: connect without a password or token');
		const plaintext = this.#plaintextRefusal();
		if (plaintext) return plaintext;
		const outcome = await accounts.login(username, credential, this.#peer.address);
		if (!outcome.ok) return refuse(outcome.code, outcome.message, outcome.retry);
		this.#loggedIn(outcome, 'password' in credential);
		this.#byToken = 'token' in credential;
		return {ok: true, name: outcome.name, token: outcome.token};
	}

	/**
	 * Takes the name in the hub for this connection: a guest's alone, an
	 * account's beside its other connections (at most five). When the five
	 * are there, a token login replaces the one silent for 30 s, if any.
	 */
	async claimName(hub: Hub, name: string, member: HubMember, nowMs = performance.now()): Promise<NameClaim | AccountRefusal> {
		if (!this.loggedIn || !hub.claimAccount) {
			if (await hub.claim(name, member)) return {ok: true, first: true};
			return refuse('name-taken', this.loggedIn ? `${name} is connected already, and this server holds one connection per account` : `user name "${name}" is taken`);
		}

		let claim = await hub.claimAccount(name, member, MAX_CONNECTIONS_PER_ACCOUNT);
		const silent = !claim.ok && claim.reason === 'full' && this.#byToken ? silentHolder(claim.holders, nowMs) : undefined;
		if (silent) {
			await silent.replace(`replaced by a newer login of ${name}: this connection had sent nothing for ${SILENT_CONNECTION_MS / 1000} s`);
			claim = await hub.claimAccount(name, member, MAX_CONNECTIONS_PER_ACCOUNT);
		}

		if (claim.ok) return claim;
		if (claim.reason === 'taken') return refuse('name-taken', `user name "${name}" is taken`);
		const retry = this.#byToken ? secondsUntilReplaceable(claim.holders, nowMs) : undefined;
		const most = `${name} is connected ${MAX_CONNECTIONS_PER_ACCOUNT} times already, the most one account may be at once: close one of those connections and try again`;
		return refuse('forbidden', retry === undefined ? most : `${most} (or in ${retry} s, when a silent one may be replaced)`, retry);
	}

	/** The hub would not give the name after all: a token made by this login is revoked; a token the client brought stays good. */
	async abandon(): Promise<void> {
		const token = this.#token;
		const issued = this.#issued;
		this.#loggedOut();
		if (token !== undefined && issued) await this.#rules.accounts?.logout(token);
	}

	/**
	 * `register {password}`: the connection's current name becomes an account,
	 * logged in from now on; `holding` is where the connection holds the name,
	 * which then admits the account's other connections beside it.
	 */
	async register(name: string, password: string, holding?: {hub: Hub; member: HubMember}): Promise<AccountGrant | AccountRefusal> {
		const {accounts} = this.#rules;
		if (!accounts) return refuse('unsupported', 'this server has no accounts (it keeps no data to hold them)');
		if (this.loggedIn) return refuse('forbidden', `you are logged in to the account ${name} already`);
		const plaintext = this.#plaintextRefusal();
		if (plaintext) return plaintext;
		const outcome = await accounts.register(name, password, this.#peer.address);
		if (!outcome.ok) return refuse(outcome.code, outcome.message, outcome.retry);
		this.#loggedIn(outcome, true);
		await holding?.hub.claimAccount?.(name, holding.member, MAX_CONNECTIONS_PER_ACCOUNT);
		return {ok: true, name: outcome.name, token: outcome.token};
	}

	/** `logout`: the token in use is revoked; the connection stays, as a guest under the same name. */
	async logout(name: string): Promise<AccountGrant | AccountRefusal> {
		const {accounts} = this.#rules;
		if (!accounts) return refuse('unsupported', 'this server has no accounts');
		if (this.#token === undefined) return refuse('forbidden', 'you are not logged in');
		const outcome = await accounts.logout(this.#token);
		if (!outcome.ok) return refuse(outcome.code, outcome.message, outcome.retry);
		this.#loggedOut();
		return {ok: true, name};
	}

	/** `password {old, new}`: every token of the account is revoked, and this connection gets a new one. */
	async changePassword(name: string, oldPassword: string, newPassword: string): Promise<AccountGrant | AccountRefusal> {
		const {accounts} = this.#rules;
		if (!accounts) return refuse('unsupported', 'this server has no accounts');
		if (this.#token === undefined) return refuse('forbidden', 'log in first: only an account has a password to change');
		const plaintext = this.#plaintextRefusal();
		if (plaintext) return plaintext;
		const outcome = await accounts.changePassword(name, oldPassword, newPassword, this.#peer.address);
		if (!outcome.ok) return refuse(outcome.code, outcome.message, outcome.retry);
		this.#loggedIn(outcome, true);
		return {ok: true, name: outcome.name, token: outcome.token};
	}

	/** A logged-in user cannot rename: the account is the name (§11). */
	renameRefusal(): AccountRefusal | undefined {
		return this.loggedIn ? refuse('forbidden', 'you are logged in to an account, and an account keeps its name: log out to rename') : undefined;
	}

	#loggedIn(account: AccountIdentity & {token: string}, issued: boolean): void {
		this.#token = account.token;
		this.#issued = issued;
		this.#identity = {name: account.name, nameKey: account.nameKey, created: account.created};
	}

	#loggedOut(): void {
		this.#token = undefined;
		this.#issued = false;
		this.#byToken = false;
		this.#identity = undefined;
	}

	/** Over plain TCP from anywhere but loopback, no password or token is looked at (the facade is never called). */
	#plaintextRefusal(): AccountRefusal | undefined {
		if (this.#peer.encrypted || this.#rules.allowPlaintextPasswords) return undefined;
		const isLocal = this.#peer.isLocal ?? isLoopback;
		if (isLocal(this.#peer.address)) return undefined;
		return refuse('tls-required', 'passwords and tokens are taken only over TLS: connect with TLS (--tls)');
	}
}
