// `codechat-tui serve --data DIR account add|reset|delete NAME` (or
// `--redis URL` for a cluster's accounts): the operator's way to make
// accounts for an `--accounts-only` server and to reset a forgotten password.
// The password is asked for masked (twice on a terminal), or read as one
// line from a pipe; it is never printed, and only its scrypt hash is stored.
import {usernameProblem} from '../../protocol/limits.js';
import {passwordProblem} from '../../protocol/password-rules.js';
import {readSecret, SecretCancelled} from '../../cli/read-secret.js';
import {StoreError} from '../store/message-log.js';
import type {AccountAction} from './account-actions.js';
import type {AccountStore} from './account-store.js';
import {Accounts, type Done, type Refusal} from './accounts.js';
import {Lockout} from './lockout.js';
import {MemoryLockoutStore} from './memory-lockout.js';


export type AccountCommand = {
	action: AccountAction;
	name: string;
	/** Exactly one of the two says where the accounts are. */
	data?: string;
	redis?: string;
};

export type AccountIo = {
	input: NodeJS.ReadableStream & {isTTY?: boolean; setRawMode?: (raw: boolean) => unknown};
	/** Where the questions go (stderr). */
	prompt: NodeJS.WritableStream;
};

/** The exit code and the one line to print: on stdout when it worked, stderr when not. */
export type AccountCommandResult = {code: 0 | 1 | 2; line: string};

const fail = (line: string, code: 1 | 2 = 1): AccountCommandResult => ({code, line});

export async function runAccountCommand(command: AccountCommand, io: AccountIo): Promise<AccountCommandResult> {
	const nameTrouble = usernameProblem(command.name);
	if (nameTrouble !== undefined) return fail(`${nameTrouble}: "${command.name}" cannot be an account name`, 2);
	let password: string | undefined;
	if (command.action !== 'delete') {
		const asked = await askPassword(io, command.name);
		if (typeof asked !== 'string') return asked;
		password = asked;
	}

	let store: AccountStore;
	try {
		store = await openStore(command);
	} catch (error) {
		if (!(error instanceof StoreError)) throw error;
		if (error.code === 'locked') return fail(`a server is running on ${command.data}: stop it, run this command, then start the server again`);
		return fail(error.message);
	}

	// The command makes no login attempts, so its lock-out counters stay empty.
	const accounts = new Accounts({store, lockout: new Lockout(new MemoryLockoutStore())});
	try {
		const outcome = await perform(accounts, command, password);
		return outcome.ok ? {code: 0, line: doneLine(command)} : fail(outcome.message);
	} finally {
		await accounts.close();
	}
}

async function perform(accounts: Accounts, command: AccountCommand, password: string | undefined): Promise<Done | Refusal> {
	switch (command.action) {
		case 'add':
			return accounts.addAccount(command.name, password!);
		case 'reset':
			return accounts.resetPassword(command.name, password!);
		case 'delete':
			return accounts.deleteAccount(command.name);
		default:
			return command.action satisfies never;
	}
}

function doneLine({action, name}: AccountCommand): string {
	switch (action) {
		case 'add':
			return `account ${name} added`;
		case 'reset':
			return `password of ${name} reset; its saved logins no longer work`;
		case 'delete':
			return `account ${name} deleted, with its saved logins`;
		default:
			return action satisfies never;
	}
}

/** Twice on a terminal (a typo there is invisible); once from a pipe. */
async function askPassword(io: AccountIo, name: string): Promise<string | AccountCommandResult> {
	try {
		const password = await readSecret(io.input, io.prompt, `Password for ${name}: `);
		const problem = passwordProblem(password);
		if (problem !== undefined) return fail(`that password is not usable: ${problem}; nothing was changed`);
		if (io.input.isTTY) {
			const again = await readSecret(io.input, io.prompt, 'The same password again: ');
			if (again !== password) return fail('the two passwords differ; nothing was changed');
		}

		return password;
	} catch (error) {
		if (!(error instanceof SecretCancelled)) throw error;
		return fail(`${error.message}; nothing was changed`);
	}
}

async function openStore(command: AccountCommand): Promise<AccountStore> {
	if (command.data !== undefined) {
		const {SqliteAccountStore} = await import('./sqlite-account-store.js');
		return SqliteAccountStore.open(command.data);
	}

	const [{RedisAccountStore}, {connectStoreRedis}] = await Promise.all([import('./redis-account-store.js'), import('../store/redis-connect.js')]);
	const redis = await connectStoreRedis(command.redis!, 'codechat-account-command', {commandTimeoutMs: 5000, startTimeoutMs: 5000});
	return new RedisAccountStore(redis, {owned: true});
}
