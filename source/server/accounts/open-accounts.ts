// Picks the account backend from the storage the server was given: the
// `--data` database (lock-out counters in this process, which alone owns the
// file) or Redis (both shared by the cluster). With neither, no accounts:
// §11 offers them only where they outlive a restart.
import type {RedisClient} from '../store/redis-connect.js';
import type {Feature} from '../../protocol/codes.js';
import type {Database} from '../store/sqlite-open.js';
import {Accounts, type AccountsOptions} from './accounts.js';
import {Lockout} from './lockout.js';
import {MemoryLockoutStore} from './memory-lockout.js';

export type AccountStorage =
	| {kind: 'sqlite'; db: Database}
	/** The client is the caller's (e.g. the cluster hub's); closing the accounts leaves it open. */
	| {kind: 'redis'; redis: RedisClient; prefix?: string};

export type AccountsExtras = Omit<AccountsOptions, 'store' | 'lockout'>;

export async function openAccounts(storage: AccountStorage, extras: AccountsExtras = {}): Promise<Accounts> {
	switch (storage.kind) {
		case 'sqlite': {
			const {SqliteAccountStore} = await import('./sqlite-account-store.js');
			return new Accounts({...extras, store: new SqliteAccountStore(storage.db), lockout: new Lockout(new MemoryLockoutStore())});
		}

		case 'redis': {
			const [{RedisAccountStore}, {RedisLockoutStore}] = await Promise.all([import('./redis-account-store.js'), import('./redis-lockout.js')]);
			return new Accounts({
				...extras,
				store: new RedisAccountStore(storage.redis, {prefix: storage.prefix}),
				lockout: new Lockout(new RedisLockoutStore(storage.redis, storage.prefix)),
			});
		}

		default: {
			const unknown: never = storage;
			throw new Error(`unknown account storage ${String(unknown)}`);
		}
	}
}

/** The `accounts` feature of §8: listed only when the server has accounts, which it has only with durable storage. */
export function accountsFeatures(accounts: Accounts | undefined): Feature[] {
	return accounts === undefined ? [] : ['accounts'];
}
