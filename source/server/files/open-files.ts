// The file store that goes with the room log the serve flags chose: memory
// with memory, the log's own database with `--data`, the same Redis with
// `--redis`. Backends load only when chosen, as the log's do.
import type {LogConfig} from '../store/open-log.js';
import type {MessageLog} from '../store/message-log.js';
import type {FileStore} from './file-store.js';
import {MemoryFileStore} from './memory-files.js';

/** `log` is the room log opened from the same config: SQLite shares its database (and lock), so it needs one. */
export async function openFileStore(config: LogConfig, log?: MessageLog): Promise<FileStore> {
	switch (config.kind) {
		case 'memory': {
			return new MemoryFileStore();
		}

		case 'sqlite': {
			const [{SqliteFileStore}, {SqliteLog}, {DATABASE_FILE}] = await Promise.all([import('./sqlite-files.js'), import('../store/sqlite-log.js'), import('../store/sqlite-open.js')]);
			if (!(log instanceof SqliteLog)) throw new Error('a --data file store needs the SQLite room log opened from the same config');
			return new SqliteFileStore(log.database, `${config.dir}/${DATABASE_FILE}`);
		}

		case 'redis': {
			const {RedisFileStore} = await import('./redis-files.js');
			return RedisFileStore.connect(config.url, {prefix: config.prefix});
		}

		default: {
			const unknown: never = config;
			throw new Error(`unknown store kind ${String(unknown)}`);
		}
	}
}
