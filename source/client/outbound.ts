// What the client writes: control commands at once, chat messages from the
// outbox as fast as the pacer allows, pipelined and matched to their statuses
// first-in-first-out; and the reply timer that notices a link that stopped
// answering.
import {isLobby} from '../protocol/rooms.js';
import type {Command} from '../protocol/types.js';
import type {Link} from './link.js';
import type {NamedTimers} from './named-timers.js';
import type {Outbox, OutboxEntry} from './outbox.js';
import type {Pacer} from './pacer.js';
import type {Expectation, ReplyQueue} from './reply-queue.js';

/** What the writer needs of the session. */
export type OutboundHost = {
	link(): Link | undefined;
	/** May queued messages go now (connected, not leaving)? */
	sending(): boolean;
	/** Is a command's answer timed? Not while `connect` is out: its own timer covers it. */
	timesReplies(): boolean;
	/** Does the server keep a log (§9), so a message carries its id? */
	withIds(): boolean;
	/** No status came for `replyTimeoutMs`. */
	replyTimedOut(): void;
};

export class Outbound {
	readonly #host: OutboundHost;
	readonly #outbox: Outbox;
	readonly #replies: ReplyQueue;
	readonly #pacer: Pacer;
	readonly #timers: NamedTimers;
	readonly #replyTimeoutMs: number;

	constructor(parts: {host: OutboundHost; outbox: Outbox; replies: ReplyQueue; pacer: Pacer; timers: NamedTimers; replyTimeoutMs: number}) {
		this.#host = parts.host;
		this.#outbox = parts.outbox;
		this.#replies = parts.replies;
		this.#pacer = parts.pacer;
		this.#timers = parts.timers;
		this.#replyTimeoutMs = parts.replyTimeoutMs;
	}

	/** Writes a control command now (it counts against the pacer but does not wait for it). */
	write(command: Command, expectation: Expectation | undefined): void {
		const link = this.#host.link();
		if (!link) return;
		this.#pacer.take();
		if (expectation) {
			this.#replies.push(expectation);
			this.armReplyTimer();
		}

		link.write(command);
	}

	/** Writes queued messages while the session allows, the pacer agrees and no server asked us to wait. */
	flush(): void {
		if (!this.#host.sending() || !this.#host.link() || this.#timers.has('flush') || this.#timers.has('resend')) return;
		while (this.#outbox.peekQueued()) {
			const wait = this.#pacer.waitMs();
			if (wait > 0) {
				this.#timers.set('flush', () => {
					this.flush();
				}, wait);
				return;
			}

			const entry = this.#outbox.takeQueued()!;
			this.write(this.#messageCommand(entry), {cmd: 'msg', localId: entry.localId});
		}
	}

	/**
	 * The server refused a message for now (§8 `retry`): nothing more goes out
	 * for `ms`, then the kept messages go again, oldest first. A later refusal
	 * restarts the wait.
	 */
	resendAfter(ms: number): void {
		this.#timers.set('resend', () => {
			this.flush();
		}, ms);
	}

	/** Messages the server refused for now wait for their resend (§8 `retry`). */
	get resendScheduled(): boolean {
		return this.#timers.has('resend');
	}

	/** A status arrived: the command it answers (undefined for a stray status). Times the next one still waiting. */
	answered(): Expectation | undefined {
		const expected = this.#replies.shift();
		// An answer: the link is alive.
		this.#timers.clear('reply');
		if (this.#replies.size > 0) this.armReplyTimer();
		return expected;
	}

	/** The writer's timers stop with the link. */
	stop(): void {
		this.#timers.clear('flush');
		this.#timers.clear('reply');
	}

	/**
	 * A server that stops reading, or a peer that vanished without a FIN
	 * (half-open), never answers: after `replyTimeoutMs` without a status for
	 * a waiting command, the session drops the link and reconnects. The idle
	 * get-clients probe makes this cover quiet connections too.
	 */
	armReplyTimer(): void {
		if (this.#timers.has('reply') || this.#replyTimeoutMs <= 0 || !this.#host.timesReplies()) return;
		this.#timers.set('reply', () => {
			this.#host.replyTimedOut();
		}, this.#replyTimeoutMs);
	}

	#messageCommand(entry: OutboxEntry): Command {
		// A seed or 2015 server gets exactly the msg it always got; #lobby is the command without `room` (§10).
		const {target} = entry;
		const where = target === undefined ? {} : 'to' in target ? {to: target.to} : isLobby(target.room) ? {} : {room: target.room};
		return {cmd: 'msg', msg: entry.text, ...(this.#host.withIds() ? {id: entry.id} : {}), ...where, ...(entry.action ? {action: true} : {})};
	}
}
