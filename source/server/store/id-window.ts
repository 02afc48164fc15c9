// The memory log's idempotency keys: (conversation, id) → where the message
// went and who sent what. Insertion-ordered, so the oldest go first once the
// count passes its cap.
import {MAX_IDS} from './message-log.js';

export type IdRecord = {seq: number; time: number; fingerprint: string};

export class IdWindow {
	readonly #records = new Map<string, IdRecord>();
	readonly #cap: number;

	constructor(cap = MAX_IDS) {
		this.#cap = cap;
	}

	get size(): number {
		return this.#records.size;
	}

	get(conversation: string, id: string): IdRecord | undefined {
		return this.#records.get(key(conversation, id));
	}

	set(conversation: string, id: string, record: IdRecord): void {
		this.#records.set(key(conversation, id), record);
		if (this.#records.size > this.#cap) this.#records.delete(this.#records.keys().next().value!);
	}

	dropConversation(conversation: string): void {
		const prefix = key(conversation, '');
		for (const stored of this.#records.keys()) if (stored.startsWith(prefix)) this.#records.delete(stored);
	}
}

// A conversation key never holds a NUL, so the pair cannot be read two ways.
const key = (conversation: string, id: string) => `${conversation}\0${id}`;
