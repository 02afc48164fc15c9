// What to send with `connect`, and what to do when the server refuses it for
// an account reason (PROTOCOL.md §11). Pure, so every rule is tested alone:
//  - a saved token goes with the first connect (it was issued by this very
//    server for this name), never over --insecure TLS;
//  - a password goes only after this connection's `auth-required` from a
//    server that lists `accounts`, never over --insecure TLS, even when a
//    script gave one: a seed server, or one we did not mean, never sees it;
//  - a refused token is forgotten, and connect is sent again without a
//    credential: the answer tells by its code whether the name is still an
//    account (auth-required with `registered`: the password is asked for) or
//    was deleted (a guest's welcome, or `registered: false` from a server
//    that admits accounts only); a wrong scripted password ends the run, a
//    wrong typed one asks again.
import type {FailureCode, Feature} from '../protocol/codes.js';

export type LoginTransport = 'plain' | 'tls' | 'insecure-tls';

export type Credential = {token: string} | {password: string};

/**
 * What was sent with the connect that the server answered. `after-refused-token`:
 * nothing, to learn whether the name whose token was refused is still an account.
 */
export type SentCredential = 'none' | 'after-refused-token' | 'token' | 'password' | 'typed-password';

export type LoginContext = {
	readonly transport: LoginTransport;
	/** A token saved for this server and name, if any. */
	readonly savedToken?: string;
	/** From --password-file or $CODECHAT_PASSWORD. */
	readonly scriptedPassword?: string;
	/** A person is there to type a password (the TUI), rather than a script. */
	readonly canPrompt: boolean;
};

/** `registered`: with `auth-required`, whether the server says the name is an account (undefined: it did not say). */
export type RefusalInfo = {readonly code?: FailureCode; readonly retry?: number; readonly registered?: boolean; readonly features?: ReadonlySet<Feature>};

export type LoginStep =
	/** Not an account refusal: the usual connect-refusal handling applies. */
	| {kind: 'not-account'}
	/** Connect again on this connection with this credential. */
	| {kind: 'send'; credential: Credential; forgetToken: boolean}
	/** Connect again on this connection as a guest (the server no longer keeps accounts). */
	| {kind: 'guest'; forgetToken: true}
	/** Connect again on this connection without a credential (as `after-refused-token`): is the name still an account? */
	| {kind: 'check-name'; forgetToken: true}
	/** Ask the person (masked), then send the password; `notice` says why. */
	| {kind: 'prompt'; notice: string; forgetToken: boolean}
	/** Give up: say `message` and do not retry on our own. */
	| {kind: 'stop'; message: string; forgetToken: boolean};

/** The credential of the first connect on a connection. */
export function firstCredential(context: LoginContext): Credential | undefined {
	if (context.savedToken === undefined || context.transport === 'insecure-tls') return undefined;
	return {token: context.savedToken};
}

/** The next step after a failed connect that carried `sent`. */
export function afterRefusal(context: LoginContext, name: string, sent: SentCredential, refusal: RefusalInfo): LoginStep {
	switch (refusal.code) {
		case 'auth-required':
			if (!refusal.features?.has('accounts')) return {kind: 'stop', message: `the server asks for a password for ${name} but does not say it offers accounts; no password was sent`, forgetToken: false};
			// An accounts-only server asks every name for a password; one that is no account cannot log in with any.
			if (refusal.registered === false) return {kind: 'stop', message: sent === 'after-refused-token' ? accountGoneText(name, true) : notAccountText(name), forgetToken: sent === 'token'};
			return passwordStep(context, name, sent === 'after-refused-token' ? 'the saved login is no longer valid; log in with the password' : `${name} is a registered name on this server`, false);
		case 'auth-failed': {
			// A token the server no longer takes is worth nothing: forget it, and ask whether the name still needs a password.
			if (sent === 'token') return {kind: 'check-name', forgetToken: true};
			if (sent === 'password') return {kind: 'stop', message: `the server refused the password for ${name} (wrong password); check --password-file or $CODECHAT_PASSWORD`, forgetToken: false};
			return context.canPrompt ? {kind: 'prompt', notice: `wrong password for ${name}; try again`, forgetToken: false} : {kind: 'stop', message: `the server refused the login for ${name}`, forgetToken: false};
		}

		case 'locked-out': {
			const wait = refusal.retry === undefined ? 'a while' : `${refusal.retry} s`;
			const message = `too many wrong passwords for ${name} from this address: wait ${wait} before trying again`;
			return context.canPrompt && sent === 'typed-password' ? {kind: 'prompt', notice: message, forgetToken: false} : {kind: 'stop', message, forgetToken: false};
		}

		case 'unsupported':
			// Our saved token, but the server keeps no accounts now (restarted without storage): be a guest.
			return sent === 'token' ? {kind: 'guest', forgetToken: true} : {kind: 'not-account'};
		case 'tls-required':
			return {kind: 'stop', message: 'the server takes passwords and logins only over TLS: connect with --tls', forgetToken: false};
		default:
			return {kind: 'not-account'};
	}
}

function passwordStep(context: LoginContext, name: string, why: string, forgetToken: boolean): LoginStep {
	if (context.transport === 'insecure-tls') {
		return {kind: 'stop', message: `${why}, but a password is never sent with --insecure (the server's certificate is not checked): connect without --insecure`, forgetToken};
	}

	if (context.scriptedPassword !== undefined) return {kind: 'send', credential: {password: context.scriptedPassword}, forgetToken};
	if (context.canPrompt) return {kind: 'prompt', notice: why, forgetToken};
	return {kind: 'stop', message: `${why}: give its password with --password-file FILE or $CODECHAT_PASSWORD, or choose another name`, forgetToken};
}

/**
 * The account a saved login was for is gone from the server (the operator
 * deleted it): `accountsOnly`, the server admits no guest, else you are one now.
 */
export function accountGoneText(name: string, accountsOnly: boolean): string {
	const gone = `the account ${name} no longer exists on this server, so its saved login is forgotten`;
	if (accountsOnly) return `${gone}; the server admits accounts only: ${accountsOnlyAdvice(name)}`;
	return `${gone}: you are ${name} as a guest now, and /register makes the name an account again`;
}

/** The server takes accounts only, and this name is none; guests cannot connect there to /register it. */
function notAccountText(name: string): string {
	return `${name} is not registered on this server, and it admits accounts only: ${accountsOnlyAdvice(name)}`;
}

/** What to do about a name that is no account on a server that admits accounts only. */
function accountsOnlyAdvice(name: string): string {
	return `ask its operator for an account (they make one with: codechat-tui serve --data DIR account add ${name}), or connect under a name that is registered (--user NAME)`;
}
