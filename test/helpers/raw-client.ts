// A raw TCP client for tests: sends bytes exactly as given, decodes what the
// server sends with the real FrameDecoder, and offers awaitable helpers.
//
// Received items sit in an inbox until a test takes them. `nextFrame()` takes
// the oldest frame; `nextStatus()` takes the oldest status and leaves events
// where they are; `nextEvent()` does the reverse. So a test can await a status
// and then look at events that arrived before it, or the other way round.
//
//   const alice = await connectRaw(server.port);
//   alice.sendFrame({cmd: 'connect', username: 'alice'});
//   await alice.expectStatus(true, 'welcome');
import net from 'node:net';
import {FrameDecoder, type DecodedItem} from '../../source/protocol/decoder.js';
import type {StatusFrame} from '../../source/protocol/types.js';

export type Frame = Record<string, unknown>;
type Waiter = {
	take: (item: DecodedItem) => boolean;
	resolve: (item: DecodedItem) => void;
};

/** Default wait for anything to arrive; generous for a loaded 2-core machine. */
export const DEFAULT_WAIT_MS = 15_000;

const open = new Set<RawClient>();

export function isStatus(frame: Frame): frame is Frame & StatusFrame {
	return typeof frame.success === 'boolean';
}

export class RawClient {
	readonly socket: net.Socket;
	/** Items received and not yet taken, oldest first. */
	readonly inbox: DecodedItem[] = [];
	/** Every item ever received, in order (taken ones too). */
	readonly received: DecodedItem[] = [];
	/** Resolves when the socket has closed, whatever the cause. */
	readonly closed: Promise<void>;
	/** Set when the socket has closed. */
	isClosed = false;
	/** The socket error, if one happened (e.g. ECONNRESET). */
	error: Error | undefined;

	readonly #decoder: FrameDecoder;
	readonly #waiters = new Set<Waiter>();

	constructor(socket: net.Socket, maxFrameBytes = 1024 * 1024) {
		this.socket = socket;
		this.#decoder = new FrameDecoder({maxFrameBytes});
		socket.on('data', (chunk: Buffer) => {
			this.#decoder.push(chunk, item => this.#receive(item));
		});
		socket.on('error', error => {
			this.error = error;
		});
		this.closed = new Promise(resolve => {
			socket.on('close', () => {
				this.isClosed = true;
				open.delete(this);
				resolve();
			});
		});
		open.add(this);
	}

	/** Sends a string (UTF-8) or bytes exactly as given. */
	send(data: string | Uint8Array): void {
		this.socket.write(data);
	}

	/** Sends one object as a JSON line. */
	sendFrame(frame: Frame): void {
		this.send(JSON.stringify(frame) + '\n');
	}

	/** Sends `data` one byte per write, each write flushed before the next. */
	async sendByteByByte(data: string | Uint8Array): Promise<void> {
		const bytes = typeof data === 'string' ? Buffer.from(data) : data;
		for (const byte of bytes) {
			await new Promise<void>((resolve, reject) => {
				this.socket.write(Uint8Array.of(byte), error => (error ? reject(error) : resolve()));
			});
		}
	}

	/** Takes the oldest received item of any type. */
	async nextItem(timeoutMs = DEFAULT_WAIT_MS): Promise<DecodedItem> {
		return this.#take(() => true, 'any item', timeoutMs);
	}

	/** Takes the oldest item, which must be a frame (status or event). */
	async nextFrame(timeoutMs = DEFAULT_WAIT_MS): Promise<Frame> {
		return frameOf(await this.nextItem(timeoutMs));
	}

	/** Takes the oldest status, leaving events in the inbox. */
	async nextStatus(timeoutMs = DEFAULT_WAIT_MS): Promise<StatusFrame> {
		const item = await this.#take(item => item.type === 'frame' && isStatus(item.frame), 'a status', timeoutMs);
		return frameOf(item) as StatusFrame;
	}

	/** Takes the oldest event (optionally of one `cmd`), leaving statuses and other events. */
	async nextEvent(cmd?: string, timeoutMs = DEFAULT_WAIT_MS): Promise<Frame> {
		const item = await this.#take(
			item => item.type === 'frame' && typeof item.frame.cmd === 'string' && (cmd === undefined || item.frame.cmd === cmd),
			cmd ? `a "${cmd}" event` : 'an event',
			timeoutMs,
		);
		return frameOf(item);
	}

	/**
	 * Takes the oldest status and checks it: `success` as given, all three keys
	 * present with the right types, and, when `text` is given, `error-msg`
	 * (failure) or `success-msg` (success) containing it or matching it.
	 */
	async expectStatus(success: boolean, text?: string | RegExp, timeoutMs = DEFAULT_WAIT_MS): Promise<StatusFrame> {
		const status = await this.nextStatus(timeoutMs);
		const problem = statusShapeProblem(status);
		if (problem) throw new Error(`${problem}: ${JSON.stringify(status)}`);
		if (status.success !== success) throw new Error(`expected success=${success}, got ${JSON.stringify(status)}`);
		const message = success ? status['success-msg'] : status['error-msg'];
		if (text !== undefined) {
			const matches = typeof text === 'string' ? message.includes(text) : text.test(message);
			if (!matches) throw new Error(`expected ${String(text)} in ${JSON.stringify(status)}`);
		}

		return status;
	}

	/** Events currently in the inbox (not taken), without waiting. */
	pendingEvents(): Frame[] {
		return this.inbox.flatMap(item => (item.type === 'frame' && !isStatus(item.frame) ? [item.frame] : []));
	}

	/**
	 * A round trip: sends `get-clients` and takes its status. Whatever the
	 * server wrote to this client before answering is in the inbox afterwards,
	 * so a test can then assert that an event did *not* arrive. Take every
	 * earlier status first, or this takes one of those instead.
	 */
	async sync(timeoutMs = DEFAULT_WAIT_MS): Promise<StatusFrame> {
		this.sendFrame({cmd: 'get-clients'});
		return this.nextStatus(timeoutMs);
	}

	/** Waits until the socket closes; throws if it is still open after `timeoutMs`. */
	async waitClosed(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
		await withTimeout(this.closed, timeoutMs, 'the socket to close');
	}

	/** Half-closes (FIN); the server may still answer. */
	end(): void {
		this.socket.end();
	}

	/** Closes at once (FIN, or RST if unread data). */
	destroy(): void {
		this.socket.destroy();
	}

	/** Aborts with a TCP RST. */
	reset(): void {
		this.socket.resetAndDestroy();
	}

	#receive(item: DecodedItem): void {
		this.received.push(item);
		for (const waiter of this.#waiters) {
			if (waiter.take(item)) {
				this.#waiters.delete(waiter);
				waiter.resolve(item);
				return;
			}
		}

		this.inbox.push(item);
	}

	async #take(take: (item: DecodedItem) => boolean, what: string, timeoutMs: number): Promise<DecodedItem> {
		const index = this.inbox.findIndex(take);
		if (index >= 0) return this.inbox.splice(index, 1)[0]!;
		if (this.isClosed) throw new Error(`waiting for ${what}, but the socket is closed`);
		let waiter!: Waiter;
		const arrived = new Promise<DecodedItem>(resolve => {
			waiter = {take, resolve};
			this.#waiters.add(waiter);
		});
		const closedFirst = this.closed.then(async () => {
			// Let items that came with the last chunk reach their waiter first.
			await new Promise(resolve => setImmediate(resolve));
			throw new Error(`waiting for ${what}, but the socket closed`);
		});
		try {
			return await withTimeout(Promise.race([arrived, closedFirst]), timeoutMs, what);
		} finally {
			this.#waiters.delete(waiter);
			closedFirst.catch(() => {});
		}
	}
}

function frameOf(item: DecodedItem): Frame {
	if (item.type !== 'frame') throw new Error(`expected a frame, got ${JSON.stringify(item)}`);
	return item.frame;
}

/** Why a status lacks the seed's shape, or undefined when all three keys are there with their types. */
export function statusShapeProblem(frame: Frame): string | undefined {
	if (typeof frame.success !== 'boolean') return 'status without a boolean "success"';
	if (typeof frame['error-msg'] !== 'string') return 'status without a string "error-msg"';
	if (typeof frame['success-msg'] !== 'string') return 'status without a string "success-msg"';
	return undefined;
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** Opens a raw client to `port` on 127.0.0.1 (or `host`). */
export async function connectRaw(port: number, host = '127.0.0.1'): Promise<RawClient> {
	const socket = net.connect({port, host});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('error', reject);
	});
	return new RawClient(socket);
}

/** Opens a raw client and connects it as `username`, expecting success. */
export async function connectUser(port: number, username: string): Promise<RawClient> {
	const client = await connectRaw(port);
	client.sendFrame({cmd: 'connect', username});
	await client.expectStatus(true);
	return client;
}

/** Destroys every raw client still open (for afterEach). */
export async function closeRawClients(): Promise<void> {
	const clients = [...open];
	for (const client of clients) client.destroy();
	await Promise.all(clients.map(async client => client.closed));
}
