// Picks the backend from the serve flags: `--redis URL` (the cluster's log),
// else `--data DIR` (SQLite), else memory. The SQLite and Redis modules load
// only when chosen, so a server without them never loads their drivers.
import {MemoryLog} from './memory-log.js';
import type {MessageLog} from './message-log.js';
import type {RedisAnnounce} from './redis-log.js';

export type LogConfig =
	| {kind: 'memory'; perConversation?: number; total?: number}
	| {kind: 'sqlite'; dir: string; perConversation?: number}
	| {kind: 'redis'; url: string; perConversation?: number; prefix?: string; announce?: RedisAnnounce};

/** Rejects with a StoreError whose `message` is the one line to print. */
export async function openMessageLog(config: LogConfig): Promise<MessageLog> {
	switch (config.kind) {
		case 'memory': {
			return new MemoryLog({perConversation: config.perConversation, total: config.total});
		}

		case 'sqlite': {
			const {SqliteLog} = await import('./sqlite-log.js');
			return SqliteLog.open(config.dir, {perConversation: config.perConversation});
		}

		case 'redis': {
			const {RedisLog} = await import('./redis-log.js');
			return RedisLog.connect(config.url, {perConversation: config.perConversation, prefix: config.prefix, announce: config.announce});
		}

		default: {
			const unknown: never = config;
			throw new Error(`unknown log kind ${String(unknown)}`);
		}
	}
}
