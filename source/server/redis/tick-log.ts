// The cluster's log, with the appends of one event-loop turn sent together:
// one append call per turn, which the Redis log splits into one script per
// room, so a burst costs a script per room and turn instead of one per
// message (each script call is a command to encode, a write, a Lua call and
// its reply). The appends keep their order, and each caller's promise
// settles in that order with its own outcomes, so a room's messages are
// still handed out in seq order.
import type {AppendOutcome, EncodedHistoryPage, HistoryPage, HistoryQuery, MessageLog, NewMessage} from '../store/message-log.js';

type Waiting = {messages: readonly NewMessage[]; resolve(outcomes: AppendOutcome[]): void; reject(error: unknown): void};

export class TickLog implements MessageLog {
	readonly #log: MessageLog;
	#waiting: Waiting[] = [];
	#scheduled: NodeJS.Immediate | undefined;

	constructor(log: MessageLog) {
		this.#log = log;
	}

	get kind(): MessageLog['kind'] {
		return this.#log.kind;
	}

	async append(messages: readonly NewMessage[]): Promise<AppendOutcome[]> {
		return new Promise((resolve, reject) => {
			this.#waiting.push({messages, resolve, reject});
			// After this turn's I/O callbacks, so every socket read of the turn adds its messages first.
			this.#scheduled ??= setImmediate(() => this.#flush());
		});
	}

	async history(conversation: string, query: HistoryQuery, limit?: number): Promise<HistoryPage> {
		return this.#log.history(conversation, query, limit);
	}

	async encodedHistory(conversation: string, query: HistoryQuery, room: string | undefined, limit?: number): Promise<EncodedHistoryPage> {
		return this.#log.encodedHistory(conversation, query, room, limit);
	}

	async drop(conversation: string): Promise<void> {
		return this.#log.drop(conversation);
	}

	async close(): Promise<void> {
		this.#flush();
		await this.#log.close();
	}

	#flush(): void {
		if (this.#scheduled) clearImmediate(this.#scheduled);
		this.#scheduled = undefined;
		const waiting = this.#waiting;
		this.#waiting = [];
		if (waiting.length === 0) return;
		this.#log.append(waiting.flatMap(item => item.messages)).then(
			outcomes => {
				let offset = 0;
				for (const item of waiting) {
					item.resolve(outcomes.slice(offset, offset + item.messages.length));
					offset += item.messages.length;
				}
			},
			(error: unknown) => {
				for (const item of waiting) item.reject(error);
			},
		);
	}
}
