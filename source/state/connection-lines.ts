// When a disconnect is worth a line: the one rule for the TUI's log, the
// --log transcript and pipe mode, so a long outage says "cannot reach" once,
// not once per retry, and a reason the client has just given as an error is
// not said again. Pure.

/** What the next disconnect line is compared with. */
export type LineMemory = {
	/** Connected since the last disconnect line. */
	readonly connected: boolean;
	/** The reason of the last disconnect line. */
	readonly reason?: string;
	/** The text of the error line just before, if the last line was one. */
	readonly lastError?: string;
};

export const freshLineMemory: LineMemory = {connected: false};

/** A first drop, or a different reason, is news; the error just shown is not. */
export function disconnectIsNews(memory: LineMemory, reason: string): boolean {
	return (memory.connected || memory.reason !== reason) && memory.lastError !== reason;
}

/** What a line does to the memory. `said`: whether a disconnect line was written for it. */
export type WrittenLine =
	| {readonly kind: 'connected'}
	| {readonly kind: 'disconnected'; readonly reason: string}
	| {readonly kind: 'error'; readonly text: string}
	| {readonly kind: 'other'};

export function rememberLine(memory: LineMemory, line: WrittenLine): LineMemory {
	switch (line.kind) {
		case 'connected':
			return {connected: true, reason: memory.reason};
		case 'disconnected':
			return {connected: false, reason: line.reason};
		case 'error':
			return {...memory, lastError: line.text};
		case 'other':
			return memory.lastError === undefined ? memory : {connected: memory.connected, reason: memory.reason};
		default:
			return line satisfies never;
	}
}

/** The one owner of the rule for a stream of lines (transcript, pipe mode): true when the disconnect gets a line. */
export class DisconnectLines {
	#memory: LineMemory = freshLineMemory;

	connected(): void {
		this.#memory = rememberLine(this.#memory, {kind: 'connected'});
	}

	error(text: string): void {
		this.#memory = rememberLine(this.#memory, {kind: 'error', text});
	}

	other(): void {
		this.#memory = rememberLine(this.#memory, {kind: 'other'});
	}

	/** Whether to write this disconnect; remembered either way. */
	disconnected(reason: string): boolean {
		const news = disconnectIsNews(this.#memory, reason);
		this.#memory = rememberLine(this.#memory, {kind: 'disconnected', reason});
		return news;
	}
}
