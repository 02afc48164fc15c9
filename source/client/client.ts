// ChatClient: one user's session with a CodeChat server. It owns the
// lifecycle (connect, handshake, reconnect with backoff, exit, close), matches
// status replies to commands first-in-first-out (PROTOCOL.md §3), keeps the
// outbox, and turns everything into typed events. Bytes and frames are the
// Link's job; texts for failures are errors.ts's.
import {DEFAULT_CLIENT_MAX_FRAME, messageProblem, nameKey} from '../protocol/limits.js';
import {rosterFromStatus} from '../protocol/normalise.js';
import type {ChatEvent, Command, Dialect, Inbound, Status} from '../protocol/types.js';
import {backoffDelay, DEFAULT_BACKOFF, type BackoffOptions} from './backoff.js';
import {CONNECT_TIMEOUT, HANDSHAKE_TIMEOUT, REPLY_TIMEOUT, codedError, formatAddress, humanError, isCertificateError} from './errors.js';
import {TypedEmitter} from './emitter.js';
import type {ChatClientEvents, ChatClientOptions, RosterSource} from './events.js';
import {Link} from './link.js';
import {Outbox} from './outbox.js';
import {DEFAULT_SEND_RATE, Pacer} from './pacer.js';
import {Roster} from './roster.js';
import {systemClock, Timers, type Clock} from './timers.js';
import {tcpTransport, tlsTransport, type TransportFactory} from './transport.js';

/** What a status reply in the FIFO will answer. */
type Expectation =
	| {cmd: 'connect'}
	| {cmd: 'msg'; localId: number}
	| {cmd: 'rename'; oldname: string; newname: string}
	| {cmd: 'get-clients'; source: RosterSource; sentAt: number}
	| {cmd: 'exit'};

type State = 'idle' | 'connecting' | 'connected' | 'waiting' | 'exiting' | 'closed';

/** Warnings per connection before the rest are hidden: a hostile server must not flood the log. */
const MAX_WARNINGS_PER_CONNECTION = 50;
/** Server error texts that mean "the name is in use" (our server says "name taken"). */
const nameHeldPattern = /taken|in use|held|already (?:used|present|exists)/i;
const rateLimitedPattern = /rate/i;

/** The client's timers: at most one of each is pending. */
type TimerName = 'connect' | 'reconnect' | 'refresh' | 'flush' | 'exit' | 'reply';

export class ChatClient extends TypedEmitter<ChatClientEvents> {
	readonly host: string;
	readonly port: number;
	readonly #transport: TransportFactory;
	readonly #maxFrameBytes: number;
	readonly #connectTimeoutMs: number;
	readonly #replyTimeoutMs: number;
	readonly #reconnect: boolean;
	readonly #backoff: BackoffOptions;
	readonly #refreshIntervalMs: number;
	readonly #exitTimeoutMs: number;
	readonly #clock: Clock;
	readonly #random: () => number;
	readonly #timers: Timers;
	readonly #outbox: Outbox;
	readonly #pacer: Pacer;
	readonly #roster = new Roster();

	#state: State = 'idle';
	#user: string;
	#dialect: Dialect | undefined;
	#link: Link | undefined;
	#reached = false;
	#expected: Expectation[] = [];
	#attempt = 0;
	#everConnected = false;
	#lastError: string | undefined;
	#warnings = 0;
	#exitWaiters: Array<() => void> = [];
	/** Set by close() and exit(): reconnectNow() and send() no longer revive the client. */
	#closedForGood = false;
	/** The one pending timer of each kind, by name; all of them live in #timers. */
	readonly #named = new Map<TimerName, number>();

	constructor(options: ChatClientOptions) {
		super();
		if (typeof options.user !== 'string' || options.user === '') throw new TypeError('ChatClient needs a user name');
		if (options.tls && options.transport) throw new TypeError('pass either tls or transport, not both');
		this.host = options.host ?? '127.0.0.1';
		this.port = options.port ?? 8080;
		if (!Number.isInteger(this.port) || this.port < 0 || this.port > 65_535) throw new RangeError(`invalid port ${String(options.port)}`);
		this.#user = options.user;
		this.#transport = options.transport ?? (options.tls ? tlsTransport(options.tls) : tcpTransport);
		this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_CLIENT_MAX_FRAME;
		this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
		this.#replyTimeoutMs = options.replyTimeoutMs ?? 30_000;
		this.#reconnect = options.reconnect ?? true;
		this.#backoff = {...DEFAULT_BACKOFF, ...options.backoff};
		this.#refreshIntervalMs = options.refreshIntervalMs ?? 30_000;
		this.#exitTimeoutMs = options.exitTimeoutMs ?? 1000;
		this.#clock = options.clock ?? systemClock;
		this.#random = options.random ?? Math.random;
		this.#timers = new Timers(this.#clock);
		this.#outbox = new Outbox(options.outboxCapacity);
		this.#pacer = new Pacer(options.sendRate ?? DEFAULT_SEND_RATE, this.#clock);
	}

	/** The name we are connected as (or will reconnect as). */
	get user(): string {
		return this.#user;
	}

	/** The dialect of the current (or last) connection, once known. */
	get dialect(): Dialect | undefined {
		return this.#dialect;
	}

	get connected(): boolean {
		return this.#state === 'connected';
	}

	/** Messages not yet acknowledged, oldest first. */
	pending(): Array<{localId: number; text: string}> {
		return this.#outbox.pending();
	}

	/** Counters the leak tests watch. @internal */
	debugStats(): {timers: number; listeners: number; outbox: number; expected: number} {
		return {timers: this.#timers.size, listeners: this.listenerCount(), outbox: this.#outbox.size, expected: this.#expected.length};
	}

	start(): void {
		if (this.#state !== 'idle') return;
		this.#open();
	}

	/** Queues a chat message and returns its local id; `sent` or `failed` follows. */
	send(text: string): number {
		// Checked here too, so a message the server would refuse fails at once, even offline.
		const problem = messageProblem(text);
		const refusal = problem ?? (this.#closedForGood ? 'not sent: the client is closed' : undefined);
		if (refusal !== undefined) {
			const entry = this.#outbox.refuse(text);
			this.#later(() => this.emit('failed', {localId: entry.localId, text, error: refusal}));
			return entry.localId;
		}

		const added = this.#outbox.add(text);
		if (!added.ok) {
			const {error} = added;
			this.#later(() => this.emit('failed', {localId: added.entry.localId, text, error}));
		} else {
			this.#flush();
		}

		return added.entry.localId;
	}

	rename(newName: string): void {
		// A rename still waiting for its status will have changed the name by the time this one arrives.
		const inFlight = this.#expected.findLast(expected => expected.cmd === 'rename');
		const oldname = inFlight?.cmd === 'rename' ? inFlight.newname : this.#user;
		if (this.#state !== 'connected') {
			this.#later(() => this.emit('renameFailed', {oldname, newname: newName, error: 'not connected'}));
			return;
		}

		this.#write({cmd: 'rename', oldname, newname: newName}, {cmd: 'rename', oldname, newname: newName});
	}

	/** Asks for the roster; a `roster` event with source "who" follows. */
	who(): void {
		if (this.#state === 'connected' && this.#dialect === 'codechat') {
			this.#write({cmd: 'get-clients'}, {cmd: 'get-clients', source: 'who', sentAt: this.#clock.now()});
			return;
		}

		// The 2015 server has no get-clients, and offline we only know what we saw.
		this.#later(() => this.emit('roster', {users: this.#roster.names(), complete: false, source: 'who'}));
	}

	/** Leaves the chat for good. Resolves once the connection is closed; never rejects. */
	async exit(reason?: string): Promise<void> {
		if (this.#state === 'closed') {
			// Stopped already (a refusal, or close()): what still waits will never go out.
			this.#closedForGood = true;
			this.#failWaiting('not sent: you left before it went out');
			return;
		}

		const done = new Promise<void>(resolve => {
			this.#exitWaiters.push(resolve);
		});
		if (this.#state === 'exiting') return done;
		this.#closedForGood = true;
		if (this.#state !== 'connected' || !this.#link) {
			this.#finishClose('you left the chat');
			return done;
		}

		this.#state = 'exiting';
		this.#clearTimer('refresh');
		this.#clearTimer('flush');
		const command: Command = reason === undefined ? {cmd: 'exit'} : {cmd: 'exit', msg: reason};
		// The 2015 server never answers exit (§5): there is no status to wait for.
		this.#write(command, this.#dialect === '2015' ? undefined : {cmd: 'exit'});
		// Either way, do not wait on the server for long; closing the socket ourselves is fine.
		this.#setTimer('exit', () => {
			this.#finishClose('you left the chat');
		}, this.#exitTimeoutMs);
		return done;
	}

	/** For /reconnect: drop the current connection (if any) and connect again now. */
	reconnectNow(): void {
		if (this.#closedForGood || this.#state === 'exiting') return;
		this.#clearTimer('reconnect');
		if (this.#link) {
			this.#dropLink();
			this.emit('disconnected', {reason: 'reconnecting, as asked', willReconnect: true});
		}

		this.#attempt = 0;
		this.#open();
	}

	/** Stops for good: no reconnect, every timer cleared, waiting messages reported failed. */
	close(): void {
		this.#closedForGood = true;
		this.#finishClose('closed');
	}

	// ---- lifecycle ------------------------------------------------------------

	#open(): void {
		this.#state = 'connecting';
		this.#reached = false;
		this.#warnings = 0;
		this.#expected = [];
		let socket;
		try {
			socket = this.#transport({host: this.host, port: this.port});
		} catch (error) {
			this.#connectionLost(error instanceof Error ? error : new Error(String(error)));
			return;
		}

		const link: Link = new Link(socket, this.#maxFrameBytes, {
			onReached: () => {
				this.#reached = true;
			},
			onInbound: item => {
				this.#onInbound(item);
			},
			onMalformed: reason => {
				this.#warn(`bad frame from the server (${reason}); ignored`);
			},
			onOverflow: limit => {
				// A frame this big is no chat frame. The statuses may now be out of step
				// with our commands, so start over on a fresh connection.
				this.#warn(`the server sent a frame over the ${limit}-byte limit; reconnecting`);
				this.#dropLink();
				this.#connectionLost(undefined, 'the server sent an oversized frame');
			},
			onClosed: error => {
				if (this.#link === link) {
					this.#link = undefined;
					this.#connectionLost(error);
				}
			},
		});
		this.#link = link;
		this.#expected.push({cmd: 'connect'});
		link.write({cmd: 'connect', username: this.#user});
		this.#setTimer('connect', () => {
			const code = this.#reached ? HANDSHAKE_TIMEOUT : CONNECT_TIMEOUT;
			this.#dropLink();
			this.#connectionLost(codedError(code, 'connect timed out', this.#connectTimeoutMs));
		}, this.#connectTimeoutMs);
	}

	/** Destroys the current link without reporting it. */
	#dropLink(): void {
		const link = this.#link;
		this.#link = undefined;
		link?.destroy();
		this.#clearTimer('connect');
		this.#clearTimer('refresh');
		this.#clearTimer('flush');
		this.#clearTimer('reply');
		this.#abandonExpected();
	}

	/** Starts the timer called `name` (clearing one already pending); it forgets itself when it fires. */
	#setTimer(name: TimerName, callback: () => void, ms: number): void {
		this.#clearTimer(name);
		this.#named.set(name, this.#timers.set(() => {
			this.#named.delete(name);
			callback();
		}, ms));
	}

	#clearTimer(name: TimerName): void {
		this.#timers.clear(this.#named.get(name));
		this.#named.delete(name);
	}

	#clearAllTimers(): void {
		this.#timers.clearAll();
		this.#named.clear();
	}

	/** Commands whose status will never come: their messages go back to the queue. */
	#abandonExpected(): void {
		const expected = this.#expected;
		this.#expected = [];
		this.#outbox.requeueInFlight();
		for (const item of expected) {
			if (item.cmd === 'rename') {
				this.emit('renameFailed', {oldname: item.oldname, newname: item.newname, error: 'the connection dropped before the server answered'});
			}
		}
	}

	/** The connection ended without us asking (or an attempt failed). */
	#connectionLost(error: Error | undefined, why?: string): void {
		this.#dropLink();
		if (this.#state === 'exiting') {
			this.#finishClose('you left the chat');
			return;
		}

		if (this.#state === 'closed') return;
		const wasConnected = this.#state === 'connected';
		const address = formatAddress(this.host, this.port);
		let reason: string;
		if (error) {
			reason = humanError(error, this.host, this.port);
			if (reason !== this.#lastError) this.emit('error', {message: reason});
			this.#lastError = reason;
		} else {
			reason = why ?? (wasConnected ? `${address} closed the connection` : `${address} closed the connection before answering connect`);
		}

		// A certificate that cannot be trusted will not become trusted by retrying.
		if (!this.#reconnect || isCertificateError(error)) {
			this.#stop(reason);
			return;
		}

		this.emit('disconnected', {reason, willReconnect: true});
		// A listener may have closed the client.
		if (!this.#isClosed()) this.#scheduleReconnect();
	}

	#scheduleReconnect(): void {
		this.#attempt++;
		const delayMs = backoffDelay(this.#attempt, this.#backoff, this.#random);
		this.#state = 'waiting';
		this.emit('reconnecting', {attempt: this.#attempt, delayMs});
		this.#setTimer('reconnect', () => {
			this.#open();
		}, delayMs);
	}

	/** A method, not a comparison: listeners run in between and may have closed the client. */
	#isClosed(): boolean {
		return this.#state === 'closed';
	}

	#failWaiting(why: string): void {
		for (const entry of this.#outbox.drain()) this.emit('failed', {localId: entry.localId, text: entry.text, error: why});
	}

	/** Ends without retrying, but leaves reconnectNow() usable (the user may fix things). */
	#stop(reason: string): void {
		this.#dropLink();
		this.#clearAllTimers();
		this.#state = 'closed';
		this.emit('disconnected', {reason, willReconnect: false});
	}

	#finishClose(reason: string): void {
		const wasClosed = this.#state === 'closed';
		this.#state = 'closed';
		this.#dropLink();
		this.#clearAllTimers();
		if (this.#closedForGood) this.#failWaiting(reason === 'closed' ? 'not sent: the client was closed' : 'not sent: you left before it went out');

		if (!wasClosed) this.emit('disconnected', {reason, willReconnect: false});
		const waiters = this.#exitWaiters;
		this.#exitWaiters = [];
		for (const resolve of waiters) resolve();
	}

	// ---- inbound --------------------------------------------------------------

	#onInbound(item: Inbound): void {
		switch (item.kind) {
			case 'status': {
				this.#onStatus(item.status, item.dialect);
				break;
			}

			case 'event': {
				if (this.#state === 'connected' || this.#state === 'exiting') this.#onEvent(item.event);
				else this.#warn(`the server sent a ${item.event.cmd} event before we were connected; ignored`);
				break;
			}

			case 'invalid': {
				this.#warn(`invalid frame from the server (${item.reason}); ignored`);
				break;
			}

			case 'ignored': {
				break;
			}
		}
	}

	#onStatus(status: Status, dialect: Dialect): void {
		const expected = this.#expected.shift();
		// An answer: the link is alive. Time the next command still waiting, if any.
		this.#clearTimer('reply');
		if (this.#expected.length > 0) this.#armReplyTimer();
		if (!expected) {
			this.#warn('the server sent a status that answers no command; ignored');
			return;
		}

		this.emit('outcome', {command: expected.cmd, success: status.success, text: status.text, error: status.error});
		switch (expected.cmd) {
			case 'connect': {
				this.#onConnectStatus(status, dialect);
				break;
			}

			case 'msg': {
				const entry = this.#outbox.settle(expected.localId);
				if (!entry) break;
				if (status.success) this.emit('sent', {localId: entry.localId, text: entry.text});
				else this.emit('failed', {localId: entry.localId, text: entry.text, error: status.error});
				break;
			}

			case 'rename': {
				if (status.success) {
					this.#user = expected.newname;
					this.#roster.rename(expected.oldname, expected.newname);
					this.emit('renamed', {oldname: expected.oldname, newname: expected.newname});
				} else {
					this.emit('renameFailed', {oldname: expected.oldname, newname: expected.newname, error: status.error});
				}

				break;
			}

			case 'get-clients': {
				if (status.success) {
					this.#roster.replace(rosterFromStatus(status), true);
					this.emit('roster', {users: this.#roster.names(), complete: true, source: expected.source});
					this.emit('lag', {ms: Math.max(0, this.#clock.now() - expected.sentAt)});
				} else {
					this.#warn(`the server could not list the clients: ${status.error}`);
				}

				this.#scheduleRefresh();
				break;
			}

			case 'exit': {
				break; // the server closes the connection next
			}
		}
	}

	#onConnectStatus(status: Status, dialect: Dialect): void {
		this.#clearTimer('connect');
		if (!status.success) {
			this.#onConnectRefused(status.error);
			return;
		}

		this.#state = 'connected';
		this.#dialect = dialect;
		this.#attempt = 0;
		this.#everConnected = true;
		this.#lastError = undefined;
		this.emit('connected', {user: this.#user, server: formatAddress(this.host, this.port), dialect, welcome: status.text});
		if (dialect === 'codechat') {
			this.#roster.replace([this.#user], false);
			this.#write({cmd: 'get-clients'}, {cmd: 'get-clients', source: 'connect', sentAt: this.#clock.now()});
		} else {
			// §5: no get-clients; we know only ourselves until events tell us more.
			this.#roster.replace([this.#user], false);
			this.emit('roster', {users: this.#roster.names(), complete: false, source: 'connect'});
		}

		this.#flush();
	}

	#onConnectRefused(error: string): void {
		const user = this.#user;
		if (nameHeldPattern.test(error) && this.#everConnected && this.#reconnect) {
			// Most likely our own old session, which the server has not timed out yet.
			this.#warn(`name ${user} is still held by the old session; retrying`);
			this.#dropLink();
			this.emit('disconnected', {reason: `name ${user} is still held by the old session`, willReconnect: true});
			// A listener may have closed the client.
			if (!this.#isClosed()) this.#scheduleReconnect();
			return;
		}

		if (rateLimitedPattern.test(error) && this.#reconnect) {
			this.#dropLink();
			this.emit('disconnected', {reason: 'the server is rate limiting us', willReconnect: true});
			// A listener may have closed the client.
			if (!this.#isClosed()) this.#scheduleReconnect();
			return;
		}

		const address = formatAddress(this.host, this.port);
		const message = nameHeldPattern.test(error)
			? `the name ${user} is taken on ${address} — choose another name`
			: /server full/i.test(error)
				? `${address} is full (${error}) — try again later`
				: `${address} refused the name ${user} (${error}) — choose another name`;
		this.emit('error', {message});
		this.#stop(message);
	}

	#onEvent(event: ChatEvent): void {
		const me = nameKey(this.#user);
		const strict = this.#roster.complete; // only a listed roster lets us call a user unknown
		switch (event.cmd) {
			case 'message': {
				if (strict && !this.#roster.has(event.user)) this.#warn(`message from ${event.user}, who is not in the roster`);
				this.emit('message', {user: event.user, text: event.msg, time: this.#clock.now()});
				break;
			}

			case 'client-enter': {
				if (nameKey(event.user) === me) {
					// The 2015 server accepts duplicate names, so there it is someone else.
					if (this.#dialect === 'codechat') {
						this.#warn(`the server announced that ${event.user} entered, but that is you; ignored`);
						break;
					}
				} else if (this.#roster.has(event.user) && this.#dialect === 'codechat') {
					this.#warn(`${event.user} entered but is already present; ignored`);
					break;
				}

				if (nameKey(event.user) !== me) this.#roster.add(event.user);
				this.emit('enter', {user: event.user});
				break;
			}

			case 'client-exit': {
				if (nameKey(event.user) === me) {
					if (this.#dialect === 'codechat') this.#warn(`the server announced that you (${event.user}) left; ignored`);
					else this.emit('exit', {user: event.user}); // a namesake on a 2015 server; we stay listed
					break;
				}

				if (strict && !this.#roster.has(event.user)) {
					this.#warn(`${event.user} left but was not in the roster; ignored`);
					break;
				}

				this.#roster.remove(event.user);
				this.emit('exit', {user: event.user});
				break;
			}

			case 'client-rename': {
				const {oldname, newname} = event;
				if (nameKey(oldname) === me && this.#dialect === 'codechat') {
					this.#warn(`the server announced a rename of ${oldname}, which is you; ignored`);
					break;
				}

				if (strict && !this.#roster.has(oldname)) {
					this.#warn(`${oldname} was renamed to ${newname} but was not in the roster; ignored`);
					break;
				}

				if (nameKey(oldname) !== me) this.#roster.rename(oldname, newname);
				this.emit('rename', {oldname, newname});
				break;
			}
		}
	}

	// ---- outbound -------------------------------------------------------------

	/** Writes a control command now (it counts against the pacer but does not wait for it). */
	#write(command: Command, expectation: Expectation | undefined): void {
		if (!this.#link) return;
		this.#pacer.take();
		if (expectation) {
			this.#expected.push(expectation);
			this.#armReplyTimer();
		}

		this.#link.write(command);
	}

	/**
	 * A server that stops reading, or a peer that vanished without a FIN
	 * (half-open), never answers: after `replyTimeoutMs` without a status for
	 * a waiting command, drop the link and reconnect. The idle get-clients
	 * probe makes this cover quiet connections too.
	 */
	#armReplyTimer(): void {
		// The reply timer runs while a command awaits its status: a server that stops answering is a dead link.
		if (this.#named.has('reply') || this.#replyTimeoutMs <= 0 || this.#state === 'connecting') return;
		this.#setTimer('reply', () => {
			this.#connectionLost(codedError(REPLY_TIMEOUT, 'no reply', this.#replyTimeoutMs));
		}, this.#replyTimeoutMs);
	}

	/** Writes queued messages while connected and the pacer allows; pipelined, FIFO-matched. */
	#flush(): void {
		if (this.#state !== 'connected' || !this.#link || this.#named.has('flush')) return;
		while (this.#outbox.peekQueued()) {
			const wait = this.#pacer.waitMs();
			if (wait > 0) {
				this.#setTimer('flush', () => {
					this.#flush();
				}, wait);
				return;
			}

			const entry = this.#outbox.takeQueued()!;
			this.#write({cmd: 'msg', msg: entry.text}, {cmd: 'msg', localId: entry.localId});
		}
	}

	#scheduleRefresh(): void {
		this.#clearTimer('refresh');
		if (this.#refreshIntervalMs <= 0 || this.#dialect !== 'codechat' || this.#state !== 'connected') return;
		this.#setTimer('refresh', () => {
			// Only while idle: a busy connection is alive, and the probe would wait behind the queue.
			if (this.#expected.length > 0) {
				this.#scheduleRefresh();
				return;
			}

			this.#write({cmd: 'get-clients'}, {cmd: 'get-clients', source: 'refresh', sentAt: this.#clock.now()});
		}, this.#refreshIntervalMs);
	}

	// ---- helpers --------------------------------------------------------------

	#warn(message: string): void {
		this.#warnings++;
		if (this.#warnings <= MAX_WARNINGS_PER_CONNECTION) this.emit('warning', {message});
		else if (this.#warnings === MAX_WARNINGS_PER_CONNECTION + 1) this.emit('warning', {message: 'too many warnings; the rest are hidden until the next connection'});
	}

	/** Runs `callback` on a later turn: results of an API call are never emitted inside the call. */
	/**
	 * Emits after the current call returns (send() must hand back its localId
	 * first). A microtask, not a timer: close() clears the timers, and an event
	 * already decided, such as a refusal, must still be told.
	 */
	#later(callback: () => void): void {
		queueMicrotask(callback);
	}
}
