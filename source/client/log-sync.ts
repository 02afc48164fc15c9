// The client's side of the room log (PROTOCOL.md §9): the backlog on the
// first connect, the resume after every reconnect, and older pages on demand.
//
// While a load is on its way, live messages wait in a buffer; each page is
// merged with them by seq, so what is delivered runs in seq order with every
// seq once. A live message that does not follow the last one (a gap, or
// another epoch) starts a resume instead of being shown out of order. A
// drop throws the buffer away: the mark has not moved past those messages,
// so the next resume fetches them again.
import type {ChatEvent, HistoryReply, LogPosition} from '../protocol/types.js';
import type {DeliveredMessage} from './events.js';

/** A message as the sync hands it on; the host names its conversation. */
export type SyncedMessage = Omit<DeliveredMessage, 'conversation' | 'room' | 'to'>;
import {LogCursor} from './log-cursor.js';

/** §9: at most 1,000 per `history`. */
export const MAX_PAGE = 1000;
/** Older pages, asked for as the view scrolls up. */
export const OLDER_PAGE = 100;

export type HistoryPurpose = 'backlog' | 'recover' | 'older';

export type HistoryQuery = {after?: number; before?: number; limit: number};

/** A `history` the server refused: its text and code, and for a refusal for now (§8 `retry`) when to ask again. */
export type HistoryRefusal = {error: string; code?: string; retryMs?: number};

type LiveMessage = Extract<ChatEvent, {cmd: 'message'}> & {namesake?: boolean; arrived: number};

/** What the sync needs of the client. */
export type LogSyncHost = {
	/** Writes a `history` command; its reply comes back through `answered`. */
	request(query: HistoryQuery, purpose: HistoryPurpose): void;
	deliver(message: SyncedMessage): void;
	/** Is this id one of our own messages still waiting in the outbox (a resend the log already holds)? */
	isOwnPending(id: string): boolean;
	gap(missed: number, kept: number): void;
	reset(): void;
	caughtUp(backlog: number, recovered: number): void;
	older(messages: SyncedMessage[], more: boolean): void;
	/** A load was refused for now: retryLoad() should run in `ms`. */
	retryLater(ms: number): void;
	warn(message: string): void;
};

export class LogSync {
	readonly #cursor = new LogCursor();
	readonly #host: LogSyncHost;
	readonly #backlog: number;
	/** 'off': no history on this connection (or none yet); 'loading': a backlog or resume is on its way. */
	#phase: 'off' | 'loading' | 'live' = 'off';
	#buffer: LiveMessage[] = [];
	#recovered = 0;
	#olderWaiting = false;
	/** The backlog or resume was refused for now: it is asked again by retryLoad(); told once until one arrives. */
	#loadRefused: 'no' | 'waiting' | 'asked again' = 'no';
	/** Set by arrivedUnseen() until the first load: which senders are us. */
	#unseenBy?: (user: string) => boolean;

	constructor(host: LogSyncHost, backlog: number) {
		this.#host = host;
		this.#backlog = backlog;
	}

	/** `connect` succeeded. `history`: the server lists it. */
	connected(history: boolean): void {
		this.#buffer = [];
		this.#recovered = 0;
		this.#loadRefused = 'no';
		if (!history) {
			this.#phase = 'off';
			return;
		}

		this.#phase = 'loading';
		this.#requestLoad();
	}

	/** Asks again for a backlog or resume that the server refused for now; live messages still wait for it. */
	retryLoad(): void {
		if (this.#phase !== 'loading' || this.#loadRefused !== 'waiting') return;
		this.#loadRefused = 'asked again';
		this.#requestLoad();
	}

	#requestLoad(): void {
		if (this.#cursor.epoch === undefined) {
			// Without a backlog, one message is asked for only to learn where the log stands;
			// a log never seen here is asked for a whole page, to find where we last wrote in it.
			this.#host.request({limit: this.#unseenBy ? MAX_PAGE : Math.min(MAX_PAGE, Math.max(1, this.#backlog))}, 'backlog');
		} else {
			this.#host.request({after: this.#cursor.mark, limit: MAX_PAGE}, 'recover');
		}
	}

	/** Before the first connect: everything up to `mark` was seen on an earlier run, so the first load resumes after it. */
	resumeFrom(mark: {epoch: string; seq: number}): void {
		if (this.#cursor.epoch === undefined) this.#cursor.start(mark.epoch, mark.seq, 0);
	}

	/**
	 * Before the first load: this log arrived without our having seen it here
	 * (a stored conversation, §11, with no mark kept). Its first load counts
	 * what came after our own newest message in it (`isOwn` tells which) as
	 * new, not as backlog: that is when we were last there.
	 */
	arrivedUnseen(isOwn: (user: string) => boolean): void {
		if (this.#cursor.epoch === undefined) this.#unseenBy = isOwn;
	}

	/** How far this log has been delivered without a hole; undefined before the server named its epoch. */
	get seen(): {epoch: string; seq: number} | undefined {
		const {epoch, mark} = this.#cursor;
		return epoch === undefined ? undefined : {epoch, seq: mark};
	}

	/** The connection is gone: what waited is dropped, to be fetched again on the resume. */
	disconnected(): void {
		this.#phase = 'off';
		this.#buffer = [];
		this.#loadRefused = 'no';
		if (this.#olderWaiting) {
			this.#olderWaiting = false;
			this.#host.older([], true);
		}
	}

	/** A live `message` event. */
	live(event: Extract<ChatEvent, {cmd: 'message'}>, namesake: boolean, arrived: number): void {
		const message: LiveMessage = {...event, namesake, arrived};
		const {log} = event;
		if (this.#phase === 'off' || log === undefined) {
			// No log on this server, or a message it does not store (§9: a guest's direct message).
			this.#host.deliver(liveDelivery(message));
			return;
		}

		if (this.#phase === 'loading') {
			this.#buffer.push(message);
			return;
		}

		if (log.epoch === this.#cursor.epoch && !this.#cursor.isNew(log.seq, log.epoch)) return;
		if (this.#cursor.isNext(log.seq, log.epoch)) {
			this.#cursor.accept(log.seq, log.epoch);
			this.#host.deliver(liveDelivery(message));
			return;
		}

		// Something is missing before it (or the epoch changed): fetch what lies between first.
		this.#buffer.push(message);
		this.#phase = 'loading';
		this.#recovered = 0;
		this.#host.request({after: this.#cursor.mark, limit: MAX_PAGE}, 'recover');
	}

	/** The success status of one of our `msg`s carried its place in the log. */
	ownStored(position: LogPosition): void {
		this.#cursor.noteOwn(position.seq, position.epoch);
	}

	/** Asks for the page before the oldest loaded message; false when there is none or one is on its way. */
	loadOlder(): boolean {
		const before = this.#phase === 'live' && !this.#olderWaiting ? this.#cursor.olderBound() : undefined;
		if (before === undefined) return false;
		this.#olderWaiting = true;
		this.#host.request({before, limit: OLDER_PAGE}, 'older');
		return true;
	}

	/** Would loadOlder() ask for something? */
	get hasOlder(): boolean {
		return this.#phase === 'live' && this.#cursor.olderBound() !== undefined;
	}

	/** The answer to a `history` we sent: a reply, or the server's refusal. */
	answered(purpose: HistoryPurpose, reply: HistoryReply | HistoryRefusal): void {
		if ('error' in reply) {
			this.#refused(purpose, reply);
			return;
		}

		if (purpose !== 'older') this.#loadRefused = 'no';

		switch (purpose) {
			case 'backlog': {
				this.#onBacklog(reply);
				break;
			}

			case 'recover': {
				this.#onRecoverPage(reply);
				break;
			}

			case 'older': {
				this.#onOlder(reply);
				break;
			}

			default: {
				const unknown: never = purpose;
				throw new Error(`unhandled history purpose ${String(unknown)}`);
			}
		}
	}

	#refused(purpose: HistoryPurpose, {error, retryMs}: HistoryRefusal): void {
		if (purpose === 'older') {
			this.#olderWaiting = false;
			this.#host.older([], false);
			this.#host.warn(`the server did not send older messages: ${error}`);
			return;
		}

		if (this.#phase !== 'loading') return;
		if (retryMs !== undefined) {
			// The log is briefly unreachable: what is live keeps waiting for the load, asked again later.
			if (this.#loadRefused === 'no') this.#host.warn(`the server cannot send the room's history now (${error}); asking again in ${Math.round(retryMs / 1000)} s`);
			this.#loadRefused = 'waiting';
			this.#host.retryLater(retryMs);
			return;
		}

		this.#host.warn(`the server did not send the room's history: ${error}`);
		this.#withoutLoad();
	}

	/**
	 * The server keeps no log of this conversation (a direct one with a guest,
	 * §10: its load is refused `forbidden`): nothing to tell, what waited and
	 * what comes is shown live. The next connect asks again (the name may be
	 * registered by then).
	 */
	notStored(): void {
		if (this.#phase === 'loading') this.#withoutLoad();
	}

	/** Shown as they came rather than not at all; the next resume tries again. */
	#withoutLoad(): void {
		const waiting = this.#buffer;
		this.#buffer = [];
		this.#phase = this.#cursor.epoch === undefined ? 'off' : 'live';
		for (const message of waiting) {
			if (message.log) this.#cursor.accept(message.log.seq, message.log.epoch);
			this.#host.deliver(liveDelivery(message));
		}
	}

	#onBacklog(reply: HistoryReply): void {
		if (this.#phase !== 'loading') return;
		this.#cursor.start(reply.epoch, reply.last, reply.first);
		// Everything up to `last` is either backlog, new (never seen here) or, if it also came live, live; in seq order.
		const page = reply.messages.filter(message => message.log!.epoch === reply.epoch);
		const isOwn = this.#unseenBy;
		this.#unseenBy = undefined;
		const seenUpTo = isOwn ? page.findLastIndex(message => isOwn(message.user)) + 1 : page.length;
		const bySeq = new Map<number, SyncedMessage>();
		for (const message of page.slice(Math.max(0, seenUpTo - this.#backlog), seenUpTo)) bySeq.set(message.log!.seq, historyDelivery(message, 'backlog'));
		for (const message of page.slice(seenUpTo)) bySeq.set(message.log!.seq, historyDelivery(message, 'recovered'));
		const later: LiveMessage[] = [];
		for (const message of this.#buffer) {
			const {log} = message;
			if (log!.epoch === reply.epoch && log!.seq <= reply.last) bySeq.set(log!.seq, liveDelivery(message));
			else later.push(message);
		}

		this.#buffer = later;
		const seqs = [...bySeq.keys()].sort((a, b) => a - b);
		if (seqs.length > 0) this.#cursor.loadedDownTo(seqs[0]);
		let backlog = 0;
		let unseen = 0;
		for (const seq of seqs) {
			const message = bySeq.get(seq)!;
			if (message.backlog) backlog++;
			if (message.recovered) unseen++;
			this.#host.deliver(message);
		}

		this.#goLive(backlog, unseen);
	}

	#onRecoverPage(reply: HistoryReply): void {
		if (this.#phase !== 'loading') return;
		const cursor = this.#cursor;
		if (reply.epoch !== cursor.epoch || reply.last < cursor.top) {
			// A new log: the seqs we hold name nothing in it. Fetch it from its start.
			this.#host.reset();
			cursor.start(reply.epoch, Math.max(0, reply.first - 1), reply.first);
			this.#host.request({after: cursor.mark, limit: MAX_PAGE}, 'recover');
			return;
		}

		cursor.keeps(reply.first);
		if (reply.first > 0) {
			const missed = cursor.skipTo(reply.first);
			if (missed > 0) this.#host.gap(missed, reply.last - reply.first + 1);
		}

		const page = reply.messages.filter(message => message.log!.epoch === reply.epoch);
		const pageTop = page.length > 0 ? page.at(-1)!.log!.seq : cursor.mark;
		// The page and the live messages it reaches, merged by seq; on a tie the live one wins.
		type Candidate = {seq: number; live?: LiveMessage; stored?: (typeof page)[number]};
		const candidates: Candidate[] = page.map(message => ({seq: message.log!.seq, stored: message}));
		const later: LiveMessage[] = [];
		for (const message of this.#buffer) {
			if (message.log!.epoch === reply.epoch && message.log!.seq <= pageTop) candidates.push({seq: message.log!.seq, live: message});
			else later.push(message);
		}

		this.#buffer = later;
		candidates.sort((a, b) => a.seq - b.seq || (a.live ? -1 : 1));
		for (const {seq, live, stored} of candidates) {
			if (cursor.accept(seq, reply.epoch) === 'duplicate') continue;
			if (live) {
				this.#host.deliver(liveDelivery(live));
			} else if (stored!.id === undefined || !this.#host.isOwnPending(stored!.id)) {
				// One of our own resends that the log already holds is settled by its status, not shown as someone's line.
				this.#recovered++;
				this.#host.deliver(historyDelivery(stored!, 'recovered'));
			}
		}

		if (reply.more && page.length > 0) {
			this.#host.request({after: cursor.mark, limit: MAX_PAGE}, 'recover');
			return;
		}

		// The server sent all it has up to `last`: a seq below it that did not come does not exist.
		cursor.skipTo(reply.last + 1);
		this.#goLive(0, this.#recovered);
	}

	#onOlder(reply: HistoryReply): void {
		if (!this.#olderWaiting) return;
		this.#olderWaiting = false;
		const cursor = this.#cursor;
		if (reply.epoch !== cursor.epoch) {
			cursor.noOlder();
			this.#host.older([], false);
			return;
		}

		cursor.keeps(reply.first);
		const bound = cursor.olderBound() ?? 0;
		const page = reply.messages.filter(message => message.log!.epoch === reply.epoch && message.log!.seq < bound);
		if (page.length === 0) cursor.noOlder();
		else cursor.loadedDownTo(page[0].log!.seq);
		this.#host.older(page.map(message => historyDelivery(message, 'older')), cursor.olderBound() !== undefined);
	}

	#goLive(backlog: number, recovered: number): void {
		this.#phase = 'live';
		this.#host.caughtUp(backlog, recovered);
		// What came live meanwhile, past the pages, in seq order. Not checked for gaps again: the
		// pages were all the server had, and the next live message starts a resume if one is left.
		const waiting = this.#buffer.sort((a, b) => a.log!.seq - b.log!.seq);
		this.#buffer = [];
		for (const message of waiting) {
			const {seq, epoch} = message.log!;
			if (epoch !== this.#cursor.epoch) {
				this.#host.warn(`a message from ${message.user} names another log (epoch) than the server's history; shown as it came`);
				this.#host.deliver(liveDelivery(message));
			} else if (this.#cursor.accept(seq, epoch) === 'new') {
				this.#host.deliver(liveDelivery(message));
			}
		}
	}
}

function liveDelivery(message: LiveMessage): SyncedMessage {
	const delivered: SyncedMessage = {user: message.user, text: message.msg, time: message.log?.time ?? message.arrived};
	if (message.namesake) delivered.namesake = true;
	if (message.log) {
		delivered.seq = message.log.seq;
		delivered.epoch = message.log.epoch;
	}

	if (message.id !== undefined) delivered.id = message.id;
	if (message.action) delivered.action = true;
	return delivered;
}

function historyDelivery(message: Extract<ChatEvent, {cmd: 'message'}>, source: 'backlog' | 'recovered' | 'older'): SyncedMessage {
	const {log} = message;
	const delivered: SyncedMessage = {user: message.user, text: message.msg, time: log!.time, seq: log!.seq, epoch: log!.epoch};
	if (message.id !== undefined) delivered.id = message.id;
	if (message.action) delivered.action = true;
	if (source === 'backlog') delivered.backlog = true;
	if (source === 'recovered') delivered.recovered = true;
	return delivered;
}
