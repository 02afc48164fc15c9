// The shared files of a server without `--data` or `--redis`: gone at exit.
import {StoreError} from '../store/message-log.js';
import type {FileStore, FileUpdate, FileUpdateOutcome, SharedFile} from './file-store.js';

export class MemoryFileStore implements FileStore {
	readonly kind = 'memory';
	readonly #files = new Map<string, SharedFile>();
	readonly #now: () => number;
	#closed = false;

	constructor(options: {now?: () => number} = {}) {
		this.#now = options.now ?? Date.now;
	}

	async get(room: string): Promise<SharedFile | null> {
		this.#checkOpen();
		const file = this.#files.get(room);
		return file ? {...file} : null;
	}

	async update({room, name, msg, base, user}: FileUpdate): Promise<FileUpdateOutcome> {
		this.#checkOpen();
		const current = this.#files.get(room);
		const version = current?.version ?? 0;
		if (base !== version) return {outcome: 'conflict', version};
		// Time never goes back within a room, whatever the wall clock does.
		const time = Math.max(this.#now(), current?.time ?? 0);
		this.#files.set(room, {name, msg, version: version + 1, user, time});
		return {outcome: 'updated', version: version + 1, time};
	}

	async drop(room: string): Promise<void> {
		this.#files.delete(room);
	}

	async close(): Promise<void> {
		this.#closed = true;
		this.#files.clear();
	}

	#checkOpen(): void {
		if (this.#closed) throw new StoreError('closed', 'the file store is closed');
	}
}
