// Which room log the server keeps (PROTOCOL.md §9): none with `history` 0;
// else the one the caller opened, the cluster's shared one from the hub, an
// SQLite log in `dataDir`, or memory. A StoreError from opening is the one
// line the CLI prints.
import type {Hub} from './hub.js';
import {ServerOptionsError, type ServerOptions} from './options.js';
import {openMessageLog} from './store/open-log.js';
import type {MessageLog} from './store/message-log.js';

export async function openRoomLog(options: Readonly<ServerOptions>, hub: Hub): Promise<MessageLog | undefined> {
	if (options.history === 0) return undefined;
	if (options.messageLog) return options.messageLog;
	if (hub.openLog) {
		if (options.dataDir !== undefined) throw new ServerOptionsError('--data cannot go with --redis: a cluster keeps its log in Redis, shared by every node');
		return hub.openLog(options.history);
	}

	if (options.dataDir !== undefined) return openMessageLog({kind: 'sqlite', dir: options.dataDir, perConversation: options.history});
	return openMessageLog({kind: 'memory', perConversation: options.history});
}

/** The start-up line that says where messages are kept. */
export function describeRoomLog(log: MessageLog | undefined, options: Readonly<ServerOptions>): string {
	if (!log) return 'history off (--history 0): messages are relayed, not kept';
	switch (log.kind) {
		case 'memory':
			return `history in memory, ${options.history} messages per room; lost when the server stops`;
		case 'sqlite':
			return `history in ${options.dataDir ?? 'a database'}, ${options.history} messages per room`;
		case 'redis':
			return `history in Redis, shared by the cluster, ${options.history} messages per room`;
		default:
			return log.kind satisfies never;
	}
}

/** One line per `intervalMs` at most: an outage fails every message, and the log needs to say so once. */
export function throttledNote(note: (text: string) => void, intervalMs = 10_000): (text: string) => void {
	let last = Number.NEGATIVE_INFINITY;
	let skipped = 0;
	return text => {
		const now = Date.now();
		if (now - last < intervalMs) {
			skipped++;
			return;
		}

		last = now;
		note(skipped > 0 ? `${text} (${skipped} more failures since the last line)` : text);
		skipped = 0;
	};
}
