// What each status reply in flight will answer. The server answers every
// command with exactly one status, in order (PROTOCOL.md §3), so replies are
// matched to commands first-in-first-out.
import type {RosterSource} from './events.js';
import type {HistoryPurpose} from './log-sync.js';

export type Expectation =
	| {cmd: 'connect'}
	| {cmd: 'msg'; localId: number}
	| {cmd: 'rename'; oldname: string; newname: string}
	| {cmd: 'get-clients'; source: RosterSource; sentAt: number}
	/** `room`: whose log, as we named it (#lobby: the command left it out). */
	| {cmd: 'history'; purpose: HistoryPurpose; room: string}
	/** §10; `again`: a rejoin after a reconnect. */
	| {cmd: 'join'; room: string; again: boolean}
	| {cmd: 'part'; room: string; reason?: string}
	| {cmd: 'rooms'}
	| {cmd: 'conversations'}
	| {cmd: 'away'; reason: string}
	| {cmd: 'exit'}
	| {cmd: 'register'}
	| {cmd: 'logout'}
	| {cmd: 'password'}
	/** §12: our new text for the shared file, kept to tell what became of it. */
	| {cmd: 'update-file'; room: string; name: string; text: string; base: number | undefined}
	| {cmd: 'get-file'; room: string};

export class ReplyQueue {
	#waiting: Expectation[] = [];

	push(expectation: Expectation): void {
		this.#waiting.push(expectation);
	}

	/** The command the status that just arrived answers; undefined when nothing waits (a stray status). */
	shift(): Expectation | undefined {
		return this.#waiting.shift();
	}

	/** Empties the queue and returns what waited: their statuses will never come. */
	clear(): Expectation[] {
		return this.#waiting.splice(0);
	}

	/** The newest rename still waiting: a rename sent now must name its new name as the old one. */
	lastRename(): Extract<Expectation, {cmd: 'rename'}> | undefined {
		const found = this.#waiting.findLast(expected => expected.cmd === 'rename');
		return found?.cmd === 'rename' ? found : undefined;
	}

	get size(): number {
		return this.#waiting.length;
	}
}
