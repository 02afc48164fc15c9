// One client connection: bytes -> frames (FrameDecoder) -> commands, run one
// at a time so that every command gets exactly one status, in arrival order
// (PROTOCOL.md §3), and output through a per-connection send queue that
// drops a reader who stops reading instead of letting it slow anyone else.
import type {Socket} from 'node:net';
import {FrameDecoder, type DecodedItem} from '../protocol/decoder.js';
import {parseCommand} from '../protocol/commands.js';
import {encodeFrame, failureStatus, successStatus} from '../protocol/encoder.js';
import {messageProblem, usernameProblem} from '../protocol/limits.js';
import type {ChatEvent, Command, StatusFrame} from '../protocol/types.js';
import type {Hub, HubMember} from './hub.js';
import type {ServerLog} from './log.js';
import type {ServerOptions} from './options.js';
import {createRateLimiter, type RateLimiter} from './rate-limit.js';

export type ConnectionState = 'not-connected' | 'connected' | 'closing' | 'closed';

/** A decoded item, or a command the rate limiter turned away on arrival. */
type Job = DecodedItem | {type: 'rate-limited'} | {type: 'eof'};

/** Inbound jobs waiting to run before the socket is paused (inbound backpressure). */
const MAX_PENDING_JOBS = 1024;

/** Encodes a frame once, as the bytes of one JSON line. */
export function encodeOnce(frame: StatusFrame | ChatEvent): Buffer {
	return Buffer.from(encodeFrame(frame));
}

export type ConnectionContext = {
	hub: Hub;
	options: ServerOptions;
	log: ServerLog;
	/** Called once, when the socket has closed and the user (if any) has left. */
	onClosed(connection: Connection): void;
};

export class Connection implements HubMember {
	/** The user name once `connect` succeeded. */
	name: string | undefined;
	state: ConnectionState = 'not-connected';
	/** Resolves when the socket has closed and the user has left the hub. */
	readonly closed: Promise<void>;

	readonly #socket: Socket;
	readonly #context: ConnectionContext;
	readonly #decoder: FrameDecoder;
	readonly #limiter: RateLimiter;
	readonly #peer: string;
	readonly #jobs: Job[] = [];
	#running = false;
	#corked = false;
	#pausedForJobs = false;
	#pausedForOutput = false;
	/** Set once the user has been announced as gone, so client-exit goes out exactly once. */
	#left = false;
	/** Why the connection is ending, for the exit log line. */
	#endReason = 'connection closed';
	#handshakeTimer: NodeJS.Timeout | undefined;
	#graceTimer: NodeJS.Timeout | undefined;
	#resolveClosed!: () => void;
	/** Resolves the wait in #drained(), on 'drain' or 'close'. */
	#resolveDrained: (() => void) | undefined;
	/** Own statuses stop being produced while more than this is queued (half the queue limit). */
	readonly #pauseBytes: number;

	constructor(socket: Socket, context: ConnectionContext) {
		this.#socket = socket;
		this.#context = context;
		const {options} = context;
		this.#decoder = new FrameDecoder({maxFrameBytes: options.maxFrameBytes});
		this.#limiter = createRateLimiter(options.rate, options.burst, performance.now());
		this.#pauseBytes = Math.max(1, Math.floor(options.maxSendQueueBytes / 2));
		this.#peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
		this.closed = new Promise(resolve => {
			this.#resolveClosed = resolve;
		});

		socket.setNoDelay(true);
		if (options.keepAliveMs > 0) socket.setKeepAlive(true, options.keepAliveMs);
		if (options.idleTimeoutMs > 0) {
			socket.setTimeout(options.idleTimeoutMs, () => this.#destroy('idle timeout'));
		}

		this.#handshakeTimer = setTimeout(() => {
			if (this.state === 'not-connected') this.#closeGracefully('handshake timeout');
		}, options.handshakeTimeoutMs);

		socket.on('data', (chunk: Buffer) => this.#onData(chunk));
		// The server allows half-open sockets, so statuses for commands that came
		// before the client's FIN still go out; then we end our side.
		socket.on('end', () => this.#enqueue({type: 'eof'}));
		socket.on('drain', () => this.#onDrain());
		socket.on('error', (error: NodeJS.ErrnoException) => {
			this.#endReason = `socket error: ${error.code ?? error.message}`;
		});
		socket.on('close', () => {
			void this.#onClose();
		});
	}

	get peer(): string {
		return this.#peer;
	}

	/** HubMember: queue a frame encoded once by whoever broadcast it. */
	deliver(frame: Uint8Array): void {
		this.#write(frame);
	}

	/**
	 * Ends the connection from the server side (shutdown). The user leaves the
	 * hub; `announce: false` skips the client-exit event (everyone is leaving).
	 */
	async close(reason: string, {announce = true} = {}): Promise<void> {
		await this.#end(reason, announce);
		return this.closed;
	}

	// ---- inbound ----

	#onData(chunk: Buffer): void {
		if (this.state === 'closing' || this.state === 'closed') return;
		try {
			this.#decoder.push(chunk, item => {
				// After an overflow or `exit` nothing more is read from this connection.
				if (this.state === 'closing' || this.state === 'closed') return;
				const overLimit = item.type !== 'overflow' && !this.#limiter.take(performance.now());
				this.#enqueue(overLimit ? {type: 'rate-limited'} : item);
			});
		} catch (error) {
			// A bug reached by one client's bytes must cost that client, never the server.
			this.#destroy(`internal error while reading: ${(error as Error).message}`);
		}
	}

	#enqueue(job: Job): void {
		this.#jobs.push(job);
		if (this.#jobs.length > MAX_PENDING_JOBS && !this.#pausedForJobs) {
			this.#pausedForJobs = true;
			this.#updateFlow();
		}

		if (!this.#running) void this.#runJobs();
	}

	async #runJobs(): Promise<void> {
		this.#running = true;
		try {
			while (this.#jobs.length > 0) {
				if (this.state === 'closing' || this.state === 'closed') {
					this.#jobs.length = 0;
					break;
				}

				// A client that pipelines commands faster than it reads their statuses
				// waits here until it catches up, so its own statuses never overflow
				// its queue; only the others' traffic can do that.
				if (this.#socket.writableLength > this.#pauseBytes) {
					this.#uncork();
					if (this.#socket.writableLength > this.#pauseBytes && !this.#socket.destroyed) {
						await this.#drained();
					}

					continue;
				}

				const pending = this.#run(this.#jobs.shift()!);
				// Only the hub's name operations are async; a plain message runs synchronously.
				if (pending) await pending;
			}
		} catch (error) {
			this.#context.log.note(`connection ${this.#peer}: ${String(error)}`);
			this.#destroy('internal error');
		} finally {
			this.#running = false;
			if (this.#pausedForJobs) {
				this.#pausedForJobs = false;
				this.#updateFlow();
			}
		}
	}

	#run(job: Job): Promise<void> | void {
		switch (job.type) {
			case 'frame': {
				const parsed = parseCommand(job.frame);
				if (!parsed.ok) {
					this.#status(failureStatus(parsed.error));
					return;
				}

				return this.#command(parsed.command);
			}

			case 'malformed': {
				this.#status(failureStatus(job.reason));
				return;
			}

			case 'overflow': {
				this.#status(failureStatus(`frame too large: the limit is ${job.limit} bytes`));
				return this.#end('frame too large');
			}

			case 'rate-limited': {
				this.#status(failureStatus('rate limited'));
				return;
			}

			case 'eof': {
				return this.#end('end of stream');
			}
		}
	}

	#command(command: Command): Promise<void> | void {
		if (command.cmd === 'connect') return this.#connect(command.username);
		if (command.cmd === 'exit') return this.#exit(command.msg);
		if (this.state !== 'connected') {
			this.#status(failureStatus('not connected'));
			return;
		}

		switch (command.cmd) {
			case 'msg': {
				this.#message(command.msg);
				return;
			}

			case 'rename': {
				return this.#rename(command.oldname, command.newname);
			}

			case 'get-clients': {
				return this.#getClients();
			}
		}
	}

	// ---- commands ----

	async #connect(username: string): Promise<void> {
		if (this.state === 'connected') {
			this.#status(failureStatus(`already connected as ${this.name!}`));
			return;
		}

		const problem = usernameProblem(username);
		if (problem) {
			this.#status(failureStatus(problem));
			return;
		}

		const claimed = await this.#context.hub.claim(username, this);
		if (!claimed) {
			this.#status(failureStatus(`user name "${username}" is taken`));
			return;
		}

		// The socket may have gone while the hub was answering.
		if (this.state !== 'not-connected') {
			await this.#context.hub.release(this);
			return;
		}

		this.state = 'connected';
		this.name = username;
		clearTimeout(this.#handshakeTimer);
		this.#status(successStatus(`welcome ${username}`));
		this.#context.hub.broadcast(encodeOnce({cmd: 'client-enter', user: username}), this);
		this.#context.log.connect(username, this.#peer);
	}

	async #rename(oldname: string, newname: string): Promise<void> {
		const current = this.name!;
		if (oldname !== current) {
			this.#status(failureStatus(`oldname does not match your current name "${current}"`));
			return;
		}

		const problem = usernameProblem(newname);
		if (problem) {
			this.#status(failureStatus(problem));
			return;
		}

		if (newname === current) {
			// Nothing changes, so nobody needs telling.
			this.#status(successStatus(`you are already ${current}`));
			return;
		}

		if (!(await this.#context.hub.rename(this, newname))) {
			this.#status(failureStatus(`user name "${newname}" is taken`));
			return;
		}

		this.name = newname;
		this.#status(successStatus(`renamed ${current} to ${newname}`));
		this.#context.hub.broadcast(encodeOnce({cmd: 'client-rename', user: newname, oldname: current, newname}), this);
		this.#context.log.rename(current, newname);
	}

	async #getClients(): Promise<void> {
		const names = await this.#context.hub.roster();
		this.#status(successStatus(names.join(', '), names));
	}

	#message(text: string): void {
		const problem = messageProblem(text);
		if (problem) {
			this.#status(failureStatus(problem));
			return;
		}

		this.#status(successStatus('sent'));
		this.#context.hub.broadcast(encodeOnce({cmd: 'message', user: this.name!, msg: text}), this);
	}

	async #exit(reason: string | undefined): Promise<void> {
		this.#status(successStatus(this.name ? `goodbye ${this.name}` : 'goodbye'));
		await this.#end(reason ? `exit: ${reason}` : 'exit');
	}

	// ---- leaving ----

	/** Takes the user out of the hub and tells the others, exactly once. */
	async #leave(reason: string, announce: boolean): Promise<void> {
		if (this.state === 'not-connected' || this.state === 'connected') this.state = 'closing';
		if (this.#left) return;
		this.#left = true;
		this.#endReason = reason;
		clearTimeout(this.#handshakeTimer);
		const {name} = this;
		if (name === undefined) return;
		await this.#context.hub.release(this);
		if (announce) this.#context.hub.broadcast(encodeOnce({cmd: 'client-exit', user: name}), this);
		this.#context.log.exit(name, reason);
	}

	/** The user leaves, then the socket is flushed and closed. */
	async #end(reason: string, announce = true): Promise<void> {
		await this.#leave(reason, announce);
		this.#closeGracefully(reason);
	}

	/** Flushes what is queued, then closes; destroys the socket if the peer does not finish in time. */
	#closeGracefully(reason: string): void {
		if (this.state === 'not-connected' || this.state === 'connected') {
			void this.#leave(reason, true);
		}

		if (this.#graceTimer || this.#socket.destroyed) return;
		this.#uncork();
		this.#socket.end();
		this.#graceTimer = setTimeout(() => this.#socket.destroy(), this.#context.options.closeGraceMs);
		this.#graceTimer.unref();
	}

	#destroy(reason: string): void {
		void this.#leave(reason, true);
		this.#socket.destroy();
	}

	async #onClose(): Promise<void> {
		clearTimeout(this.#handshakeTimer);
		clearTimeout(this.#graceTimer);
		this.#jobs.length = 0;
		this.#resolveDrained?.();
		// A reset, an error or a timeout: the user leaves here if nothing else did it first.
		await this.#leave(this.#endReason, true);
		this.state = 'closed';
		this.#context.onClosed(this);
		this.#resolveClosed();
	}

	// ---- outbound ----

	#status(status: StatusFrame): void {
		this.#write(encodeOnce(status));
	}

	/**
	 * Writes are corked and flushed once per tick, so the statuses for a batch
	 * of pipelined commands, or a burst of broadcasts, leave in one syscall.
	 */
	#write(frame: Uint8Array): void {
		const socket = this.#socket;
		if (!socket.writable || this.#graceTimer) return;
		if (!this.#corked) {
			this.#corked = true;
			socket.cork();
			process.nextTick(() => this.#uncork());
		}

		socket.write(frame);
	}

	#uncork(): void {
		const socket = this.#socket;
		if (this.#corked) {
			this.#corked = false;
			socket.uncork();
		}

		if (socket.destroyed) return;
		// What the kernel did not take stays in the socket's buffer: that is this
		// reader's send queue. Past the limit, the reader is too slow: drop it.
		const queued = socket.writableLength;
		if (queued > this.#context.options.maxSendQueueBytes) {
			this.#destroy(`send queue over ${this.#context.options.maxSendQueueBytes} bytes`);
			return;
		}

		// A client that pipelines commands but does not read the statuses is
		// paused until it catches up (resumed on 'drain'), as ws does.
		if (queued > socket.writableHighWaterMark && !this.#pausedForOutput) {
			this.#pausedForOutput = true;
			this.#updateFlow();
		}
	}

	/** Stops reading and waits until the socket drains (or closes). */
	async #drained(): Promise<void> {
		this.#pausedForOutput = true;
		this.#updateFlow();
		await new Promise<void>(resolve => {
			this.#resolveDrained = resolve;
		});
	}

	#onDrain(): void {
		this.#resolveDrained?.();
		this.#resolveDrained = undefined;
		if (this.#pausedForOutput) {
			this.#pausedForOutput = false;
			this.#updateFlow();
		}
	}

	#updateFlow(): void {
		if (this.#socket.destroyed) return;
		if (this.#pausedForJobs || this.#pausedForOutput) this.#socket.pause();
		else this.#socket.resume();
	}
}
