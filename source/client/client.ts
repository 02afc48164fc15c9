// ChatClient: one user's session with a CodeChat server. This file is the
// session lifecycle (connect, handshake, reconnect with backoff, exit,
// close) and the API. What each inbound frame means is inbound.ts's; what
// goes out and when is outbound.ts's; which command a status answers is the
// reply queue's; the room log's backlog and resume are log-sync.ts's; bytes
// and frames are the Link's; texts for failures are errors.ts's.
import {formatAddress} from '../protocol/address.js';
import type {MalformedProblem} from '../protocol/decoder.js';
import type {FailureCode, Feature, ServerLimits} from '../protocol/codes.js';
import {DEFAULT_CLIENT_MAX_FRAME, messageProblem, nameKey, usernameProblem} from '../protocol/limits.js';
import {oneLineReason} from '../protocol/reason.js';
import {isLobby, LOBBY, MAX_ROOMS_PER_CONNECTION, roomKey, roomProblem} from '../protocol/rooms.js';
import type {RosterSnapshot} from '../protocol/roster.js';
import type {ChatEvent, ClosingCode, Command, Dialect, Inbound, Status} from '../protocol/types.js';
import {backoffDelay, DEFAULT_BACKOFF, type BackoffOptions} from './backoff.js';
import {CONNECT_TIMEOUT, HANDSHAKE_TIMEOUT, REPLY_TIMEOUT, codedError, humanError, isCertificateError} from './errors.js';
import {TypedEmitter} from './emitter.js';
import type {AccountAction, ChatClientEvents, ChatClientOptions, ConversationEvent, ConversationKeeper, DeliveredMessage, LoginOptions, SeenMark, SendTarget, SharedFileEvent, SharedFileText} from './events.js';
import {handleEvent, handleStatus, type InboundSession} from './inbound.js';
import {Link} from './link.js';
import {LogSync, MAX_PAGE, type SyncedMessage} from './log-sync.js';
import {OpenConversations, type OpenRoom} from './open-conversations.js';
import {NamedTimers} from './named-timers.js';
import {Outbound} from './outbound.js';
import {Outbox} from './outbox.js';
import {DEFAULT_SEND_RATE, Pacer} from './pacer.js';
import {accountGoneText, afterRefusal, firstCredential, type Credential, type LoginContext, type SentCredential} from './login-plan.js';
import {connectRefusal, refusalText} from './refusal.js';
import {ReplyQueue} from './reply-queue.js';
import {Roster} from './roster.js';
import {systemClock, type Clock} from './timers.js';
import {tcpTransport, tlsTransport, type TransportFactory} from './transport.js';
import {Warnings} from './warnings.js';

type State = 'idle' | 'connecting' | 'connected' | 'waiting' | 'exiting' | 'closed';

/**
 * The extensions this client speaks, sent with `connect` (§8): `direct` asks
 * for direct messages, which a seed client would show as public (§10).
 * Servers without §8 ignore the key.
 */
const CLIENT_FEATURES: Feature[] = ['rooms', 'direct', 'presence'];

/** The one line for a room command on a server without rooms (§8, §10). */
export const SINGLE_ROOM_TEXT = `this server has a single room (${LOBBY}): it does not support rooms`;

export class ChatClient extends TypedEmitter<ChatClientEvents> {
	readonly host: string;
	readonly port: number;
	readonly #transport: TransportFactory;
	readonly #maxFrameBytes: number;
	readonly #connectTimeoutMs: number;
	readonly #reconnect: boolean;
	readonly #stableAfterMs: number;
	readonly #backoff: BackoffOptions;
	readonly #refreshIntervalMs: number;
	readonly #exitTimeoutMs: number;
	readonly #clock: Clock;
	readonly #random: () => number;
	readonly #timers: NamedTimers;
	readonly #outbox: Outbox;
	readonly #outbound: Outbound;
	readonly #open: OpenConversations;
	readonly #keeper: ConversationKeeper | undefined;
	readonly #seenAtStart: ReadonlyMap<string, SeenMark>;
	/** Set at start(): the conversations read from the keeper and --room, told as joining/opened then. */
	readonly #restored: {rooms: string[]; direct: string[]; warning?: string};
	readonly #backlog: number;
	readonly #roster = new Roster();
	readonly #replies = new ReplyQueue();

	#state: State = 'idle';
	#dialect: Dialect | undefined;
	#features: ReadonlySet<Feature> = new Set();
	#limits: Partial<ServerLimits> = {};
	/** The room's shared file as last told (§12); undefined until the server has said. */
	/** Each room's shared file as the server last told it, by room key; none until it has said. */
	readonly #sharedFiles = new Map<string, SharedFileText | null>();
	#link: Link | undefined;
	#reached = false;
	#attempt = 0;
	#everConnected = false;
	/** When the current connection's `connect` succeeded (clock ms). */
	#connectedAt = 0;
	/** What the server said in `server-closing` (§13) on this connection. */
	#closing: {reason: string; reconnect: boolean; code: ClosingCode | undefined} | undefined;
	/** The host said it will not be back: retry at the longest wait. */
	#hostGone = false;
	/** A logout on this connection was answered `closing` (an accounts-only server keeps no guests): its close ends the run. */
	#closesAfterLogout = false;
	#lastError: string | undefined;
	readonly #warnings = new Warnings(message => this.emit('warning', {message}));
	#exitWaiters: Array<() => void> = [];
	/** Set by close() and exit(): reconnectNow() and send() no longer revive the client. */
	#closedForGood = false;
	readonly #login: LoginOptions | undefined;
	/** What the connect the server will answer next carried (§11). */
	#sent: SentCredential = 'none';
	/** A passwordNeeded event is out, and this connection waits for logIn(). */
	#awaitingPassword = false;
	/** A password typed after its connection was lost: used once, on the next auth-required. */
	#typedPassword: string | undefined;
	/** This connection is logged in to an account (by password, token or register). */
	#loggedIn = false;
	/** The user was told that messages wait for the server to take them again. */
	#resendTold = false;

	constructor(options: ChatClientOptions) {
		super();
		if (typeof options.user !== 'string' || options.user === '') throw new TypeError('ChatClient needs a user name');
		if (options.tls && options.transport) throw new TypeError('pass either tls or transport, not both');
		this.host = options.host ?? '127.0.0.1';
		this.port = options.port ?? 8080;
		if (!Number.isInteger(this.port) || this.port < 0 || this.port > 65_535) throw new RangeError(`invalid port ${String(options.port)}`);
		this.#roster.reset(options.user, false);
		this.#login = options.login;
		this.#transport = options.transport ?? (options.tls ? tlsTransport(options.tls) : tcpTransport);
		this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_CLIENT_MAX_FRAME;
		this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
		const backlog = options.backlog ?? 0;
		if (!Number.isInteger(backlog) || backlog < 0 || backlog > MAX_PAGE) throw new RangeError(`backlog must be a whole number from 0 to ${MAX_PAGE}, got ${String(options.backlog)}`);
		this.#reconnect = options.reconnect ?? true;
		this.#stableAfterMs = options.stableAfterMs ?? 30_000;
		this.#backoff = {...DEFAULT_BACKOFF, ...options.backoff};
		this.#refreshIntervalMs = options.refreshIntervalMs ?? 30_000;
		this.#exitTimeoutMs = options.exitTimeoutMs ?? 1000;
		this.#clock = options.clock ?? systemClock;
		this.#random = options.random ?? Math.random;
		this.#timers = new NamedTimers(this.#clock);
		this.#outbox = new Outbox(options.outboxCapacity);
		this.#outbound = new Outbound({
			host: {
				link: () => this.#link,
				sending: () => this.#state === 'connected',
				timesReplies: () => this.#state !== 'connecting',
				withIds: () => this.#features.has('history'),
				replyTimedOut: () => {
					this.#connectionLost(codedError(REPLY_TIMEOUT, 'no reply', options.replyTimeoutMs ?? 30_000));
				},
			},
			outbox: this.#outbox,
			replies: this.#replies,
			pacer: new Pacer(options.sendRate ?? DEFAULT_SEND_RATE, this.#clock),
			timers: this.#timers,
			replyTimeoutMs: options.replyTimeoutMs ?? 30_000,
		});
		this.#backlog = backlog;
		this.#open = new OpenConversations(this.#roster, this.#newSync(LOBBY), room => this.#newSync(room), partner => this.#newDirectSync(partner));
		this.#keeper = options.conversations;
		this.#seenAtStart = this.#readSeen();
		this.#restored = this.#restore(options.rooms ?? []);
	}

	/** One room's log sync (§9); what it tells names the room. */
	#newSync(room: string): LogSync {
		const name = () => this.#open?.room(room)?.name ?? room;
		return new LogSync({
			request: (query, purpose) => {
				this.#outbound.write({cmd: 'history', ...(isLobby(room) ? {} : {room: name()}), ...query}, {cmd: 'history', purpose, room});
			},
			deliver: message => this.emit('message', {...this.#markOwn(message), conversation: name(), ...(this.#features.has('rooms') ? {room: name()} : {})}),
			isOwnPending: id => this.#outbox.hasId(id),
			gap: (missed, kept) => this.emit('historyGap', {conversation: name(), missed, kept}),
			reset: () => this.emit('historyReset', {conversation: name()}),
			caughtUp: (backlogCount, recovered) => this.emit('caughtUp', {conversation: name(), backlog: backlogCount, recovered}),
			older: (messages, more) => this.emit('older', {conversation: name(), messages: messages.map(message => ({...this.#markOwn(message), conversation: name()})), more}),
			retryLater: ms => {
				this.#reloadAfter(ms);
			},
			warn: message => {
				this.#warn(isLobby(room) ? message : `${name()}: ${message}`);
			},
		}, this.#backlog);
	}

	/** Loads refused for now (§8 `retry`) are asked again, every conversation's at once. */
	#reloadAfter(ms: number): void {
		this.#timers.set('reload', () => {
			for (const room of this.#open.rooms()) room.sync.retryLoad();
			for (const open of this.#open.directs()) open.sync.retryLoad();
		}, ms);
	}

	/** A message under our name on an account is ours, typed on another terminal (§11); a guest's namesake stays someone else. */
	#markOwn<T extends {user: string; namesake?: boolean}>(message: T): T & {own?: true} {
		return this.#loggedIn && !message.namesake && this.#roster.isMe(message.user) ? {...message, own: true} : message;
	}

	/**
	 * A direct conversation's log sync (§10): stored between accounts, so it
	 * runs only while logged in; for a guest it hands live messages straight on.
	 */
	#newDirectSync(partner: string): LogSync {
		const name = () => this.#open?.directs().find(open => open.sync === sync)?.name ?? partner;
		const delivered = (message: SyncedMessage): DeliveredMessage => {
			const own = this.#markOwn(message);
			return {...own, conversation: name(), to: this.#roster.isMe(message.user) ? name() : this.user};
		};

		const sync: LogSync = new LogSync({
			request: (query, purpose) => {
				this.#outbound.write({cmd: 'history', with: name(), ...query}, {cmd: 'history', purpose, room: name()});
			},
			deliver: message => {
				this.emit('message', delivered(message));
				if (message.seq !== undefined && sync.seen !== undefined) this.#saveSeen();
			},
			isOwnPending: id => this.#outbox.hasId(id),
			gap: (missed, kept) => this.emit('historyGap', {conversation: name(), missed, kept}),
			reset: () => this.emit('historyReset', {conversation: name()}),
			caughtUp: (backlogCount, recovered) => {
				this.#saveSeen();
				this.emit('caughtUp', {conversation: name(), backlog: backlogCount, recovered});
			},
			older: (messages, more) => this.emit('older', {conversation: name(), messages: messages.map(delivered), more}),
			retryLater: ms => {
				this.#reloadAfter(ms);
			},
			warn: message => {
				this.#warn(`${name()}: ${message}`);
			},
		}, this.#backlog);
		const mark = this.#seenAtStart.get(nameKey(partner));
		if (mark) sync.resumeFrom(mark);
		return sync;
	}

	/**
	 * A stored direct conversation with no mark kept here: what came after our
	 * own newest message in it is unread (§11). Only where marks are kept: a
	 * client that keeps none (pipe mode) would be handed it all again at every start.
	 */
	#arrivedUnseen(partner: string): void {
		if (!this.#keeper?.saveSeen) return;
		this.#open.directWith(partner)?.sync.arrivedUnseen(user => this.#roster.isMe(user));
	}

	/** Stored direct messages (§10, §11) on this connection: logged in, on a server that keeps a log and delivers them. */
	get #storesDirect(): boolean {
		return this.#loggedIn && this.#features.has('direct') && this.#features.has('history');
	}

	/** Where each stored direct conversation stood when this client last ran (none: its first login loads a backlog). */
	#readSeen(): ReadonlyMap<string, SeenMark> {
		try {
			return this.#keeper?.readSeen?.(this.user) ?? new Map();
		} catch (error) {
			this.#later(() => this.#warn(`${(error as Error).message}; direct conversations start from their recent messages`));
			return new Map();
		}
	}

	#saveSeen(): void {
		if (!this.#keeper?.saveSeen) return;
		const seen = new Map<string, SeenMark>();
		for (const open of this.#open.directs()) {
			const mark = open.sync.seen;
			if (mark) seen.set(nameKey(open.name), mark);
		}

		try {
			this.#keeper.saveSeen(this.user, seen);
		} catch (error) {
			this.#warn((error as Error).message);
		}
	}

	/** The conversations kept from the last run, and the rooms asked for at start; a bad name is skipped with a warning. */
	#restore(rooms: readonly string[]): {rooms: string[]; direct: string[]; warning?: string} {
		let kept: string[] = [];
		const restored: {rooms: string[]; direct: string[]; warning?: string} = {rooms: [], direct: []};
		try {
			kept = this.#keeper?.read(this.user) ?? [];
		} catch (error) {
			// Told at start(), once someone listens.
			restored.warning = (error as Error).message;
		}

		for (const name of [...rooms, ...kept]) {
			if (name.startsWith('#')) {
				if (roomProblem(name) !== undefined || isLobby(name) || this.#open.room(name)) continue;
				if (this.#open.rooms().length >= MAX_ROOMS_PER_CONNECTION) continue;
				this.#open.want(name, this.user);
				restored.rooms.push(name);
			} else if (usernameProblem(name) === undefined && !this.#roster.isMe(name) && this.#open.openDirect(name)) {
				if (!this.#seenAtStart.has(nameKey(name))) this.#arrivedUnseen(name);
				restored.direct.push(name);
			}
		}

		return restored;
	}

	/** The name we are connected as (or will reconnect as). */
	get user(): string {
		return this.#roster.me;
	}

	/** Who is present, as far as we know; the same object until it changes. */
	get roster(): RosterSnapshot {
		return this.#roster.snapshot();
	}

	/** The dialect of the current (or last) connection, once known. */
	get dialect(): Dialect | undefined {
		return this.#dialect;
	}

	/** Does the server of the current (or last) connection list this extension (§8)? */
	supports(feature: Feature): boolean {
		return this.#features.has(feature);
	}

	/** The limits the server announced, if it did (§8). */
	get limits(): Partial<ServerLimits> {
		return this.#limits;
	}

	get connected(): boolean {
		return this.#state === 'connected';
	}

	/** Messages not yet acknowledged, oldest first. */
	pending(): Array<{localId: number; text: string}> {
		return this.#outbox.pending().map(({localId, text}) => ({localId, text}));
	}

	/** The server refused messages for now and they go again after its `retry`: waiting is expected, not a dead link. */
	get resendScheduled(): boolean {
		return this.#outbound.resendScheduled;
	}

	/** Is there an older page of this room's log to load (§9: the server keeps messages before the oldest shown)? */
	hasOlderIn(room: string = LOBBY): boolean {
		const open = this.#open.room(room);
		return this.#state === 'connected' && open?.phase === 'joined' && open.sync.hasOlder;
	}

	/** #lobby's hasOlderIn. */
	get hasOlder(): boolean {
		return this.hasOlderIn(LOBBY);
	}

	/**
	 * Asks for the page of `room`'s log before the oldest message shown; an
	 * `older` event naming the room follows. False when there is nothing to
	 * ask for now (a direct conversation has no pages to ask for yet).
	 */
	loadOlder(room: string = LOBBY): boolean {
		if (this.#state !== 'connected') return false;
		if (!room.startsWith('#')) return this.#open.directWith(room)?.sync.loadOlder() ?? false;
		const open = this.#open.room(room);
		return open?.phase === 'joined' && open.sync.loadOlder();
	}

	// ---- conversations (§10) ----------------------------------------------------

	/** Does the server of the current (or last) connection have rooms? Before the first connection: unknown, so true. */
	get hasRooms(): boolean {
		return !this.#everConnected || this.#features.has('rooms');
	}

	/** Does it deliver direct messages? Before the first connection: unknown, so true. */
	get hasDirect(): boolean {
		return !this.#everConnected || this.#features.has('direct');
	}

	/** The open conversations that survive a restart: rooms other than #lobby (in the order joined), then direct partners. */
	get conversations(): string[] {
		return this.#open.names();
	}

	/** The open rooms, #lobby first; `joined`: its join succeeded on this connection. */
	openRooms(): Array<{room: string; joined: boolean}> {
		return this.#open.rooms().map(room => ({room: room.name, joined: room.phase === 'joined' && (isLobby(room.name) || this.#state === 'connected')}));
	}

	/** The members of an open room as far as we know (#lobby: everyone); undefined for a room not open. The same object until it changes. */
	rosterOf(room: string): RosterSnapshot | undefined {
		return this.#open.room(room)?.roster.snapshot();
	}

	/**
	 * Joins `room` (§10), creating it if needed. A `conversation` event
	 * follows: `joining` (show it now), then `joined` with its members or
	 * `refused` with the reason's code (invalid-room, too-many-rooms, or
	 * unsupported on a server without rooms, where nothing is sent). Offline,
	 * the room is joined once connected. Joining a room open already tells
	 * `joined` again.
	 */
	join(room: string): void {
		const refuse = (error: string, code: FailureCode) => {
			this.#later(() => this.emit('conversation', {kind: 'refused', action: 'join', room, error, code}));
		};

		const problem = roomProblem(room);
		if (problem !== undefined) return refuse(`cannot join ${room}: ${problem}`, 'invalid-room');
		if (!this.hasRooms) return refuse(SINGLE_ROOM_TEXT, 'unsupported');
		const open = this.#open.room(room);
		if (open) {
			if (open.phase === 'joined') this.#later(() => this.emit('conversation', {kind: 'joined', room: open.name, users: open.roster.names(), again: false}));
			return;
		}

		if (this.#open.rooms().length >= MAX_ROOMS_PER_CONNECTION) {
			return refuse(`cannot join ${room}: you are in ${MAX_ROOMS_PER_CONNECTION} rooms already (${LOBBY} counts); /part one first`, 'too-many-rooms');
		}

		const wanted = this.#open.want(room, this.user);
		this.#later(() => this.emit('conversation', {kind: 'joining', room, restored: false}));
		if (this.#state === 'connected') this.#writeJoin(wanted, false);
	}

	/**
	 * Leaves `room` (§10) with an optional reason (one line, at most 256
	 * characters). A `conversation` event follows: `parted`, or `refused`
	 * (forbidden for #lobby, not-in-room, unsupported). Messages still
	 * queued for the room fail.
	 */
	part(room: string, reason?: string): void {
		const refuse = (error: string, code: FailureCode) => {
			this.#later(() => this.emit('conversation', {kind: 'refused', action: 'part', room, error, code}));
		};

		if (roomProblem(room) === undefined && isLobby(room)) return refuse(`${LOBBY} cannot be left: everyone is in it`, 'forbidden');
		if (!this.hasRooms) return refuse(SINGLE_ROOM_TEXT, 'unsupported');
		const open = this.#open.room(room);
		if (!open) return refuse(`you are not in ${room}`, 'not-in-room');
		const said = reason === undefined ? undefined : oneLineReason(reason);
		if (this.#state !== 'connected') {
			// Not joined on any connection now: forgetting it is leaving it.
			this.#later(() => this.#closeRoom(open, said));
			return;
		}

		this.#outbound.write({cmd: 'part', room: open.name, ...(said === undefined ? {} : {msg: said})}, {cmd: 'part', room: open.name, ...(said === undefined ? {} : {reason: said})});
	}

	/** Asks for every room on the server with its member count (§10); a `roomList` event follows. */
	listRooms(): void {
		const refuse = (error: string, code?: FailureCode) => {
			this.#later(() => this.emit('roomList', {ok: false, error, ...(code ? {code} : {})}));
		};

		if (this.#state !== 'connected') return refuse('not connected: try again once connected');
		if (!this.#features.has('rooms')) return refuse(SINGLE_ROOM_TEXT, 'unsupported');
		this.#outbound.write({cmd: 'rooms'}, {cmd: 'rooms'});
	}

	/**
	 * §13: away with `reason`, or back when it is empty; an `away` event
	 * follows once the server took it. False, sending nothing, when not
	 * connected or the server did not list `presence`.
	 */
	setAway(reason: string): boolean {
		if (this.#state !== 'connected' || !this.#features.has('presence')) return false;
		this.#outbound.write(reason === '' ? {cmd: 'away'} : {cmd: 'away', msg: reason}, {cmd: 'away', reason});
		return true;
	}

	/** Opens a direct conversation with `name` (/query), kept across restarts; a `conversation` event `opened` follows. Nothing is sent. */
	openDirect(name: string): void {
		if (!this.#open.openDirect(name)) return;
		this.#saveConversations();
		this.#later(() => this.emit('conversation', {kind: 'opened', with: name, restored: false}));
	}

	/** Closes a direct conversation (/close); messages to them still waiting go out all the same. */
	closeDirect(name: string): void {
		if (!this.#open.closeDirect(name)) return;
		this.#saveConversations();
		this.#later(() => this.emit('conversation', {kind: 'closed', with: name}));
	}

	#writeJoin(room: OpenRoom, again: boolean): void {
		room.phase = 'joining';
		this.#outbound.write({cmd: 'join', room: room.name}, {cmd: 'join', room: room.name, again});
	}

	/** The room is closed: parted, its join refused, or left while offline. */
	#closeRoom(room: OpenRoom, reason: string | undefined, refusal?: {error: string; code?: FailureCode}): void {
		if (!this.#open.drop(room.name)) return;
		room.sync.disconnected();
		this.#sharedFiles.delete(roomKey(room.name));
		this.#saveConversations();
		const why = refusal ? refusal.error : `you left ${room.name}`;
		for (const entry of this.#outbox.removeQueued(queued => queued.target !== undefined && 'room' in queued.target && this.#open.room(queued.target.room) === undefined)) {
			this.emit('failed', {localId: entry.localId, text: entry.text, conversation: room.name, error: why, ...(refusal?.code ? {code: refusal.code} : {code: 'not-in-room' as const})});
		}

		const event: ConversationEvent = refusal
			? {kind: 'refused', action: 'join', room: room.name, error: refusal.error, ...(refusal.code ? {code: refusal.code} : {})}
			: {kind: 'parted', room: room.name, ...(reason === undefined ? {} : {reason})};
		this.emit('conversation', event);
	}

	/** A keeper that cannot write costs the set next time, never the chat. */
	#saveConversations(): void {
		try {
			this.#keeper?.save(this.user, this.#open.names());
		} catch (error) {
			this.#warn((error as Error).message);
		}
	}

	/** The name a message of ours is shown under: the room (as open), the partner, or #lobby. */
	#conversationOf(target: SendTarget | undefined): string {
		if (target === undefined) return LOBBY;
		if ('to' in target) return target.to;
		return this.#open.room(target.room)?.name ?? target.room;
	}

	/** Counters the leak tests watch. @internal */
	debugStats(): {timers: number; listeners: number; outbox: number; expected: number} {
		return {timers: this.#timers.size, listeners: this.listenerCount(), outbox: this.#outbox.size, expected: this.#replies.size};
	}

	start(): void {
		if (this.#state !== 'idle') return;
		// What the last run left open is shown before anything else happens.
		if (this.#restored.warning !== undefined) this.#warn(this.#restored.warning);
		for (const room of this.#restored.rooms) this.emit('conversation', {kind: 'joining', room, restored: true});
		for (const name of this.#restored.direct) this.emit('conversation', {kind: 'opened', with: name, restored: true});
		this.#connect();
	}

	/**
	 * Queues a chat message and returns its local id; `sent` or `failed`
	 * follows, naming its conversation. `target`: a room we have open (left
	 * out: #lobby) or a user (a direct message, which opens that conversation).
	 * Refused at once, with a code, for a room not open (not-in-room), a bad
	 * name, or a server that does not do rooms or direct messages (unsupported).
	 */
	send(text: string, target?: SendTarget, {action = false}: {action?: boolean} = {}): number {
		// #lobby is the message without `room` (§10): the same command a seed server takes.
		const where = target !== undefined && 'room' in target && roomProblem(target.room) === undefined && isLobby(target.room) ? undefined : target;
		// Checked here too, so a message the server would refuse fails at once, even offline.
		const problem = messageProblem(text);
		// The failed event already says "not sent": the reason says why.
		const refusal = problem === undefined ? (this.#closedForGood ? {error: 'the client is closed'} : this.#targetProblem(where)) : {error: problem};
		const conversation = this.#conversationOf(where);
		if (refusal !== undefined) {
			const entry = this.#outbox.refuse(text, where);
			this.#later(() => this.emit('failed', {localId: entry.localId, text, conversation, ...refusal}));
			return entry.localId;
		}

		if (where !== undefined && 'to' in where) this.openDirect(where.to);
		const added = this.#outbox.add(text, where, action ? true : undefined);
		if (!added.ok) {
			const {error} = added;
			this.#later(() => this.emit('failed', {localId: added.entry.localId, text, conversation, error}));
		} else {
			this.#outbound.flush();
		}

		return added.entry.localId;
	}

	/** Why a message cannot go to `target`, or undefined when it can. */
	#targetProblem(target: SendTarget | undefined): {error: string; code: FailureCode} | undefined {
		if (target === undefined) return undefined;
		if ('to' in target) {
			const problem = usernameProblem(target.to);
			if (problem !== undefined) return {error: `cannot write to ${target.to}: ${problem}`, code: 'no-such-user'};
			if (!this.hasDirect) return {error: 'this server does not deliver direct messages (it did not list direct when we connected)', code: 'unsupported'};
			return undefined;
		}

		const problem = roomProblem(target.room);
		if (problem !== undefined) return {error: `cannot send to ${target.room}: ${problem}`, code: 'invalid-room'};
		if (!this.hasRooms) return {error: SINGLE_ROOM_TEXT, code: 'unsupported'};
		if (!this.#open.room(target.room)) return {error: `you are not in ${target.room}: /join it first`, code: 'not-in-room'};
		return undefined;
	}

	rename(newName: string): void {
		// A rename still waiting for its status will have changed the name by the time this one arrives.
		const oldname = this.#replies.lastRename()?.newname ?? this.user;
		if (this.#state !== 'connected') {
			this.#later(() => this.emit('renameFailed', {oldname, newname: newName, error: 'not connected'}));
			return;
		}

		this.#outbound.write({cmd: 'rename', oldname, newname: newName}, {cmd: 'rename', oldname, newname: newName});
	}

	/** Logged in to an account on this connection. */
	get loggedIn(): boolean {
		return this.#loggedIn;
	}

	/** The password a person typed after passwordNeeded; it goes out only in answer to this connection's auth-required. */
	logIn(password: string): void {
		if (this.#awaitingPassword && this.#link && this.#state === 'connecting') {
			this.#awaitingPassword = false;
			this.#sendConnect({password}, 'typed-password');
			return;
		}

		// The connection that asked is gone (the server closes one that waits too long): the next one asks again.
		this.#typedPassword = password;
	}

	/** `register {password}` (§11); an `account` event follows. */
	register(password: string): void {
		this.#accountCommand('register', {cmd: 'register', password});
	}

	/** `logout` (§11): the saved token is forgotten as well. */
	logout(): void {
		this.#accountCommand('logout', {cmd: 'logout'});
	}

	/** `password {old, new}` (§11): the new token replaces the saved one. */
	changePassword(oldPassword: string, newPassword: string): void {
		this.#accountCommand('password', {cmd: 'password', old: oldPassword, new: newPassword});
	}

	/**
	 * A room's shared file as the server last told it (loaded, updated or
	 * saved), for a screen that starts after the client; undefined until it has said.
	 */
	sharedFileIn(room: string = LOBBY): SharedFileText | null | undefined {
		return this.#sharedFiles.get(roomKey(room));
	}

	protected override emit<K extends keyof ChatClientEvents>(name: K, payload: ChatClientEvents[K]): void {
		if (name === 'file') this.#noteFile(payload as SharedFileEvent);
		super.emit(name, payload);
	}

	#noteFile(event: SharedFileEvent): void {
		const key = roomKey(event.room);
		if (event.kind === 'loaded') this.#sharedFiles.set(key, event.file);
		else if (event.kind === 'updated') this.#sharedFiles.set(key, {name: event.name, text: event.text, user: event.user, ...(event.version === undefined ? {} : {version: event.version}), ...(event.time === undefined ? {} : {time: event.time})});
		else if (event.kind === 'saved') this.#sharedFiles.set(key, {name: event.name, text: event.text, user: this.user, ...(event.version === undefined ? {} : {version: event.version})});
	}

	/**
	 * Can this server keep a shared file (§12)? One that lists `file`, or a
	 * 2015 server, which keeps one without versions; the answer is only known
	 * once connected.
	 */
	get sharesFile(): boolean {
		return (this.#dialect === 'codechat' && this.#features.has('file')) || this.#dialect === '2015';
	}

	/**
	 * Replaces a room's shared file with `text` (§12), as an edit of version
	 * `base` (undefined: of nothing we have seen, 0). A `file` event follows:
	 * `saved`, or `refused` with the reason (`conflict` with the current
	 * version when someone else changed it first). A 2015 server takes only
	 * the text: no name, no versions.
	 */
	updateFile(name: string, text: string, base: number | undefined, room: string = LOBBY): void {
		const refuse = (error: string, code?: FailureCode) => {
			this.#later(() => this.emit('file', {kind: 'refused', room, name, text, error, ...(code ? {code} : {})}));
		};

		if (this.#state !== 'connected') return refuse('not connected: try again once connected');
		if (!this.sharesFile) return refuse('this server does not keep a shared file', 'unsupported');
		if (this.#dialect === '2015') {
			// §8: the one extension command sent to a server without features. It answers no status we could wait for.
			this.#outbound.write({cmd: 'update-file', msg: text}, undefined);
			this.#later(() => this.emit('file', {kind: 'saved', room, name, text}));
			return;
		}

		const bytes = Buffer.byteLength(text, 'utf8');
		const limit = this.#limits.file;
		if (limit !== undefined && bytes > limit) return refuse(`file is ${bytes} bytes of UTF-8; the limit is ${limit}`, 'too-long');
		const command: Command = {cmd: 'update-file', name, msg: text, base: base ?? 0, ...(isLobby(room) ? {} : {room})};
		const frameBytes = Buffer.byteLength(JSON.stringify(command)) + 1;
		if (this.#limits.frame !== undefined && frameBytes > this.#limits.frame) {
			return refuse(`the update is a ${frameBytes}-byte frame; the server takes at most ${this.#limits.frame}`, 'too-long');
		}

		this.#outbound.write(command, {cmd: 'update-file', room, name, text, base});
	}

	/** Asks for a room's shared file; a `file` event `loaded` follows. False when this server has no get-file now. */
	getFile(room: string = LOBBY): boolean {
		if (this.#state !== 'connected' || this.#dialect !== 'codechat' || !this.#features.has('file')) return false;
		this.#outbound.write(isLobby(room) ? {cmd: 'get-file'} : {cmd: 'get-file', room}, {cmd: 'get-file', room});
		return true;
	}

	/** Asks for the roster; a `roster` event with source "who" follows. */
	who(): void {
		if (this.#state === 'connected' && this.#dialect === 'codechat') {
			this.#outbound.write({cmd: 'get-clients'}, {cmd: 'get-clients', source: 'who', sentAt: this.#clock.now()});
			return;
		}

		// The 2015 server has no get-clients, and offline we only know what we saw.
		this.#later(() => this.emit('roster', {users: this.#roster.names(), complete: false, source: 'who', conversation: LOBBY}));
	}

	/** Leaves the chat for good. Resolves once the connection is closed; never rejects. */
	async exit(reason?: string): Promise<void> {
		if (this.#state === 'closed') {
			// Stopped already (a refusal, or close()): what still waits will never go out.
			this.#closedForGood = true;
			this.#failWaiting('you left before it went out');
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
		this.#timers.clear('refresh');
		this.#timers.clear('flush');
		// §8: a reason is one line of at most 256 characters; an empty one is none.
		const said = reason === undefined ? undefined : oneLineReason(reason);
		const command: Command = said === undefined ? {cmd: 'exit'} : {cmd: 'exit', msg: said};
		// The 2015 server never answers exit (§5): there is no status to wait for.
		this.#outbound.write(command, this.#dialect === '2015' ? undefined : {cmd: 'exit'});
		// Either way, do not wait on the server for long; closing the socket ourselves is fine.
		this.#timers.set('exit', () => {
			this.#finishClose('you left the chat');
		}, this.#exitTimeoutMs);
		return done;
	}

	/** For /reconnect: drop the current connection (if any) and connect again now. */
	reconnectNow(): void {
		if (this.#closedForGood || this.#state === 'exiting') return;
		this.#timers.clear('reconnect');
		if (this.#link) {
			this.#dropLink();
			this.emit('disconnected', {reason: 'reconnecting, as asked', willReconnect: true});
		}

		this.#attempt = 0;
		this.#hostGone = false;
		this.#connect();
	}

	/** Stops for good: no reconnect, every timer cleared, waiting messages reported failed. */
	close(): void {
		this.#closedForGood = true;
		this.#finishClose('closed');
	}

	// ---- lifecycle ------------------------------------------------------------

	#connect(): void {
		this.#state = 'connecting';
		this.#reached = false;
		this.#warnings.reset();
		this.#closing = undefined;
		this.#closesAfterLogout = false;
		this.#replies.clear();
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
			onMalformed: (problem, reason) => {
				this.#onMalformed(problem, reason);
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
		this.#loggedIn = false;
		this.#awaitingPassword = false;
		const token = this.#login ? firstCredential(this.#loginContext()) : undefined;
		this.#sendConnect(token, token ? 'token' : 'none');
	}

	/** Writes `connect` (with a credential, §11) on the current link and times its answer. */
	#sendConnect(credential: Credential | undefined, sent: SentCredential): void {
		const link = this.#link;
		if (!link) return;
		this.#sent = sent;
		this.#replies.push({cmd: 'connect'});
		link.write({cmd: 'connect', username: this.user, ...(CLIENT_FEATURES.length > 0 ? {features: CLIENT_FEATURES} : {}), ...credential});
		this.#timers.set('connect', () => {
			const code = this.#reached ? HANDSHAKE_TIMEOUT : CONNECT_TIMEOUT;
			this.#dropLink();
			this.#connectionLost(codedError(code, 'connect timed out', this.#connectTimeoutMs));
		}, this.#connectTimeoutMs);
	}

	#loginContext(): LoginContext {
		const login = this.#login!;
		return {transport: login.transport, canPrompt: login.canPrompt, scriptedPassword: login.scriptedPassword, savedToken: login.tokens?.read(this.user)};
	}

	/** Destroys the current link without reporting it. */
	#dropLink(): void {
		const link = this.#link;
		this.#link = undefined;
		link?.destroy();
		this.#timers.clear('connect');
		this.#timers.clear('refresh');
		this.#outbound.stop();
		this.#abandonExpected();
		this.#open.room(LOBBY)!.sync.disconnected();
		this.#open.disconnected();
		this.#roster.markIncomplete();
	}

	/** Commands whose status will never come: their messages go back to the queue. */
	#abandonExpected(): void {
		this.#outbox.requeueInFlight();
		for (const item of this.#replies.clear()) {
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
		if (this.#closesAfterLogout) {
			// Coming back would be as a guest, which this server refuses, or logged in again: neither is what /logout asked.
			this.#stop(`logged out of ${this.user}: this server admits accounts only, so it closed the connection (connect again to log in)`, {loggedOut: true});
			return;
		}

		if (this.#closing?.code === 'replaced') {
			// §11: a newer login of our account took this connection's place. Coming back with our
			// token would push that terminal out in turn, so this one stops (/reconnect still works).
			const said = this.#closing.reason;
			reason = `another login of ${this.user} took this connection's place${said === '' ? '' : ` (${said})`} — not reconnecting; /reconnect to take it back`;
			this.#stop(reason);
			return;
		} else if (this.#closing) {
			// The host told us why before it closed (§13).
			const {reason: said, reconnect} = this.#closing;
			this.#hostGone = !reconnect;
			reason = `the host closed the room${said === '' ? '' : `: ${said}`}${reconnect ? '' : ' — it does not expect to be back; retrying now and then'}`;
		} else if (error) {
			reason = humanError(error, this.host, this.port, {wasHere: this.#everConnected});
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

		// The backoff starts over only after a connection that stayed up: a server that
		// accepts and drops at once must not be retried at full speed.
		if (wasConnected && this.#clock.now() - this.#connectedAt >= this.#stableAfterMs) this.#attempt = 0;
		this.emit('disconnected', {reason, willReconnect: true});
		// A listener may have closed the client.
		if (!this.#isClosed()) this.#scheduleReconnect();
	}

	#scheduleReconnect(): void {
		this.#attempt++;
		const {capMs} = this.#backoff;
		// Jitter within the top half of the longest wait, so a crowd still spreads out.
		const delayMs = this.#hostGone ? Math.floor(capMs * (0.5 + (this.#random() / 2))) : backoffDelay(this.#attempt, this.#backoff, this.#random);
		this.#state = 'waiting';
		this.emit('reconnecting', {attempt: this.#attempt, delayMs});
		this.#timers.set('reconnect', () => {
			this.#connect();
		}, delayMs);
	}

	/** A method, not a comparison: listeners run in between and may have closed the client. */
	#isClosed(): boolean {
		return this.#state === 'closed';
	}

	#failWaiting(why: string): void {
		for (const entry of this.#outbox.drain()) this.emit('failed', {localId: entry.localId, text: entry.text, conversation: this.#conversationOf(entry.target), error: why});
	}

	/** Ends without retrying, but leaves reconnectNow() usable (the user may fix things). */
	#stop(reason: string, why: {loggedOut?: true} = {}): void {
		this.#dropLink();
		this.#timers.clearAll();
		this.#state = 'closed';
		this.emit('disconnected', {reason, willReconnect: false, ...why});
	}

	#finishClose(reason: string): void {
		const wasClosed = this.#state === 'closed';
		this.#state = 'closed';
		this.#dropLink();
		this.#timers.clearAll();
		if (this.#closedForGood) this.#failWaiting(reason === 'closed' ? 'the client was closed' : 'you left before it went out');

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
				if (this.#state === 'connected' || this.#state === 'exiting') handleEvent(item.event, this.#session);
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

			default: {
				const unknown: never = item;
				throw new Error(`unhandled inbound ${String(unknown)}`);
			}
		}
	}

	#onMalformed(problem: MalformedProblem, reason: string): void {
		if (this.#state === 'connecting' && problem === 'not-an-object') {
			// Raw text before any answer to connect: not a JSON server at all (the February
			// 2015 CodeChat servers speak raw text). Retrying cannot help. A broken object is
			// only a bad frame: a JSON server may still answer after it.
			const message = `${formatAddress(this.host, this.port)} does not speak JSON — it may be an early (February 2015) CodeChat server, which this client cannot talk to; use a later server`;
			this.emit('error', {message});
			this.#stop(message);
			return;
		}

		this.#warn(`bad frame from the server (${reason}); ignored`);
	}

	#onStatus(status: Status, dialect: Dialect): void {
		// A 2015 status names its command: one for update-file answers a command we sent without waiting (§12).
		if (dialect === '2015' && status.command === 'update-file') {
			if (!status.success) this.emit('file', {kind: 'refused', room: LOBBY, name: '', text: '', error: 'the server refused the update of the shared file'});
			return;
		}

		const expected = this.#outbound.answered();
		if (!expected) {
			this.#warn('the server sent a status that answers no command; ignored');
			return;
		}

		handleStatus(status, expected, dialect, this.#session);
	}

	/** What the inbound handlers may use; built once. */
	readonly #session: InboundSession = (() => {
		// Getters: the constructor assigns some of these after field initialisers run.
		const read = {dialect: () => this.#dialect, roster: () => this.#roster, outbox: () => this.#outbox, open: () => this.#open};
		return {
			get roster() {
				return read.roster();
			},
			get open() {
				return read.open();
			},
			get outbox() {
				return read.outbox();
			},
			get dialect() {
				return read.dialect();
			},
			now: () => this.#clock.now(),
			emit: (name, payload) => {
				this.emit(name, payload);
			},
			warn: message => {
				this.#warn(message);
			},
			warnNamesake: message => {
				this.#warnings.warnNamesake(message);
			},
			connectAnswered: (status, dialect) => {
				this.#onConnectStatus(status, dialect);
			},
			renameConfirmed: (oldname, newname) => {
				this.#roster.rename(oldname, newname);
				const rooms = this.#open.rooms().filter(room => room.roster !== this.#roster);
				for (const room of rooms) room.roster.rename(oldname, newname);
				this.emit('renamed', {oldname, newname});
				for (const room of rooms) this.emit('roster', {users: room.roster.names(), complete: room.roster.complete, source: 'refresh', conversation: room.name});
			},
			scheduleRefresh: () => {
				this.#scheduleRefresh();
			},
			sharesAccount: () => this.#loggedIn,
			serverClosing: (reason, reconnect, code) => {
				this.#closing = {reason, reconnect, code};
			},
			liveMessage: (event, namesake, room) => {
				room.sync.live(event, namesake, this.#clock.now());
			},
			directMessage: (event, partner) => {
				this.#onDirectMessage(event, partner);
			},
			resendLater: (ms, error) => {
				this.#outbound.resendAfter(ms);
				// Once until a message gets through: an outage refuses every resend.
				if (this.#resendTold) return;
				this.#resendTold = true;
				this.#warn(`the server cannot take messages now (${error}); they wait and go again in ${Math.round(ms / 1000)} s`);
			},
			messageAnswered: delivered => {
				if (delivered) this.#resendTold = false;
				this.#outbound.flush();
			},
			ownStored: (position, target) => {
				if (target !== undefined && 'to' in target) {
					this.#open.directWith(target.to)?.sync.ownStored(position);
					return;
				}

				this.#open.room(target?.room ?? LOBBY)?.sync.ownStored(position);
			},
			conversationOf: target => this.#conversationOf(target),
			historyAnswered: (purpose, room, reply) => {
				// A room parted (or a conversation closed) meanwhile has no sync to tell.
				if (room.startsWith('#')) {
					this.#open.room(room)?.sync.answered(purpose, reply);
					return;
				}

				const sync = this.#open.directWith(room)?.sync;
				// §10: `forbidden` for a direct conversation's log: the other side is a guest, so nothing is kept.
				if (purpose !== 'older' && 'error' in reply && reply.code === 'forbidden') sync?.notStored();
				else sync?.answered(purpose, reply);
			},
			joinAnswered: (expected, status) => {
				this.#onJoinStatus(expected, status);
			},
			partAnswered: (expected, status) => {
				this.#onPartStatus(expected, status);
			},
			roomsAnswered: status => {
				this.emit('roomList', status.success
					? {ok: true, rooms: status.rooms ?? []}
					: {ok: false, error: status.error, ...(status.code ? {code: status.code} : {})});
			},
			accountAnswered: (action, status) => {
				this.#onAccountStatus(action, status);
			},
			conversationsAnswered: status => {
				this.#onConversations(status);
			},
		};
	})();

	#onConnectStatus(status: Status, dialect: Dialect): void {
		this.#timers.clear('connect');
		// §8: every connect status, refusals too, says what the server speaks.
		this.#features = status.features ?? new Set();
		this.#limits = status.limits ?? {};
		if (!status.success) {
			this.#onConnectRefused(status);
			return;
		}

		this.#state = 'connected';
		this.#dialect = dialect;
		// A server without accounts ignores a token it does not know: logged in only when it answered with one.
		this.#loggedIn = this.#sent !== 'none' && this.#features.has('accounts') && status.token !== undefined;
		this.#typedPassword = undefined;
		if (status.token !== undefined && this.#loggedIn) this.#saveToken(status.token);
		this.#connectedAt = this.#clock.now();
		this.#everConnected = true;
		this.#lastError = undefined;
		// §13: away lasts while the name is on the server, so a name that left lost it; we were away as the last roster said.
		const away = this.#roster.awayOf(this.user);
		// §5: no get-clients on the 2015 server; there we know only ourselves until events tell us more.
		this.#roster.reset(this.user, false);
		this.emit('connected', {user: this.user, server: formatAddress(this.host, this.port), dialect, welcome: status.text});
		// Our token was refused, and the name was let in as a guest's: its account was deleted.
		if (this.#sent === 'after-refused-token') this.#warn(accountGoneText(this.user, false));
		if (dialect === 'codechat') {
			this.#outbound.write({cmd: 'get-clients'}, {cmd: 'get-clients', source: 'connect', sentAt: this.#clock.now()});
		} else {
			this.emit('roster', {users: this.#roster.names(), complete: false, source: 'connect', conversation: LOBBY});
		}

		// §12: the file's text comes with the 2015 connect status; ours says only that there is one.
		if (dialect === '2015' && status.command === 'client-connect') this.emit('file', {kind: 'loaded', room: LOBBY, file: {name: '', text: status.text}});
		if (status.file) this.getFile();
		if (away !== undefined) this.setAway(away);
		this.#rejoin();
		// The log first, then what waits to be sent: the resume asks from where we stopped,
		// and a resend the log already holds is answered as a duplicate. Each other room's
		// resume starts when its join succeeds; its messages go after its join.
		this.#open.room(LOBBY)!.sync.connected(dialect === 'codechat' && this.#features.has('history'));
		this.#resumeDirect();
		this.#failUndeliverable();
		this.#outbound.flush();
	}

	/** §10: after every connect, the rooms open are joined again, in the order they were opened. */
	#rejoin(): void {
		const rooms = this.#open.rooms().filter(room => !isLobby(room.name));
		if (!this.#features.has('rooms')) {
			// A server without rooms (seed, 2015): #lobby is all there is.
			for (const room of rooms) this.#closeRoom(room, undefined, {error: `${room.name}: ${SINGLE_ROOM_TEXT}`, code: 'unsupported'});
			return;
		}

		for (const room of rooms) this.#writeJoin(room, room.everJoined);
	}

	/** §10: the stored direct conversations resume their logs, and the server is asked which others there are. */
	#resumeDirect(): void {
		const stored = this.#storesDirect;
		for (const open of this.#open.directs()) open.sync.connected(stored);
		if (stored) this.#outbound.write({cmd: 'conversations'}, {cmd: 'conversations'});
	}

	/** The account's stored conversations: each one not open yet opens, what came since we last wrote in it counted as unread. */
	#onConversations(status: Status): void {
		if (!status.success) {
			this.#warn(`the server could not list your direct conversations: ${status.error}`);
			return;
		}

		for (const {with: partner} of status.conversations ?? []) {
			if (this.#roster.isMe(partner) || !this.#open.openDirect(partner)) continue;
			this.#arrivedUnseen(partner);
			this.emit('conversation', {kind: 'opened', with: partner, restored: false});
			this.#open.directWith(partner)!.sync.connected(this.#storesDirect);
		}

		this.#saveConversations();
	}

	/** Messages queued for what this server cannot deliver fail before anything goes out: a seed server would show a direct message to everyone. */
	#failUndeliverable(): void {
		if (this.#features.has('direct')) return;
		for (const entry of this.#outbox.removeQueued(queued => queued.target !== undefined && 'to' in queued.target)) {
			this.emit('failed', {localId: entry.localId, text: entry.text, conversation: this.#conversationOf(entry.target), error: 'this server does not deliver direct messages (it did not list direct when we connected)', code: 'unsupported'});
		}
	}

	#onJoinStatus({room: asked, again}: {room: string; again: boolean}, status: Status): void {
		const room = this.#open.room(asked);
		// Parted (or closed) while the join was on its way: nothing to do.
		if (!room) return;
		if (!status.success) {
			this.#closeRoom(room, undefined, {error: `cannot join ${asked}: ${status.error}`, ...(status.code ? {code: status.code} : {})});
			return;
		}

		// The server's spelling of the room, when it is the same room.
		if (status.room !== undefined && this.#open.room(status.room) === room) room.name = status.room;
		room.phase = 'joined';
		room.everJoined = true;
		room.roster.replace(status.clients ?? [this.user], status.accounts);
		if (status.away) room.roster.replaceAway(room.roster.names(), status.away);
		this.#saveConversations();
		this.emit('conversation', {kind: 'joined', room: room.name, users: room.roster.names(), again});
		this.emit('roster', {users: room.roster.names(), complete: true, source: 'join', conversation: room.name});
		// §12: the join says the room has a file; its text is asked for, as after connect.
		if (status.file) this.getFile(room.name);
		room.sync.connected(this.#features.has('history'));
	}

	#onPartStatus({room: asked, reason}: {room: string; reason?: string}, status: Status): void {
		const room = this.#open.room(asked);
		if (!room) return;
		// Not in it by the server's account: closed all the same.
		if (status.success || status.code === 'not-in-room') {
			this.#closeRoom(room, reason);
			return;
		}

		this.emit('conversation', {kind: 'refused', action: 'part', room: room.name, error: `cannot leave ${room.name}: ${status.error}`, ...(status.code ? {code: status.code} : {})});
	}

	/** A direct message (§10) goes to its partner's conversation, opened on the first one. */
	#onDirectMessage(event: Extract<ChatEvent, {cmd: 'message'}>, partner: string): void {
		if (this.#open.openDirect(partner)) {
			this.#saveConversations();
			this.emit('conversation', {kind: 'opened', with: partner, restored: false});
		}

		// Its sync places a stored one by seq; a guest's (no seq) goes straight on.
		this.#open.directWith(partner)!.sync.live(event, false, this.#clock.now());
	}

	#onConnectRefused(status: Status): void {
		if (this.#login && this.#onAccountRefusal(status)) return;
		const {user} = this;
		const refusal = connectRefusal(status, this.#features.has('codes'));
		const retry = (reason: string) => {
			this.#dropLink();
			this.emit('disconnected', {reason, willReconnect: true});
			// A listener may have closed the client.
			if (!this.#isClosed()) this.#scheduleReconnect();
		};

		if (refusal === 'name-held' && this.#everConnected && this.#reconnect) {
			// Most likely our own old session, which the server has not timed out yet.
			this.#warn(`name ${user} is still held by the old session; retrying`);
			retry(`name ${user} is still held by the old session`);
			return;
		}

		if (refusal === 'retry-later' && this.#reconnect) {
			retry(status.code === 'unavailable' ? 'the server is briefly unavailable' : 'the server is rate limiting us');
			return;
		}

		const message = refusalText(refusal, user, formatAddress(this.host, this.port), status.error);
		this.emit('error', {message});
		this.#stop(message);
	}

	/** An account reason to refuse connect (§11): answered here; false for any other refusal. */
	#onAccountRefusal(status: Status): boolean {
		const step = afterRefusal(this.#loginContext(), this.user, this.#sent, {code: status.code, retry: status.retry, registered: status.registered, features: this.#features});
		if (step.kind === 'not-account') return false;
		if (step.forgetToken) this.#forgetToken();
		switch (step.kind) {
			case 'send':
				this.#sendConnect(step.credential, 'password');
				return true;
			case 'guest':
				this.#sendConnect(undefined, 'none');
				return true;
			case 'check-name':
				this.#sendConnect(undefined, 'after-refused-token');
				return true;
			case 'prompt': {
				const typed = this.#typedPassword;
				this.#typedPassword = undefined;
				if (typed !== undefined && status.code === 'auth-required') {
					this.#sendConnect({password: typed}, 'typed-password');
					return true;
				}

				this.#awaitingPassword = true;
				this.emit('passwordNeeded', {notice: step.notice});
				return true;
			}

			case 'stop':
				this.emit('error', {message: step.message});
				this.#stop(step.message);
				return true;
			default: {
				const unknown: never = step;
				throw new Error(`unknown login step ${String(unknown)}`);
			}
		}
	}

	#accountCommand(action: AccountAction, command: Command): void {
		const refuse = (message: string) => {
			this.#later(() => this.emit('account', {action, ok: false, message}));
		};

		if (this.#state !== 'connected') return refuse(`/${action}: not connected; try again once connected`);
		if (!this.#features.has('accounts')) return refuse(`/${action}: this server does not offer accounts (nothing was sent)`);
		if (this.#login?.transport === 'insecure-tls' && action !== 'logout') return refuse(`/${action}: a password is never sent with --insecure (the server's certificate is not checked); nothing was sent`);
		if (action !== 'register' && !this.#loggedIn) return refuse(`/${action}: you are not logged in to an account`);
		this.#outbound.write(command, {cmd: action});
	}

	#onAccountStatus(action: AccountAction, status: Status): void {
		if (!status.success) {
			this.emit('account', {action, ok: false, message: `/${action} refused: ${status.error}`});
			return;
		}

		const messages = {
			register: status.token !== undefined && this.#login?.tokens !== undefined
				? `${this.user} is now your account, and this terminal stays logged in to it; anywhere else the server asks for its password when you connect as ${this.user}`
				: `${this.user} is now your account: the server will ask for its password when you connect as ${this.user}`,
			logout: status.closing
				? 'logged out: this server admits accounts only, so it closes the connection, and the saved login is forgotten'
				: `logged out: you are ${this.user} as a guest, and the saved login is forgotten`,
			password: 'password changed: every other saved login of this account has stopped working',
		} as const satisfies Record<AccountAction, string>;
		if (action === 'logout') {
			this.#closesAfterLogout = status.closing === true;
			this.#loggedIn = false;
			this.#forgetToken();
		} else {
			this.#loggedIn = true;
			if (status.token !== undefined) this.#saveToken(status.token);
		}

		this.#roster.setAccount(this.user, this.#loggedIn);
		this.emit('roster', {users: this.#roster.names(), complete: this.#roster.complete, source: 'refresh', conversation: LOBBY});

		this.emit('account', {action, ok: true, message: messages[action]});
	}

	/** A token store that cannot be written costs a prompt next time, never the chat. */
	#saveToken(token: string): void {
		try {
			this.#login?.tokens?.save(this.user, token);
		} catch (error) {
			this.#warn((error as Error).message);
		}
	}

	#forgetToken(): void {
		try {
			this.#login?.tokens?.forget(this.user);
		} catch (error) {
			this.#warn((error as Error).message);
		}
	}

	// ---- outbound -------------------------------------------------------------

	#scheduleRefresh(): void {
		this.#timers.clear('refresh');
		if (this.#refreshIntervalMs <= 0 || this.#dialect !== 'codechat' || this.#state !== 'connected') return;
		this.#timers.set('refresh', () => {
			// Only while idle: a busy connection is alive, and the probe would wait behind the queue.
			if (this.#replies.size > 0) {
				this.#scheduleRefresh();
				return;
			}

			this.#outbound.write({cmd: 'get-clients'}, {cmd: 'get-clients', source: 'refresh', sentAt: this.#clock.now()});
		}, this.#refreshIntervalMs);
	}

	// ---- helpers --------------------------------------------------------------

	#warn(message: string): void {
		this.#warnings.warn(message);
	}

	/**
	 * Emits after the current call returns (send() must hand back its localId
	 * first). A microtask, not a timer: close() clears the timers, and an event
	 * already decided, such as a refusal, must still be told.
	 */
	#later(callback: () => void): void {
		queueMicrotask(callback);
	}
}
