// `--redis URL`: the log in Redis, shared by every node. Seqs are assigned
// inside a Lua script, so a room has one order across the cluster; `history`
// is read from Redis, so any node answers it. While Redis is unreachable,
// appends and reads fail at once with `unavailable` (nothing is queued
// offline, which would break the order).
import {fingerprint, newEpoch} from './epoch.js';
import {buildPage, type LogBounds} from './history-page.js';
import {encodeMessageEvent, joinWithinBudget, roomAllowanceBytes, type MessageEvent} from './message-event.js';
import {
	clampLimit,
	DEFAULT_HISTORY_PER_CONVERSATION,
	ID_WINDOW_MS,
	StoreError,
	type AppendOutcome,
	type EncodedHistoryPage,
	type HistoryPage,
	type HistoryQuery,
	type MessageLog,
	type NewMessage,
	type StoredMessage,
} from './message-log.js';
import {APPEND_ACTION, APPEND_HAS_ID, APPEND_SCRIPT, conversationKeys, OPEN_SCRIPT} from './redis-log-scripts.js';
import {connectStoreRedis, isCluster, type RedisClient} from './redis-connect.js';
import {ReplicaWait} from './redis-replica-wait.js';
import {SeenSeqs} from './redis-seen-seqs.js';
import {withDefaults} from './with-defaults.js';

/** Publishing each stored message's event from inside the append script (the cluster hub's room channels, sharded pub/sub). */
export type RedisAnnounce = {
	/** The channel of a conversation; it must share the conversation's `{hash tag}`. */
	channel(conversation: string): string;
	/** Bytes put before each frame, e.g. the sending node's id. */
	header: string;
	/** The `room` field of the published event for a conversation; undefined leaves it out. */
	room(conversation: string): string | undefined;
};

export type RedisLogOptions = {
	/** Prefix of every key. @default 'codechat:' */
	prefix: string;
	perConversation: number;
	/** How long an id is kept. @default 10 minutes */
	idTtlMs: number;
	/** A Redis call taking longer fails with `unavailable`. @default 2000 */
	commandTimeoutMs: number;
	/** How long `connect` waits for Redis. @default 5000 */
	startTimeoutMs: number;
	/** The `retry` (seconds) given with `unavailable`. @default 2 */
	retrySeconds: number;
	announce?: RedisAnnounce;
	/** On a Redis Cluster, how long an append waits for a replica (`WAIT 1 N`) before failing `unavailable`. @default 500 */
	replicaTimeoutMs: number;
	/** What this node has seen of each log (the hub adds the messages other nodes published); its own when omitted. */
	seen?: SeenSeqs;
};

const DEFAULTS: Omit<RedisLogOptions, 'announce' | 'seen'> = {
	replicaTimeoutMs: 500,
	prefix: 'codechat:',
	perConversation: DEFAULT_HISTORY_PER_CONVERSATION,
	idTtlMs: ID_WINDOW_MS,
	commandTimeoutMs: 2000,
	startTimeoutMs: 5000,
	retrySeconds: 2,
};

type Entry = [id: string, fields: string[]];
/** The seqs lo..hi, both included. */
type Span = {lo: number; hi: number};
/** A stored value of the format before blocks: [time, user, msg, id or null, 1 for an action]. */
type StoredValue = [number, string, string, (string | null)?, 1?];
/** One message read from the stream: a frame of a block (with the block's epoch and room field), or an entry of the format before blocks. */
type Row = {seq: number; frame: string; epoch: string; roomPart: string} | {seq: number; value: string};
/** EXEC's reply: one [error, result] per queued command. */
type Replies = Array<[Error | null, unknown]>;
type ScriptCall = (...args: Array<string | number>) => Promise<unknown>;

export class RedisLog implements MessageLog {
	readonly kind = 'redis';
	readonly #redis: RedisClient;
	readonly #owned: boolean;
	readonly #options: RedisLogOptions;
	readonly #appendScript: ScriptCall;
	readonly #openScript: ScriptCall;
	readonly #seen: SeenSeqs;
	/** Only on a Redis Cluster: a single server has no replica to wait for. */
	readonly #replicas: ReplicaWait | undefined;
	#closed = false;

	private constructor(redis: RedisClient, owned: boolean, options: Partial<RedisLogOptions>) {
		this.#redis = redis;
		this.#owned = owned;
		this.#options = withDefaults<RedisLogOptions>(DEFAULTS, options);
		// defineCommand runs EVALSHA and loads the script with EVAL when Redis does not know it (e.g. after a restart).
		redis.defineCommand('codechatLogAppend', {lua: APPEND_SCRIPT});
		redis.defineCommand('codechatLogOpen', {lua: OPEN_SCRIPT});
		const commands = redis as unknown as Record<string, ScriptCall>;
		this.#appendScript = commands.codechatLogAppend.bind(redis);
		this.#openScript = commands.codechatLogOpen.bind(redis);
		this.#seen = options.seen ?? new SeenSeqs();
		const {replicaTimeoutMs, retrySeconds} = this.#options;
		this.#replicas = isCluster(redis) ? new ReplicaWait(redis, {timeoutMs: replicaTimeoutMs, retrySeconds}) : undefined;
	}

	/** Loads ioredis, connects its own client and waits until Redis answers. */
	static async connect(url: string, options: Partial<RedisLogOptions> = {}): Promise<RedisLog> {
		const redis = await connectStoreRedis(url, 'codechat-log', withDefaults<RedisLogOptions>(DEFAULTS, options));
		return new RedisLog(redis, true, options);
	}

	/** Uses a client someone else owns (e.g. the hub's, so its publishes share one ordered connection); close() leaves it open. */
	static using(redis: RedisClient, options: Partial<RedisLogOptions> = {}): RedisLog {
		return new RedisLog(redis, false, options);
	}

	async append(messages: readonly NewMessage[]): Promise<AppendOutcome[]> {
		this.#checkOpen();
		// One script per conversation and block: its keys share one slot. Issued together, so
		// they pipeline; the connection keeps their order, so replies come in seq order.
		const groups = new Map<string, number[]>();
		messages.forEach((message, index) => {
			const group = groups.get(message.conversation);
			if (group) group.push(index);
			else groups.set(message.conversation, [index]);
		});
		const outcomes = new Array<AppendOutcome>(messages.length);
		await Promise.all(
			[...groups.values()].flatMap(indexes => blocksOf(indexes, index => messages[index]!)).map(async indexes => {
				const results = await this.#appendGroup(messages[indexes[0]!]!.conversation, indexes.map(index => messages[index]!));
				indexes.forEach((index, position) => {
					outcomes[index] = results[position];
				});
			}),
		);
		// Once per master for the whole call (the hub's TickLog makes it one call per event-loop turn).
		await this.#replicas?.confirm([...groups.keys()].map(conversation => conversationKeys(this.#options.prefix, conversation).log));
		return outcomes;
	}

	async history(conversation: string, query: HistoryQuery, limit?: number): Promise<HistoryPage> {
		const {bounds, rows} = await this.#read(conversation, query, limit);
		return buildPage(conversation, query, rows.map(row => storedMessage(row, bounds.epoch)), bounds);
	}

	/** A block's frames are the events as published: spliced into the reply as they are while its epoch and room field are the log's and the asker's. */
	async encodedHistory(conversation: string, query: HistoryQuery, room: string | undefined, limit?: number): Promise<EncodedHistoryPage> {
		const {bounds, rows} = await this.#read(conversation, query, limit);
		if (rows.length === 0) return {...bounds, count: 0, messages: Buffer.alloc(0), more: false};
		const roomPart = room === undefined ? '' : `,"room":${JSON.stringify(room)}`;
		const epochJson = JSON.stringify(bounds.epoch);
		const lines = Buffer.from(rows.map(row => eventLine(row, bounds.epoch, epochJson, room, roomPart)).join('\n'));
		const forward = query.after !== undefined;
		const {messages, count} = joinWithinBudget(lines, !forward, Buffer.byteLength(roomPart), roomAllowanceBytes(conversation));
		const kept = forward ? rows[count - 1]! : rows[rows.length - count]!;
		const more = forward ? kept.seq < bounds.last : kept.seq > bounds.first;
		return {...bounds, count, messages, more};
	}

	async drop(conversation: string): Promise<void> {
		this.#checkOpen();
		const keys = conversationKeys(this.#options.prefix, conversation);
		// Ids are left to expire: they name the old epoch, which the scripts no longer match.
		await this.#call(async () => this.#redis.del(keys.log, keys.stream));
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#owned) this.#redis.disconnect();
	}

	/**
	 * The log's bounds and the messages a query asks for, in seq order (before
	 * the size budget). A block's entry id is its last seq, so the entries
	 * holding seqs lo..hi are those with ids in lo..hi and the first one past
	 * hi. The seqs wanted depend on the log's bounds, which are read in the
	 * same MULTI: `after` and `before` guess them (first 1, no last), the
	 * newest page takes the newest seq this node has seen as the last. When a
	 * guess was wrong (`after` below the oldest kept message, `before` past
	 * the last, messages this node has not seen yet) it reads again from the
	 * bounds it read. Appends in between may move them on: the newest page
	 * then keeps its span and says the last seq it holds; `after` reads a
	 * wider span each time, so a floor moving fast cannot outrun it.
	 */
	async #read(conversation: string, query: HistoryQuery, limit: number | undefined): Promise<{bounds: LogBounds; rows: Row[]}> {
		this.#checkOpen();
		const keys = conversationKeys(this.#options.prefix, conversation);
		const count = clampLimit(limit);
		let known: LogBounds | undefined;
		let slack = 0;
		for (;;) {
			const span = wantedSpan(query, count, known ?? this.#guessedBounds(conversation, query), slack);
			const read = this.#redis.multi().hmget(keys.log, 'epoch', 'last', 'floor');
			const reading = span !== undefined && span.hi >= span.lo;
			if (reading) read.xrange(keys.stream, String(span.lo), String(span.hi)).xrange(keys.stream, String(span.hi + 1), '+', 'COUNT', 1);
			const [head, within = [], past = []] = await this.#exec<[[string | null, string | null, string | null], Entry[]?, Entry[]?]>(read);
			const [epoch, lastText, floorText] = head;
			if (epoch === null) {
				// A new log: fix its epoch now, so its first message keeps the one this reply gives.
				await this.#call(async () => this.#openScript(2, keys.log, keys.stream, newEpoch()));
				known = undefined;
				continue;
			}

			const last = Number(lastText);
			this.#seen.note(conversation, epoch, last);
			const floor = floorText === null ? await this.#oldestSeq(keys.stream, last) : Number(floorText);
			const bounds: LogBounds = {epoch, first: last === 0 ? 0 : Math.max(1, floor), last};
			if (known !== undefined && known.epoch !== epoch) {
				known = undefined;
				continue;
			}

			const wanted = span === undefined ? undefined : wantedSpan(query, count, bounds, 0)!;
			// What was read of what is wanted: on a second read, the span read (its bounds may have moved on since).
			const range = span && (known === undefined ? wanted! : {lo: Math.max(span.lo, bounds.first), hi: Math.min(span.hi, last)});
			const nothingWanted = wanted !== undefined && wanted.hi < wanted.lo;
			if (!span || !(nothingWanted || (reading && range!.lo <= range!.hi && range!.lo >= span.lo && range!.hi <= span.hi))) {
				if (known !== undefined && query.after !== undefined) slack = Math.max(count, slack * 2);
				known = bounds;
				continue;
			}

			if (nothingWanted) return {bounds, rows: []};
			if (known !== undefined && query.after === undefined) bounds.last = range!.hi;
			const rows = rowsWithin([...within, ...past], range!.lo, range!.hi);
			return {bounds, rows: rows.length > count ? rows.slice(0, count) : rows};
		}
	}

	/** The oldest seq of a log only earlier versions wrote (one entry per message, under its seq; its hash has no floor). */
	async #oldestSeq(stream: string, last: number): Promise<number> {
		const [oldest] = await this.#exec<[Entry[]]>(this.#redis.multi().xrange(stream, '-', '+', 'COUNT', 1));
		return oldest.length > 0 ? Number.parseInt(oldest[0]![0], 10) : last + 1;
	}

	/** Runs a MULTI and gives its commands' results; any command's error is the log being unavailable. */
	async #exec<T extends unknown[]>(multi: ReturnType<RedisClient['multi']>): Promise<T> {
		const replies = (await this.#call(async () => multi.exec())) as Replies;
		const failed = replies.find(([error]) => error);
		if (failed) throw this.#unavailable(failed[0]);
		return replies.map(([, result]) => result) as T;
	}

	/** The newest page's guess: the newest seq seen here is the last (the hub notes every message the channel brings). */
	#guessedBounds(conversation: string, query: HistoryQuery): LogBounds | undefined {
		if (query.after !== undefined || query.before !== undefined) return undefined;
		const seen = this.#seen.of(conversation);
		return seen && {epoch: seen.epoch, first: 1, last: seen.seq};
	}

	async #appendGroup(conversation: string, messages: NewMessage[]): Promise<AppendOutcome[]> {
		const {prefix, perConversation, idTtlMs, announce} = this.#options;
		const keys = conversationKeys(prefix, conversation);
		const room = announce?.room(conversation);
		const idKeys: string[] = [];
		const perMessage: string[] = [];
		let kinds = '';
		for (const message of messages) {
			perMessage.push(JSON.stringify(message.user), JSON.stringify(message.msg));
			let kind = message.action ? APPEND_ACTION : 0;
			if (message.id !== undefined) {
				kind += APPEND_HAS_ID;
				idKeys.push(keys.id(message.id));
				perMessage.push(JSON.stringify(message.id), fingerprint(message.user, message.msg));
			}

			kinds += String(kind);
		}

		const seen = this.#seen.of(conversation);
		const roomPart = room === undefined ? '' : `,"room":${JSON.stringify(room)}`;
		const args = [2 + idKeys.length, keys.log, keys.stream, ...idKeys, newEpoch(), perConversation, idTtlMs, announce?.channel(conversation) ?? '', announce?.header ?? '', seen?.epoch ?? '', seen?.seq ?? 0, roomPart, kinds, ...perMessage];
		const reply = (await this.#call(async () => this.#appendScript(...args))) as [string, number, ...number[]];
		const epoch = reply[0];
		const time = reply[1];
		let at = 2;
		let newest = 0;
		const outcomes = messages.map((): AppendOutcome => {
			const code = reply[at++] as number;
			if (code > 0) {
				newest = code;
				return {outcome: 'stored', seq: code, epoch, time};
			}

			if (code === 0) return {outcome: 'conflict'};
			newest = Math.max(newest, -code);
			return {outcome: 'duplicate', seq: -code, epoch, time: reply[at++] as number};
		});
		if (newest > 0) this.#seen.note(conversation, epoch, newest);
		return outcomes;
	}

	async #call<T>(run: () => Promise<T>): Promise<T> {
		try {
			return await run();
		} catch (error) {
			throw this.#unavailable(error);
		}
	}

	#unavailable(error: unknown): StoreError {
		return new StoreError('unavailable', `the message log in Redis is unreachable (${(error as Error).message})`, {cause: error, retry: this.#options.retrySeconds});
	}

	#checkOpen(): void {
		if (this.#closed) throw new StoreError('closed', 'the message log is closed');
	}
}

/**
 * A block holds at most this many messages and about this much text: a
 * history read fetches the whole blocks at the ends of its span, so a burst
 * is stored as several blocks rather than one of any size.
 */
export const BLOCK_MAX_MESSAGES = 256;
export const BLOCK_MAX_CHARS = 64 * 1024;

/** One conversation's messages (in order) cut into blocks. */
function blocksOf(indexes: readonly number[], message: (index: number) => NewMessage): number[][] {
	const blocks: number[][] = [];
	let block: number[] = [];
	let chars = 0;
	for (const index of indexes) {
		const {user, msg} = message(index);
		if (block.length > 0 && (block.length === BLOCK_MAX_MESSAGES || chars + user.length + msg.length > BLOCK_MAX_CHARS)) {
			blocks.push(block);
			block = [];
			chars = 0;
		}

		block.push(index);
		chars += user.length + msg.length;
	}

	if (block.length > 0) blocks.push(block);
	return blocks;
}

/** Which seqs a query wants of a log with these bounds (`after`: `slack` more); undefined bounds are guessed as first 1 and no last, which the newest page cannot do. */
function wantedSpan(query: HistoryQuery, count: number, bounds: LogBounds | undefined, slack: number): Span | undefined {
	const first = bounds?.first ?? 1;
	const last = bounds?.last ?? Infinity;
	if (query.after !== undefined) {
		const lo = Math.max(Math.floor(query.after) + 1, first, 1);
		return {lo, hi: Math.min(lo + count - 1 + slack, last)};
	}

	if (query.before === undefined && bounds === undefined) return undefined;
	const hi = query.before === undefined ? last : Math.min(Math.floor(query.before) - 1, last);
	return {lo: Math.max(hi - count + 1, first, 1), hi};
}

function fieldsOf([, fields]: Entry): {frames?: string; epoch?: string; roomPart?: string; value?: string} {
	const found: {frames?: string; epoch?: string; roomPart?: string; value?: string} = {};
	for (let index = 0; index + 1 < fields.length; index += 2) {
		const value = fields[index + 1]!;
		switch (fields[index]) {
			case 'f': found.frames = value; break;
			case 'e': found.epoch = value; break;
			case 'r': found.roomPart = value; break;
			case 'v': found.value = value; break;
			default: break;
		}
	}

	return found;
}

/** The messages of these entries (in id order) whose seqs are lo..hi. */
function rowsWithin(entries: readonly Entry[], lo: number, hi: number): Row[] {
	const rows: Row[] = [];
	for (const entry of entries) {
		const seq = Number.parseInt(entry[0], 10);
		const {frames, epoch, roomPart, value} = fieldsOf(entry);
		if (frames === undefined) {
			if (value !== undefined && seq >= lo && seq <= hi) rows.push({seq, value});
			continue;
		}

		const lines = frames.split('\n');
		lines.pop();
		const firstSeq = seq - lines.length + 1;
		lines.forEach((frame, index) => {
			const frameSeq = firstSeq + index;
			if (frameSeq >= lo && frameSeq <= hi) rows.push({seq: frameSeq, frame, epoch: epoch ?? '', roomPart: roomPart ?? ''});
		});
	}

	return rows;
}

/** A message as history() gives it, under the log's epoch now (a failover's new epoch keeps the old entries). */
function storedMessage(row: Row, epoch: string): StoredMessage {
	const [time, user, msg, id, action] = 'frame' in row ? fromFrame(row.frame) : (JSON.parse(row.value) as StoredValue);
	const message: StoredMessage = {seq: row.seq, epoch, time, user, msg};
	if (typeof id === 'string') message.id = id;
	if (action === 1) message.action = true;
	return message;
}

function fromFrame(frame: string): StoredValue {
	const event = JSON.parse(frame) as MessageEvent;
	return [event.time, event.user, event.msg, event.id ?? null, event.action ? 1 : undefined];
}

/** A row's event JSON as encodeMessageEvent() writes it, without the newline. */
function eventLine(row: Row, epoch: string, epochJson: string, room: string | undefined, roomPart: string): string {
	if (!('frame' in row)) return valueEventLine(row.seq, row.value, epochJson, roomPart);
	if (row.epoch === epoch && row.roomPart === roomPart) return row.frame;
	return encodeMessageEvent(storedMessage(row, epoch), room).slice(0, -1);
}

/**
 * An entry of the format before blocks as its event's JSON: the stored
 * value `[time,"user","msg"(,"id"|null(,1))]` is cut at its string
 * boundaries and its pieces put in the event's order.
 */
function valueEventLine(seq: number, value: string, epochJson: string, roomPart: string): string {
	const timeEnd = value.indexOf(',');
	const userEnd = jsonStringEnd(value, timeEnd + 1);
	const msgEnd = jsonStringEnd(value, userEnd + 1);
	let idPart = '';
	let at = msgEnd;
	if (value[at] === ',') {
		if (value.startsWith('null', at + 1)) at += 5;
		else {
			const idEnd = jsonStringEnd(value, at + 1);
			idPart = `,"id":${value.slice(at + 1, idEnd)}`;
			at = idEnd;
		}
	}

	// What follows is `,1]` for an action, `]` otherwise.
	const end = value[at] === ',' ? ACTION_END : '}';
	return `{"cmd":"message","user":${value.slice(timeEnd + 1, userEnd)},"msg":${value.slice(userEnd + 1, msgEnd)},"seq":${seq},"epoch":${epochJson},"time":${value.slice(1, timeEnd)}${idPart}${roomPart}${end}`;
}

const ACTION_END = ',"action":true}';

/** The index just past the JSON string whose opening quote is at `start`. */
function jsonStringEnd(text: string, start: number): number {
	let quote = text.indexOf('"', start + 1);
	for (;;) {
		let backslashes = 0;
		while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
		if (backslashes % 2 === 0) return quote + 1;
		quote = text.indexOf('"', quote + 1);
	}
}

const BACKSLASH = 0x5c;
