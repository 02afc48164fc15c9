// The default log: in this process only, so each start is a new epoch.
// Bounded twice: `perConversation` messages per conversation, and `total`
// over all of them, trimming the oldest message of the whole server first.
import {Deque} from './deque.js';
import {fingerprint, newEpoch} from './epoch.js';
import {buildPage, encodePage} from './history-page.js';
import {IdWindow} from './id-window.js';
import {
	clampLimit,
	DEFAULT_HISTORY_PER_CONVERSATION,
	DEFAULT_MEMORY_TOTAL,
	MAX_IDS,
	StoreError,
	type AppendOutcome,
	type EncodedHistoryPage,
	type HistoryPage,
	type HistoryQuery,
	type MessageLog,
	type NewMessage,
	type StoredMessage,
} from './message-log.js';
import {withDefaults} from './with-defaults.js';

export type MemoryLogOptions = {
	perConversation: number;
	total: number;
	maxIds: number;
	/** The clock; tests pass their own. */
	now: () => number;
};

type Conversation = {
	epoch: string;
	last: number;
	lastTime: number;
	messages: Deque<StoredMessage>;
};

/** A message's place in the server-wide order; stale once its conversation trimmed or dropped it. */
type OrderEntry = {log: Conversation; seq: number};

const isLive = (entry: OrderEntry) => entry.log.messages.length > 0 && entry.log.messages.at(0)!.seq <= entry.seq;

export class MemoryLog implements MessageLog {
	readonly kind = 'memory';
	readonly #options: MemoryLogOptions;
	readonly #conversations = new Map<string, Conversation>();
	/** One entry per message appended, oldest first: which conversation to trim when `total` is passed. */
	#order = new Deque<OrderEntry>();
	readonly #ids: IdWindow;
	#kept = 0;
	#closed = false;

	constructor(options: Partial<MemoryLogOptions> = {}) {
		this.#options = withDefaults({perConversation: DEFAULT_HISTORY_PER_CONVERSATION, total: DEFAULT_MEMORY_TOTAL, maxIds: MAX_IDS, now: Date.now}, options);
		this.#ids = new IdWindow(this.#options.maxIds);
	}

	/** Messages kept over all conversations. */
	get size(): number {
		return this.#kept;
	}

	async append(messages: readonly NewMessage[]): Promise<AppendOutcome[]> {
		if (this.#closed) throw new StoreError('closed', 'the message log is closed');
		return messages.map(message => this.#appendOne(message));
	}

	async history(conversation: string, query: HistoryQuery, limit?: number): Promise<HistoryPage> {
		if (this.#closed) throw new StoreError('closed', 'the message log is closed');
		const log = this.#conversation(conversation);
		const count = clampLimit(limit);
		const kept = log.messages;
		const firstSeq = kept.length > 0 ? kept.at(0)!.seq : log.last + 1;
		let start: number;
		let end: number;
		if (query.after !== undefined) {
			start = Math.max(0, query.after + 1 - firstSeq);
			end = Math.min(kept.length, start + count);
		} else {
			end = query.before === undefined ? kept.length : Math.max(0, Math.min(kept.length, query.before - firstSeq));
			start = Math.max(0, end - count);
		}

		const rows: StoredMessage[] = [];
		for (let index = start; index < end; index++) rows.push(kept.at(index)!);
		return buildPage(conversation, query, rows, {epoch: log.epoch, ...bounds(log)});
	}

	async encodedHistory(conversation: string, query: HistoryQuery, room: string | undefined, limit?: number): Promise<EncodedHistoryPage> {
		return encodePage(await this.history(conversation, query, limit), room);
	}

	async drop(conversation: string): Promise<void> {
		const log = this.#conversations.get(conversation);
		if (!log) return;
		this.#kept -= log.messages.length;
		// Its entries in the server-wide order become stale (an empty log has no live one).
		log.messages = new Deque();
		this.#conversations.delete(conversation);
		this.#ids.dropConversation(conversation);
	}

	async close(): Promise<void> {
		this.#closed = true;
	}

	#appendOne(message: NewMessage): AppendOutcome {
		const log = this.#conversation(message.conversation);
		const print = message.id === undefined ? undefined : fingerprint(message.user, message.msg);
		if (message.id !== undefined) {
			const seen = this.#ids.get(message.conversation, message.id);
			if (seen) {
				if (seen.fingerprint !== print) return {outcome: 'conflict'};
				return {outcome: 'duplicate', seq: seen.seq, epoch: log.epoch, time: seen.time};
			}
		}

		const seq = log.last + 1;
		const time = Math.max(this.#options.now(), log.lastTime);
		const stored: StoredMessage = {seq, epoch: log.epoch, time, user: message.user, msg: message.msg};
		if (message.id !== undefined) stored.id = message.id;
		if (message.action) stored.action = true;
		log.last = seq;
		log.lastTime = time;
		log.messages.push(stored);
		this.#order.push({log, seq});
		this.#kept++;
		if (message.id !== undefined) this.#ids.set(message.conversation, message.id, {seq, time, fingerprint: print!});
		if (log.messages.length > this.#options.perConversation) {
			log.messages.shift();
			this.#kept--;
		}

		this.#trimTotal();
		return {outcome: 'stored', seq, epoch: log.epoch, time};
	}

	/** Drops the server's oldest messages while more than `total` are kept. */
	#trimTotal(): void {
		while (this.#kept > this.#options.total) {
			const entry = this.#order.shift()!;
			// The oldest live entry of the server is the oldest message of its conversation.
			if (!isLive(entry)) continue;
			entry.log.messages.shift();
			this.#kept--;
		}

		// Entries of messages a busy conversation trimmed itself pile up behind a quiet one's; sweep them out now and then (amortised O(1)).
		if (this.#order.length > 2 * this.#kept + 1024) {
			const live = new Deque<OrderEntry>();
			for (let index = 0; index < this.#order.length; index++) {
				const entry = this.#order.at(index)!;
				if (isLive(entry)) live.push(entry);
			}

			this.#order = live;
		}
	}

	#conversation(key: string): Conversation {
		let log = this.#conversations.get(key);
		if (!log) {
			log = {epoch: newEpoch(), last: 0, lastTime: 0, messages: new Deque()};
			this.#conversations.set(key, log);
		}

		return log;
	}
}

function bounds(log: Conversation): {first: number; last: number} {
	if (log.last === 0) return {first: 0, last: 0};
	// Everything trimmed: the oldest seq kept lies past the newest, so a client sees the whole gap.
	const first = log.messages.length > 0 ? log.messages.at(0)!.seq : log.last + 1;
	return {first, last: log.last};
}
