// One client connection: bytes -> frames (FrameDecoder) -> commands, run one
// at a time so that every command gets exactly one status, in arrival order
// (PROTOCOL.md §3), and output through a per-connection send queue that
// drops a reader who stops reading instead of letting it slow anyone else.
import type {Socket} from 'node:net';
import type {TLSSocket} from 'node:tls';
import type {Feature} from '../protocol/codes.js';
import {FrameDecoder, type DecodedItem} from '../protocol/decoder.js';
import {parseCommand} from '../protocol/commands.js';
import {failureStatus, successStatus} from '../protocol/encoder.js';
import {countChars, MAX_MESSAGE_CHARS, messageProblem, usernameProblem} from '../protocol/limits.js';
import {oneLineReason} from '../protocol/reason.js';
import {isLobby, MAX_ROOMS_PER_CONNECTION, roomProblem} from '../protocol/rooms.js';
import type {ChatEvent, Command, FileEvent, StatusFrame} from '../protocol/types.js';
import {AccountSession, type AccountGrant, type AccountRefusal} from './account-session.js';
import type {Credential} from './accounts/accounts.js';
import type {DirectMessages} from './accounts/direct-messages.js';
import {SHARED_FILE_NAME_2015, type FileBroadcastCoalescer, type FrameEncoder} from './dialect-2015.js';
import {fileSummary, getFile, replaceFile, updateFile, type FileCommandContext} from './files/file-commands.js';
import type {FileStore} from './files/file-store.js';
import {LOBBY, type Hub, type HubMember, type JoinOutcome, type RoomFeature, type RoomName} from './hub.js';
import type {ServerLog} from './log.js';
import {appendMessage, historyReply, roomField, type FailureNote} from './log-replies.js';
import type {ServerHello} from './negotiation.js';
import type {ServerOptions} from './options.js';
import {Outbox} from './outbox.js';
import {createRateLimiter, type RateLimiter} from './rate-limit.js';
import {ResendHold} from './resend-hold.js';
import {StoreError, type HistoryQuery, type MessageLog} from './store/message-log.js';

/** A `msg` frame: the one command that does not wait for the messages appended before it. */
function isMessageJob(job: Job): boolean {
	return job.type === 'decoded' && job.item.type === 'frame' && job.item.frame.cmd === 'msg';
}

export type ConnectionState = 'not-connected' | 'connected' | 'closing' | 'closed';

type Job =
	/** A decoded item, to run at `atMs` (later than its arrival when it waits for the rate limit). */
	| {type: 'decoded'; item: DecodedItem; atMs: number}
	/** A command the rate limiter refused on arrival: the queue was full. `messageId`: a msg's id, which later messages wait behind. */
	| {type: 'rate-limited'; answersConnect: boolean; retry: number; messageId?: string}
	/** A frame stayed unfinished for `partialFrameTimeoutMs`. */
	| {type: 'stalled'}
	| {type: 'eof'};

/** The command a job answers, named in a 2015 status. */
function commandOf(job: Job): string {
	switch (job.type) {
		case 'decoded': {
			return job.item.type === 'frame' && typeof job.item.frame.cmd === 'string' ? job.item.frame.cmd : '';
		}

		case 'rate-limited': {
			return job.answersConnect ? 'connect' : '';
		}

		case 'stalled':
		case 'eof': {
			return '';
		}

		default: {
			const unknown: never = job;
			throw new Error(`unknown job ${JSON.stringify(unknown)}`);
		}
	}
}

/** The lobby's shared file text, empty before the first update or when the store cannot answer. */
async function fileText(files: FileStore): Promise<string> {
	try {
		return (await files.get(LOBBY))?.msg ?? '';
	} catch (error) {
		if (error instanceof StoreError) return '';
		throw error;
	}
}

const LOBBY_ROOM: RoomName = {name: LOBBY, key: LOBBY};

/** The status of every relayed `msg`, encoded once per dialect: it is the same bytes each time. */
const sentStatuses = new WeakMap<FrameEncoder, Uint8Array>();

function sentStatus(encoder: FrameEncoder): Uint8Array {
	let frame = sentStatuses.get(encoder);
	if (!frame) {
		frame = encoder.status(successStatus('sent'), 'msg');
		sentStatuses.set(encoder, frame);
	}

	return frame;
}

/**
 * Messages of one connection appended and waiting for their commit at once: as
 * many as the jobs it may hold, so that one read's messages are committed
 * together (the log commits at the end of the tick) and reach each reader in
 * one write, as they do with no log.
 */
const MAX_PIPELINED_APPENDS = 1024;

/** Inbound jobs waiting to run before the socket is paused (inbound backpressure). */
const MAX_PENDING_JOBS = 1024;

export type CloseOptions = {
	/** Tell the others this user left (false on shutdown: everyone is leaving). @default true */
	announce?: boolean;
	/** A frame to send before closing (the shutdown's `server-closing`), encoded once by the caller. */
	notice?: Uint8Array;
};

type LeaveOptions = {announce?: boolean; said?: string};

export type ConnectionContext = {
	hub: Hub;
	/** The rooms' shared files (§12); undefined when the server offers none. */
	files?: FileStore;
	options: ServerOptions;
	log: ServerLog;
	/** What every `connect` status carries (§8). */
	hello: ServerHello;
	/** Writes statuses and events in the server's dialect (ours or the 2015 server's). */
	encoder: FrameEncoder;
	/** 2015 dialect: the rooms' update-file broadcasts, at most one a second each. */
	fileBroadcasts: FileBroadcastCoalescer;
	/** The room log (§9); undefined with `history` 0, when messages are only relayed. */
	messageLog: MessageLog | undefined;
	/** Where a log failure's detail goes. */
	noteLogFailure: FailureNote;
	/** Stored direct messages between accounts (§10); undefined without accounts or without a log. */
	directMessages?: DirectMessages;
	/** Called once, when the socket has closed and the user (if any) has left. */
	onClosed(connection: Connection): void;
};

export class Connection implements HubMember {
	/** The user name once `connect` succeeded. */
	name: string | undefined;
	/** The extensions the client listed on `connect` (§8), for events only some clients understand. */
	clientFeatures: ReadonlySet<Feature> = new Set();
	/** HubMember: set from `clientFeatures` before the name is claimed. */
	acceptsDirect = false;
	state: ConnectionState = 'not-connected';
	/** performance.now() when bytes last came in: a connection of an account silent for 30 s may be replaced (§11). */
	lastHeardMs = performance.now();
	/** Resolves when the socket has closed and the user has left the hub. */
	readonly closed: Promise<void>;

	readonly #socket: Socket;
	readonly #context: ConnectionContext;
	readonly #decoder: FrameDecoder;
	readonly #limiter: RateLimiter;
	readonly #peer: string;
	readonly #account: AccountSession;
	readonly #jobs: Job[] = [];
	#running = false;
	/** HubMember: what is written this turn, sent in one write when the turn ends (turn-flush.ts). */
	readonly outbox = new Outbox({
		flush: () => {
			this.#flush();
		},
		// The limit is checked at the round's end, never in the middle of a broadcast.
		writeEarly: () => {
			this.#writeWaiting();
		},
	});
	#pausedForJobs = false;
	#pausedForOutput = false;
	/** After an oversize or stalled frame nothing more is read from this connection. */
	#stopReading = false;
	/** Set once the user has been announced as gone, so client-exit goes out exactly once. */
	#left = false;
	/** The last room name this connection used that passed roomProblem(): its next message skips the check. */
	#validRoomSpelling: string | undefined;
	/** The `cmd` of the command being run, which a 2015 status names. */
	#runningCommand = '';
	/** Why the connection is ending, for the exit log line. */
	#endReason = 'connection closed';
	#handshakeTimer: NodeJS.Timeout | undefined;
	#graceTimer: NodeJS.Timeout | undefined;
	/** Runs while a frame is unfinished; restarted whenever a frame completes. */
	#partialFrameTimer: NodeJS.Timeout | undefined;
	/** The wait of a command that is due later (rate limit), so close can end it. */
	#lag: {timer: NodeJS.Timeout; resolve: () => void} | undefined;
	#resolveClosed!: () => void;
	/** Resolves the wait in #drained(), on 'drain' or 'close'. */
	#resolveDrained: (() => void) | undefined;
	/** Own statuses stop being produced while more than this is queued (half the queue limit). */
	readonly #pauseBytes: number;
	/** Statuses in command order: one slot per command, written once it and every slot before it are filled. */
	readonly #replies: Array<{frame: Uint8Array | undefined}> = [];
	/** Messages appended and not yet answered (their status slot not filled). */
	#appending = 0;
	/** Resolves the wait in #anAppendAnswered(), when the next of them is answered. */
	#resolveAnswered: (() => void) | undefined;
	/** After a message refused for now, the later ones wait for its resend. */
	readonly #resendHold = new ResendHold();

	constructor(socket: Socket, context: ConnectionContext) {
		this.#socket = socket;
		this.#context = context;
		const {options} = context;
		this.#decoder = new FrameDecoder({maxFrameBytes: options.maxFrameBytes});
		this.#limiter = createRateLimiter({rate: options.rate, burst: options.burst, maxQueued: options.maxQueuedCommands}, performance.now());
		this.#pauseBytes = Math.max(1, Math.floor(options.maxSendQueueBytes / 2));
		this.#peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
		this.#account = new AccountSession(
			{accounts: options.accounts, accountsOnly: options.accountsOnly, allowPlaintextPasswords: options.allowPlaintextPasswords},
			{encrypted: (socket as Partial<TLSSocket>).encrypted === true, address: socket.remoteAddress, isLocal: options.isLocalAddress},
		);
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
	 * Ends the connection from the server side (shutdown, or a name lost to
	 * another node). The user leaves the hub; see CloseOptions.
	 */
	async close(reason: string, {announce = true, notice}: CloseOptions = {}): Promise<void> {
		if (notice) this.#write(notice);
		await this.#end(reason, {announce});
		return this.closed;
	}

	/** A newer login of the same account takes this connection's place (§11): the client is told why, and it leaves. */
	async replace(reason: string): Promise<void> {
		const notice = this.#context.encoder.event({cmd: 'server-closing', msg: reason, reconnect: false, code: 'replaced'});
		if (notice) this.#write(notice);
		await this.#end(reason);
	}

	// ---- inbound ----

	#onData(chunk: Buffer): void {
		this.lastHeardMs = performance.now();
		if (this.#stopReading || this.state === 'closing' || this.state === 'closed') return;
		let frameEnded = false;
		try {
			this.#decoder.push(chunk, item => {
				frameEnded = true;
				// After an overflow or `exit` nothing more is read from this connection.
				if (this.#stopReading || this.state === 'closing' || this.state === 'closed') return;
				this.#admit(item);
			});
		} catch (error) {
			// A bug reached by one client's bytes must cost that client, never the server.
			this.#destroy(`internal error while reading: ${(error as Error).message}`);
			return;
		}

		this.#watchPartialFrame(frameEnded);
	}

	/** Every item but an overflow counts against the rate limit; one over it waits its turn. */
	#admit(item: DecodedItem): void {
		const now = performance.now();
		if (item.type === 'overflow') {
			this.#stopReading = true;
			this.#enqueue({type: 'decoded', item, atMs: now});
			return;
		}

		const admission = this.#limiter.admit(now);
		if (admission.ok) {
			this.#enqueue({type: 'decoded', item, atMs: admission.atMs});
			return;
		}

		const answersConnect = item.type === 'frame' && item.frame.cmd === 'connect';
		const messageId = item.type === 'frame' && item.frame.cmd === 'msg' && typeof item.frame.id === 'string' ? item.frame.id : undefined;
		this.#enqueue({type: 'rate-limited', answersConnect, retry: admission.retry, ...(messageId === undefined ? {} : {messageId})});
	}

	/**
	 * Keeps a timer running while the decoder holds part of a frame, counted
	 * from the end of the last complete frame, so a peer cannot pin up to a
	 * frame's worth of memory forever by never finishing one.
	 */
	#watchPartialFrame(frameEnded: boolean): void {
		const timeoutMs = this.#context.options.partialFrameTimeoutMs;
		if (timeoutMs === 0 || this.#stopReading) return;
		if (this.#decoder.bufferedBytes === 0 || frameEnded) {
			clearTimeout(this.#partialFrameTimer);
			this.#partialFrameTimer = undefined;
		}

		if (this.#decoder.bufferedBytes > 0 && !this.#partialFrameTimer) {
			this.#partialFrameTimer = setTimeout(() => this.#onPartialFrameTimeout(), timeoutMs);
		}
	}

	#onPartialFrameTimeout(): void {
		this.#partialFrameTimer = undefined;
		if (this.#stopReading || this.state === 'closing' || this.state === 'closed') return;
		// While we do not read, the rest of the frame may be waiting in the kernel: not the peer's fault.
		if (this.#pausedForJobs || this.#pausedForOutput) {
			this.#watchPartialFrame(false);
			return;
		}

		this.#stopReading = true;
		this.#enqueue({type: 'stalled'});
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
				if (this.#socket.writableLength + this.outbox.ownBytes > this.#pauseBytes) {
					this.#flush();
					if (this.#socket.writableLength > this.#pauseBytes && !this.#socket.destroyed) {
						await this.#drained();
					}

					continue;
				}

				// A command over the rate limit runs late, in its turn.
				const next = this.#jobs[0]!;
				if (next.type === 'decoded' && next.atMs > performance.now()) {
					await this.#waitUntil(next.atMs);
					continue;
				}

				// Messages are appended back to back, so one tick commits a pipelined burst at
				// once; anything else waits until they are answered (a history then sees them).
				if (this.#appending > 0 && !isMessageJob(next)) {
					await this.#anAppendAnswered();
					continue;
				}

				// Bounded like the jobs a connection may queue (a pipelined burst is still committed at once).
				if (this.#appending >= MAX_PIPELINED_APPENDS) {
					await this.#anAppendAnswered();
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

	/** Sleeps until `atMs`, or until the socket closes. */
	async #waitUntil(atMs: number): Promise<void> {
		await new Promise<void>(resolve => {
			const timer = setTimeout(resolve, Math.max(1, atMs - performance.now()));
			this.#lag = {timer, resolve};
		});
		this.#lag = undefined;
	}

	#run(job: Job): Promise<void> | void {
		this.#runningCommand = commandOf(job);
		switch (job.type) {
			case 'decoded': {
				return this.#runDecoded(job.item);
			}

			case 'rate-limited': {
				const status = failureStatus('rate-limited', 'rate limited', job.retry);
				this.#resendHold.answered(job.messageId, status, performance.now());
				this.#status(job.answersConnect ? this.#withHello(status) : status);
				return;
			}

			case 'stalled': {
				const seconds = this.#context.options.partialFrameTimeoutMs / 1000;
				this.#status(failureStatus('malformed-frame', `malformed frame: unfinished after ${seconds} s; closing the connection`));
				return this.#end('frame unfinished');
			}

			case 'eof': {
				return this.#end('end of stream');
			}

			default: {
				const unknown: never = job;
				throw new Error(`unknown job ${JSON.stringify(unknown)}`);
			}
		}
	}

	#runDecoded(item: DecodedItem): Promise<void> | void {
		switch (item.type) {
			case 'frame': {
				const parsed = parseCommand(item.frame, {file: this.#context.files !== undefined});
				if (parsed.ok) return this.#command(parsed.command);
				const status = failureStatus(parsed.code, parsed.error);
				this.#status(item.frame.cmd === 'connect' ? this.#withHello(status) : status);
				return;
			}

			case 'malformed': {
				this.#status(failureStatus('malformed-frame', item.reason));
				return;
			}

			case 'overflow': {
				this.#status(failureStatus('frame-too-large', `frame too large: the limit is ${item.limit} bytes`));
				return this.#end('frame too large');
			}

			default: {
				const unknown: never = item;
				throw new Error(`unknown decoded item ${JSON.stringify(unknown)}`);
			}
		}
	}

	#command(command: Command): Promise<void> | void {
		if (command.cmd === 'connect') return this.#connect(command.username, command.features ?? [], credentialOf(command));
		if (command.cmd === 'exit') return this.#exit(command.msg);
		if (this.state !== 'connected') {
			this.#status(failureStatus('not-connected', 'not connected'));
			return;
		}

		switch (command.cmd) {
			case 'msg': {
				const held = this.#resendHold.check(command.id, performance.now());
				if (held) {
					this.#status(held);
					return;
				}

				const action = command.action === true ? true : undefined;
				if (command.to !== undefined) return this.#lacks('direct') ? undefined : this.#direct(command.to, command.msg, command.id, action);
				const room = this.#resolveRoom(command.room);
				if (room) this.#message(room, command.msg, command.id, action);
				return;
			}

			case 'history': {
				return this.#history(command);
			}

			case 'rename': {
				return this.#rename(command.oldname, command.newname);
			}

			case 'get-clients': {
				return this.#getClients(command.room);
			}

			case 'join': {
				if (this.#lacks('rooms')) return;
				return this.#join(command.room);
			}

			case 'part': {
				if (this.#lacks('rooms')) return;
				return this.#part(command.room, command.msg);
			}

			case 'rooms': {
				if (this.#lacks('rooms')) return;
				return this.#rooms();
			}

			case 'update-file':
			case 'get-file': {
				return this.#fileCommand(command);
			}

			case 'register': {
				return this.#accountCommand(async () => this.#account.register(this.name!, command.password, {hub: this.#context.hub, member: this}), name => `${name} is registered: connect with its password (or the token) from now on`);
			}

			case 'logout': {
				return this.#logout();
			}

			case 'password': {
				return this.#accountCommand(async () => this.#account.changePassword(this.name!, command.old, command.new), () => 'password changed: every other token of this account is revoked');
			}

			case 'conversations': {
				return this.#conversations();
			}

			case 'away': {
				return this.#away(command.msg);
			}

			default: {
				const unknown: never = command;
				throw new Error(`unknown command ${JSON.stringify(unknown)}`);
			}
		}
	}

	// ---- commands ----

	async #connect(username: string, features: Feature[], credential: Credential | undefined): Promise<void> {
		if (this.state === 'connected') {
			this.#status(this.#withHello(failureStatus('already-connected', `already connected as ${this.name!}`)));
			return;
		}

		const problem = usernameProblem(username);
		if (problem) {
			this.#status(this.#withHello(failureStatus('invalid-name', problem)));
			return;
		}

		const verdict = await this.#account.connect(username, credential);
		if (!verdict.ok) {
			this.#status(this.#withHello(refusalStatus(verdict)));
			return;
		}

		// An account's name as it was registered, whatever case the login used.
		const {name} = verdict;
		// The hub reads it when the name is claimed.
		this.acceptsDirect = features.includes('direct');
		const claimed = await this.#account.claimName(this.#context.hub, name, this);
		if (!claimed.ok) {
			await this.#account.abandon();
			this.#status(this.#withHello(refusalStatus(claimed)));
			return;
		}

		// §12: the success says whether the room has a file, without its text.
		const file = this.#context.files && (await fileSummary(this.#context.files, LOBBY_ROOM));
		// The 2015 server's connect status carries the shared file's text instead of a welcome.
		const text2015 = this.#is2015 && this.#context.files ? await fileText(this.#context.files) : undefined;
		// The socket may have gone while the hub (or the store) was answering.
		if (this.state !== 'not-connected') {
			await this.#account.abandon();
			await this.#context.hub.release(this);
			return;
		}

		this.state = 'connected';
		this.name = name;
		this.clientFeatures = new Set(features);
		clearTimeout(this.#handshakeTimer);
		const welcome = this.#withHello(withToken(successStatus(text2015 ?? `welcome ${name}`), verdict));
		if (file !== undefined) welcome.file = file;
		this.#status(welcome);
		// An account's second terminal is not a new user: the others were told when the first came.
		if (claimed.first) this.#broadcast({cmd: 'client-enter', user: name});
		// A reason left behind by a node that died with its users is not this user's.
		if (claimed.first) await this.#context.hub.setAway(name, undefined);
		this.#context.log.connect(name, this.#peer);
	}

	async #rename(oldname: string, newname: string): Promise<void> {
		const current = this.name!;
		const locked = this.#account.renameRefusal();
		if (locked) {
			this.#status(refusalStatus(locked));
			return;
		}

		if (oldname !== current) {
			this.#status(failureStatus('bad-field', `oldname does not match your current name "${current}"`));
			return;
		}

		const problem = usernameProblem(newname);
		if (problem) {
			this.#status(failureStatus('invalid-name', problem));
			return;
		}

		if (newname === current) {
			// Nothing changes, so nobody needs telling.
			this.#status(successStatus(`you are already ${current}`));
			return;
		}

		if (!(await this.#context.hub.rename(this, newname))) {
			this.#status(failureStatus('name-taken', `user name "${newname}" is taken`));
			return;
		}

		// The reason follows the user to the new name; the others' rosters move it with the rename event.
		const reason = (await this.#context.hub.away([current]))[current];
		if (reason !== undefined) {
			await this.#context.hub.setAway(current, undefined);
			await this.#context.hub.setAway(newname, reason);
		}

		this.name = newname;
		this.#status(successStatus(`renamed ${current} to ${newname}`));
		// Once per connection that shares a room with us (§10): every connection shares #lobby.
		this.#broadcast({cmd: 'client-rename', user: newname, oldname: current, newname});
		this.#context.log.rename(current, newname);
	}

	/** Without `room`, everyone on the server, as the seed means it; with one, that room's members. */
	async #getClients(requested: string | undefined): Promise<void> {
		const room = requested === undefined ? undefined : this.#resolveRoom(requested);
		if (requested !== undefined && !room) return;
		const names = room ? await this.#context.hub.members(room) : await this.#context.hub.roster();
		const status = successStatus(names.join(', '), names);
		if (room) status.room = room.name;
		if (this.#wantsPresence) status.away = await this.#context.hub.away(names);
		// Our extension: which of them hold accounts. A registered name in the roster is held by its owner: guests cannot take one.
		const {accounts} = this.#context.options;
		if (accounts) {
			const registered = await Promise.all(names.map(async name => accounts.isRegistered(name)));
			status.accounts = names.filter((_name, index) => registered[index]);
		}

		this.#status(status);
	}

	/** `logout`: a server that admits accounts only keeps no guests, so there the connection closes once the token is revoked. */
	async #logout(): Promise<void> {
		const closes = this.#context.options.accountsOnly;
		await this.#accountCommand(async () => this.#account.logout(this.name!), name => (closes ? 'logged out: this server admits accounts only, so the connection closes' : `logged out: you are ${name} as a guest`), closes ? {closing: true} : {});
		if (closes && !this.#account.loggedIn) await this.#end('logout');
	}

	/** register, logout and password: one status, with the new token when there is one. */
	async #accountCommand(run: () => Promise<AccountGrant | AccountRefusal>, said: (name: string) => string, extra: Pick<StatusFrame, 'closing'> = {}): Promise<void> {
		const verdict = await run();
		this.#status(verdict.ok ? withToken({...successStatus(said(this.name!)), ...extra}, verdict) : refusalStatus(verdict));
	}

	/** Whether `text` may be sent; if not, its failure status is sent. */
	#acceptText(text: string): boolean {
		const problem = messageProblem(text);
		if (!problem) return true;
		// Too long is its own code (§8), so a client can say so in the same words as its own check.
		this.#status(failureStatus(countChars(text) > MAX_MESSAGE_CHARS ? 'too-long' : 'bad-field', problem));
		return false;
	}

	#message(room: RoomName, text: string, id: string | undefined, action: true | undefined): void {
		if (!this.#acceptText(text)) return;
		const log = this.#context.messageLog;
		if (!log) {
			this.#reserveReply()(sentStatus(this.#context.encoder));
			const event: ChatEvent = {cmd: 'message', user: this.name!, msg: text, room: roomField(room)};
			if (action) event.action = true;
			this.#broadcast(event, room);
			return;
		}

		this.#storeMessage(log, room, text, id, action);
	}

	/**
	 * §10 `direct`: between two accounts stored first (its own seq order, kept
	 * for a recipient who is offline), else live only, without seq; the hub
	 * finds the user's connections that understand it.
	 */
	async #direct(to: string, text: string, id: string | undefined, action: true | undefined): Promise<void> {
		const nameProblem = usernameProblem(to);
		if (nameProblem) {
			this.#status(failureStatus('invalid-name', `"to": ${nameProblem}`));
			return;
		}

		if (!this.#acceptText(text)) return;
		const stored = this.#context.directMessages;
		const route = stored ? await stored.route(this.#account.identity, to) : undefined;
		if (route?.kind === 'refused') {
			this.#resendHold.answered(id, route.status, performance.now());
			this.#status(route.status);
			return;
		}

		if (route?.kind === 'stored') {
			const {status, event} = await stored!.send(route, text, id, action);
			if (!status.success) this.#resendHold.answered(id, status, performance.now());
			// Right after the commit, before any other await, so the conversation's events leave in seq order.
			// An offline recipient gets it from the log; the sender's other terminals get it now either way.
			if (event && !(await this.#context.hub.direct(route.recipient.name, this, () => event))) await this.#context.hub.direct(this.name!, this, () => event);
			this.#status(status);
			return;
		}

		const user = this.name!;
		const delivered = await this.#context.hub.direct(to, this, recipient => this.#context.encoder.event({cmd: 'message', user, to: recipient, msg: text, ...(action && {action})}) ?? new Uint8Array());
		this.#status(delivered
			? successStatus('sent')
			: failureStatus('no-such-user', `no user named ${to} can receive direct messages here (not connected, or their client does not take them)`));
	}

	/**
	 * Nothing leaves before the commit. The event goes to the room as the
	 * append resolves, with no other await between: the log resolves appends
	 * in seq order and every connection's continuation is the same number of
	 * microtask steps long, so the room gets its messages in seq order. It goes
	 * out even if this socket closed meanwhile, since the message is stored.
	 * The status fills its slot once the hub has handed out every message up
	 * to this one, so no client holds a seq before the others' events below it.
	 * Not awaited: the next message is appended in the same tick.
	 */
	#storeMessage(log: MessageLog, room: RoomName, text: string, id: string | undefined, action: true | undefined): void {
		const reply = this.#reserveReply();
		this.#appending++;
		// Callbacks, not an async function and a promise per step: a burst keeps a thousand of these waiting for Redis, and each object they hold is copied by every young-generation GC meanwhile.
		appendMessage(log, room, {user: this.name!, msg: text, id, ...(action && {action})}, this.#context.noteLogFailure).then(({status, stored}) => {
			if (!stored) {
				if (!status.success) this.#resendHold.answered(id, status, performance.now());
				this.#answered(reply, status);
				return;
			}

			this.#context.hub.broadcastStored(room.key, stored.seq, stored.frame, this, () => this.#answered(reply, status));
		}).catch((error: unknown) => {
			this.#context.log.note(`connection ${this.#peer}: ${String(error)}`);
			this.#destroy('internal error');
			// The jobs waiting for an answer go on, and find the connection closing.
			this.#wakeAnswerWait();
		});
	}

	/** An appended message's status fills its slot; the jobs waiting for an answer go on. */
	#answered(reply: (status: StatusFrame) => void, status: StatusFrame): void {
		this.#appending--;
		reply(status);
		this.#wakeAnswerWait();
	}

	/** Waits until the next appended message is answered (only #runJobs waits, one wait at a time). */
	async #anAppendAnswered(): Promise<void> {
		await new Promise<void>(resolve => {
			this.#resolveAnswered = resolve;
		});
	}

	#wakeAnswerWait(): void {
		const resolve = this.#resolveAnswered;
		this.#resolveAnswered = undefined;
		resolve?.();
	}

	async #history(command: Extract<Command, {cmd: 'history'}>): Promise<void> {
		const log = this.#context.messageLog;
		if (!log) {
			this.#status(failureStatus('unsupported', 'this server keeps no history (it runs with --history 0)'));
			return;
		}

		if (command.with !== undefined) {
			const stored = this.#context.directMessages;
			const query: HistoryQuery = command.after !== undefined ? {after: command.after} : command.before !== undefined ? {before: command.before} : {};
			this.#status(stored
				? await stored.history(this.#account.identity, command.with, query, command.limit)
				: failureStatus('forbidden', 'direct messages are kept only between accounts, and this server has none: there is no history of them'));
			return;
		}

		const room = this.#resolveRoom(command.room);
		if (room) this.#reserveReply()(await historyReply(log, room, command, this.#context.noteLogFailure));
	}

	/** §10/§11: the stored direct conversations of the account logged in to; a guest has none. */
	async #conversations(): Promise<void> {
		const stored = this.#context.directMessages;
		this.#status(stored
			? await stored.conversations(this.#account.identity)
			: failureStatus('unsupported', 'this server stores no direct conversations (it has no accounts, or keeps no history)'));
	}

	/**
	 * §13: away with a reason (cleaned like an exit reason), or back when it is
	 * left out or blank. The others hear of a change only, once per connection
	 * that shares a room with us: every connection shares #lobby.
	 */
	async #away(text: string | undefined): Promise<void> {
		const name = this.name!;
		const reason = text === undefined ? undefined : oneLineReason(text);
		const before = (await this.#context.hub.away([name]))[name];
		await this.#context.hub.setAway(name, reason);
		this.#status(successStatus(reason === undefined ? 'you are back' : `you are away: ${reason}`));
		if (before !== reason) this.#broadcast({cmd: 'client-away', user: name, msg: reason ?? ''});
	}

	// ---- rooms (§10) ----

	/** True, after answering `unsupported`, when the hub does not carry this extension (§8: it is not in `features`). */
	#lacks(feature: RoomFeature): boolean {
		if (this.#context.hub.roomFeatures.includes(feature)) return false;
		this.#status(failureStatus('unsupported', `${feature === 'rooms' ? 'rooms' : 'direct messages'} are not supported by this server`));
		return true;
	}

	/**
	 * The room a command names (none: `#lobby`) when this connection is in it;
	 * else undefined, after sending `invalid-room` or `not-in-room`.
	 */
	#resolveRoom(requested: string | undefined): RoomName | undefined {
		if (requested === undefined) return LOBBY_ROOM;
		if (requested !== this.#validRoomSpelling) {
			const problem = roomProblem(requested);
			if (problem) {
				this.#status(failureStatus('invalid-room', problem));
				return undefined;
			}

			this.#validRoomSpelling = requested;
		}

		const room = this.#context.hub.roomOf(this, requested);
		if (!room) this.#status(failureStatus('not-in-room', `you are not in ${requested}: join it first`));
		return room;
	}

	async #join(requested: string): Promise<void> {
		const problem = roomProblem(requested);
		if (problem) {
			this.#status(failureStatus('invalid-room', problem));
			return;
		}

		// `joined` is about the name (another terminal of the account may be in the room); the text is about this connection.
		const wasIn = this.#context.hub.roomOf(this, requested) !== undefined;
		const outcome = await this.#context.hub.join(requested, this);
		if (!outcome.ok) {
			this.#status(joinRefusal(outcome.refusal));
			return;
		}

		const {room, members, joined} = outcome;
		// At once, before anything else is awaited, so it goes out before any client-exit of ours for this room.
		if (joined) this.#broadcast({cmd: 'client-enter', user: this.name!, room: room.name}, room);
		const status = successStatus(wasIn ? `you are in ${room.name} already` : `joined ${room.name}`, members);
		status.room = room.name;
		if (this.#wantsPresence) status.away = await this.#context.hub.away(members);
		// §12: whether the room has a file, without its text.
		const file = this.#context.files && (await fileSummary(this.#context.files, room));
		if (file !== undefined) status.file = file;
		this.#status(status);
	}

	async #part(requested: string, text: string | undefined): Promise<void> {
		const problem = roomProblem(requested);
		if (problem) {
			this.#status(failureStatus('invalid-room', problem));
			return;
		}

		if (isLobby(requested)) {
			this.#status(failureStatus('forbidden', `${LOBBY} cannot be parted: every connection is in it`));
			return;
		}

		const room = await this.#context.hub.part(requested, this);
		if (!room) {
			this.#status(failureStatus('not-in-room', `you are not in ${requested}`));
			return;
		}

		const said = text === undefined ? undefined : oneLineReason(text);
		this.#status(successStatus(`left ${room.name}`));
		// Another connection of the same account stays in the room: to the others nobody left.
		if ((await this.#context.hub.members(room)).includes(this.name!)) return;
		const exit: ChatEvent = {cmd: 'client-exit', user: this.name!, room: room.name, part: true};
		if (said !== undefined) exit.msg = said;
		this.#broadcast(exit, room);
	}

	async #rooms(): Promise<void> {
		const rooms = await this.#context.hub.rooms();
		const status = successStatus(`${rooms.length} room${rooms.length === 1 ? '' : 's'}`);
		status.rooms = rooms;
		this.#status(status);
	}

	async #fileCommand(command: Extract<Command, {cmd: 'update-file' | 'get-file'}>): Promise<void> {
		// Bad names and rooms we are not in are answered here, once; the handlers then find the room resolved.
		const room = this.#resolveRoom(command.room);
		if (!room) return;
		const context: FileCommandContext = {
			store: this.#context.files!,
			user: this.name!,
			limitBytes: this.#context.options.fileBytes,
			resolveRoom: () => room,
			status: frame => this.#status(frame),
			broadcast: (room, event) => this.#broadcastFile(room, event),
		};
		if (command.cmd === 'get-file') return getFile(context, command);
		// A 2015 client's update-file has no name and no version: it replaces whatever is there.
		if (this.#is2015 && command.base === undefined) return replaceFile(context, {...command, name: command.name ?? SHARED_FILE_NAME_2015});
		return updateFile(context, command);
	}

	/** The 2015 Go client sends the file on every keystroke: there the room gets the latest once a second. */
	#broadcastFile(room: RoomName, event: FileEvent): void {
		const frame = this.#context.encoder.event(event);
		if (!frame) return;
		if (!this.#is2015) {
			this.#context.hub.broadcast(room.key, frame, this);
			return;
		}

		this.#context.fileBroadcasts.offer(room.key, () => this.#context.hub.broadcast(room.key, frame, this));
	}

	/** §13: the away map goes to clients that listed `presence`, so a seed client's statuses keep the seed's shape. */
	get #wantsPresence(): boolean {
		return this.clientFeatures.has('presence');
	}

	get #is2015(): boolean {
		return this.#context.encoder.dialect === '2015';
	}

	async #exit(text: string | undefined): Promise<void> {
		// The 2015 server closes at once, without a status; its clients expect nothing.
		if (!this.#is2015) this.#status(successStatus(this.name ? `goodbye ${this.name}` : 'goodbye'));
		const said = text === undefined ? undefined : oneLineReason(text);
		await this.#end(said === undefined ? 'exit' : `exit: ${said}`, {said});
	}

	// ---- leaving ----

	/**
	 * Takes the user out of the hub and tells the others, exactly once; `said`
	 * is the reason the user gave on `exit`, which client-exit carries.
	 */
	async #leave(reason: string, {announce = true, said}: LeaveOptions = {}): Promise<void> {
		if (this.state === 'not-connected' || this.state === 'connected') this.state = 'closing';
		if (this.#left) return;
		this.#left = true;
		this.#endReason = reason;
		clearTimeout(this.#handshakeTimer);
		const {name} = this;
		if (name === undefined) return;
		// Only the rooms the name left: none while another connection of the account stays.
		const rooms = await this.#context.hub.release(this, said);
		// Once the name has left (no other terminal of the account stays), its reason goes with it.
		if (rooms.some(room => room.key === LOBBY)) await this.#context.hub.setAway(name, undefined);
		// One client-exit per room, so whoever shares several rooms with us hears it in each (§10).
		if (announce) {
			for (const room of rooms) {
				const exit: ChatEvent = {cmd: 'client-exit', user: name, room: roomField(room)};
				if (said !== undefined) exit.msg = said;
				this.#broadcast(exit, room);
			}
		}

		this.#context.log.exit(name, reason);
	}

	/** The user leaves, then the socket is flushed and closed. */
	async #end(reason: string, leave: LeaveOptions = {}): Promise<void> {
		await this.#leave(reason, leave);
		this.#closeGracefully(reason);
	}

	/** Flushes what is queued, then closes; destroys the socket if the peer does not finish in time. */
	#closeGracefully(reason: string): void {
		if (this.state === 'not-connected' || this.state === 'connected') {
			void this.#leave(reason);
		}

		if (this.#graceTimer || this.#socket.destroyed) return;
		this.#flush();
		this.#socket.end();
		this.#graceTimer = setTimeout(() => this.#socket.destroy(), this.#context.options.closeGraceMs);
		this.#graceTimer.unref();
	}

	#destroy(reason: string): void {
		void this.#leave(reason);
		this.#socket.destroy();
	}

	async #onClose(): Promise<void> {
		clearTimeout(this.#handshakeTimer);
		clearTimeout(this.#graceTimer);
		clearTimeout(this.#partialFrameTimer);
		if (this.#lag) {
			clearTimeout(this.#lag.timer);
			this.#lag.resolve();
		}

		this.#jobs.length = 0;
		this.#resolveDrained?.();
		// A reset, an error or a timeout: the user leaves here if nothing else did it first.
		await this.#leave(this.#endReason);
		this.state = 'closed';
		this.#context.onClosed(this);
		this.#resolveClosed();
	}

	// ---- outbound ----

	#status(status: StatusFrame): void {
		this.#reserveReply()(status);
	}

	/** A slot for this command's status, in arrival order; the returned function fills it (with a status, or one already encoded). */
	#reserveReply(): (status: StatusFrame | Uint8Array) => void {
		const slot: {frame: Uint8Array | undefined} = {frame: undefined};
		const command = this.#runningCommand;
		this.#replies.push(slot);
		return status => {
			slot.frame = status instanceof Uint8Array ? status : this.#context.encoder.status(status, command);
			while (this.#replies.length > 0 && this.#replies[0]!.frame) this.#write(this.#replies.shift()!.frame!);
		};
	}

	/** Every `connect` status, success or failure, says who the server is (§8). */
	#withHello(status: StatusFrame): StatusFrame {
		return {...status, ...this.#context.hello};
	}

	/** Encodes an event once and hands it to the others in the room. */
	#broadcast(event: ChatEvent, room: RoomName = LOBBY_ROOM): void {
		const frame = this.#context.encoder.event(event);
		if (frame) this.#context.hub.broadcast(room.key, frame, this);
	}

	/**
	 * Frames wait until the end of the turn and leave in one write, so the
	 * statuses for a batch of pipelined commands, and the broadcasts of every
	 * connection read in the same turn, cost one syscall per reader.
	 */
	#write(frame: Uint8Array): void {
		if (!this.#socket.writable || this.#graceTimer) return;
		this.outbox.write(frame);
	}

	/** Hands what the outbox holds to the socket, in one write. */
	#writeWaiting(): void {
		if (this.outbox.empty) return;
		const chunks = this.outbox.take();
		if (this.#socket.writable && chunks.length > 0) this.#socket.write(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
	}

	#flush(): void {
		const socket = this.#socket;
		this.#writeWaiting();

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

function credentialOf(command: Extract<Command, {cmd: 'connect'}>): Credential | undefined {
	if (command.password !== undefined) return {password: command.password};
	if (command.token !== undefined) return {token: command.token};
	return undefined;
}

function refusalStatus(refusal: AccountRefusal): StatusFrame {
	const status = failureStatus(refusal.code, refusal.message, refusal.retry);
	return refusal.registered === undefined ? status : {...status, registered: refusal.registered};
}

function withToken(status: StatusFrame, grant: AccountGrant): StatusFrame {
	return grant.token === undefined ? status : {...status, token: grant.token};
}

function joinRefusal(refusal: Extract<JoinOutcome, {ok: false}>['refusal']): StatusFrame {
	switch (refusal) {
		case 'connection-limit': {
			return failureStatus('too-many-rooms', `you are in ${MAX_ROOMS_PER_CONNECTION} rooms (${LOBBY} counts), the most one connection may be in: part one first`);
		}

		case 'server-limit': {
			return failureStatus('too-many-rooms', 'this server holds as many rooms as it may: join an existing room (the rooms command lists them)');
		}

		case 'gone': {
			return failureStatus('not-connected', 'not connected');
		}

		default: {
			return refusal satisfies never;
		}
	}
}
