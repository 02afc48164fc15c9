// One server fuzz run, shared by the short test and the stress variant:
// several connections pour generated frames (fuzz-frames.ts) into one
// in-process server while a well-behaved sender talks to a well-behaved
// observer. Returns what each side saw; the tests assert on it.
import net from 'node:net';
import {FrameDecoder} from '../../source/protocol/decoder.js';
import type {ChatServer} from '../../source/server/server.js';
import {connectUser, isStatus, type RawClient} from '../helpers/raw-client.js';
import {waitUntil} from '../helpers/server.js';
import {fuzzLine, randomChunks, seededRandom, type FuzzLine} from './fuzz-frames.js';

export type FuzzOptions = {
	server: ChatServer;
	/** Total generated frames, split evenly over the connections. */
	frames: number;
	connections: number;
	seed: number;
	/** Messages the well-behaved sender sends during the run. */
	senderMessages: number;
	/** How long to wait for every status. */
	timeoutMs: number;
};

export type StatusSeen = {success: boolean; error: string};

/** A fuzzing connection: writes bytes, counts what comes back. Lighter than RawClient for 100k frames. */
export class FuzzConnection {
	readonly statuses: StatusSeen[] = [];
	events = 0;
	/** Frames from the server that were neither status nor event, or bad frames: must stay 0. */
	oddities = 0;
	closed = false;
	readonly #decoder = new FrameDecoder({maxFrameBytes: 1024 * 1024});

	constructor(readonly socket: net.Socket, readonly lines: FuzzLine[]) {
		socket.on('data', (chunk: Buffer) => {
			this.#decoder.push(chunk, item => {
				if (item.type !== 'frame') this.oddities++;
				else if (isStatus(item.frame)) this.statuses.push({success: item.frame.success, error: String(item.frame['error-msg'])});
				else if (typeof item.frame.cmd === 'string') this.events++;
				else this.oddities++;
			});
		});
		socket.on('error', () => {});
		socket.on('close', () => {
			this.closed = true;
		});
	}

	/** Writes `chunks` in order, waiting for 'drain' when the socket pushes back. */
	async write(chunks: Buffer[]): Promise<void> {
		for (const chunk of chunks) {
			if (this.closed) return;
			if (!this.socket.write(chunk)) {
				await new Promise<void>(resolve => {
					const done = () => {
						this.socket.off('drain', done);
						this.socket.off('close', done);
						resolve();
					};

					this.socket.on('drain', done);
					this.socket.on('close', done);
				});
			}
		}
	}
}

export type FuzzResult = {
	connections: FuzzConnection[];
	observer: RawClient;
	sender: RawClient;
	/** Items the reference decoder makes of each connection's bytes, cut the same way. */
	decodedItems: number[];
	/** Messages the observer got from the sender, in arrival order. */
	fromSender: string[];
	/** Every message event the observer got. */
	messagesObserved: number;
	/** Fuzz `msg` lines whose status was a success: each was broadcast to the observer. */
	messagesAccepted: number;
	elapsedMs: number;
};

async function openSocket(port: number): Promise<net.Socket> {
	const socket = net.connect({port, host: '127.0.0.1'});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('error', reject);
	});
	return socket;
}

export async function runServerFuzz(options: FuzzOptions): Promise<FuzzResult> {
	const {server} = options;
	const started = performance.now();
	const observer = await connectUser(server.port, 'observer');
	const sender = await connectUser(server.port, 'sender');

	const perConnection = Math.ceil(options.frames / options.connections);
	const plans = Array.from({length: options.connections}, (_, index) => {
		const random = seededRandom(options.seed + index);
		const lines = Array.from({length: perConnection}, () => fuzzLine(random));
		const chunks = randomChunks(Buffer.concat(lines.map(line => line.bytes)), random);
		return {lines, chunks};
	});

	// The oracle: what the protocol's own decoder makes of the same bytes, cut the same way.
	const decodedItems = plans.map(({chunks}) => {
		const decoder = new FrameDecoder({maxFrameBytes: server.options.maxFrameBytes});
		let items = 0;
		for (const chunk of chunks) decoder.push(chunk, () => items++);
		return items;
	});

	const connections = await Promise.all(plans.map(async ({lines}) => new FuzzConnection(await openSocket(server.port), lines)));

	// The well-behaved pair talks all through the fuzzing.
	let fuzzing = true;
	const talk = (async () => {
		for (let k = 0; k < options.senderMessages; k++) {
			sender.sendFrame({cmd: 'msg', msg: `seq-${k}`});
			// Spread over the run while it lasts; then the rest back to back.
			if (fuzzing && k % 10 === 9) await new Promise(resolve => setTimeout(resolve, 5));
		}
	})();

	await Promise.all(connections.map(async (connection, index) => connection.write(plans[index]!.chunks)));
	fuzzing = false;
	await talk;

	await waitUntil(
		() => connections.every(connection => connection.closed || connection.statuses.length >= connection.lines.length),
		options.timeoutMs,
		'a status for every fuzz frame',
	);
	for (let k = 0; k < options.senderMessages; k++) {
		await sender.expectStatus(true, 'sent', options.timeoutMs);
	}

	let messagesAccepted = 0;
	for (const connection of connections) {
		connection.lines.forEach((line, index) => {
			if (line.isMessage && connection.statuses[index]?.success) messagesAccepted++;
		});
	}

	const messageFrames = () => observer.received.filter(item => item.type === 'frame' && item.frame.cmd === 'message');
	await waitUntil(() => messageFrames().length >= messagesAccepted + options.senderMessages, options.timeoutMs, 'the observer to get every message');
	// A round trip, so that anything extra the server might send would have arrived.
	await observer.sync(options.timeoutMs);
	const messages = messageFrames().map(item => (item.type === 'frame' ? item.frame : {}));
	return {
		connections,
		observer,
		sender,
		decodedItems,
		fromSender: messages.filter(frame => frame.user === 'sender').map(frame => String(frame.msg)),
		messagesObserved: messages.length,
		messagesAccepted,
		elapsedMs: performance.now() - started,
	};
}
