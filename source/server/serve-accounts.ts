// The accounts of a cluster (PROTOCOL.md §11): in Redis, shared by every node
// with their lock-outs. (With --data the server keeps them in its log's
// database itself; without durable storage there are none.)
import type {Accounts} from './accounts/accounts.js';
import {ServerOptionsError} from './options.js';

export type ServeAccounts = {
	readonly accounts: Accounts;
	/** Closes the accounts, then what they were kept in; after the server has closed. */
	close(): Promise<void>;
};

export async function openServeAccounts(where: {redis?: string}, log: (line: string) => void): Promise<ServeAccounts | undefined> {
	const {openAccounts} = await import('./accounts/open-accounts.js');
	if (where.redis !== undefined) {
		const [{connectStoreRedis}, {describeRedis}] = await Promise.all([import('./store/redis-connect.js'), import('./redis/serve-hub.js')]);
		const redis = await connectStoreRedis(where.redis, 'codechat-accounts', {commandTimeoutMs: 5000, startTimeoutMs: 5000}).catch((error: unknown) => {
			throw new ServerOptionsError(`--redis ${describeRedis(where.redis!)}: cannot reach it for the accounts (${(error as Error).message})`);
		});
		const accounts = await openAccounts({kind: 'redis', redis}, {log});
		return {
			accounts,
			async close() {
				await accounts.close();
				redis.disconnect();
			},
		};
	}

	return undefined;
}
