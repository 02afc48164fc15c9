// Worker thread of the fan-out bench: drives a share of the clients. It must
// stay cheap, or every server looks the same: it never parses JSON. Frames
// are found by searching the bytes for the marker that starts every message
// text, and the send time that follows the marker is read digit by digit.
import net from 'node:net';
import {parentPort, workerData} from 'node:worker_threads';

export type LoadConfig = {
	port: number;
	names: string[];
	messagesPerClient: number;
	/** Messages each client writes per event-loop turn. */
	batch: number;
	/** Message events each client must receive. */
	expectedPerClient: number;
	/** Per name, in the same order: the rooms it joins after connecting and the one it talks in. Absent: everyone talks in #lobby. */
	rooms?: Array<{join: string[]; talk: string}>;
};

export type LoadDone = {
	type: 'done';
	received: number;
	firstSend: number;
	lastReceive: number;
	latencies: Float64Array;
};

const marker = Buffer.from('"msg":"T');
const newline = 0x0a;
const now = () => performance.timeOrigin + performance.now();

/** Counts message frames in a byte stream and records each one's latency. */
class Counter {
	received = 0;
	#tail: Buffer | undefined;

	constructor(private readonly onLatency: (ms: number) => void) {}

	push(chunk: Buffer, time: number): void {
		// Only whole lines are searched; the partial last line waits for the next chunk.
		const lastNewline = chunk.lastIndexOf(newline);
		if (lastNewline === -1) {
			this.#tail = this.#tail ? Buffer.concat([this.#tail, chunk]) : chunk;
			return;
		}

		const whole = this.#tail ? Buffer.concat([this.#tail, chunk.subarray(0, lastNewline + 1)]) : chunk.subarray(0, lastNewline + 1);
		this.#tail = lastNewline + 1 < chunk.length ? Buffer.from(chunk.subarray(lastNewline + 1)) : undefined;
		let at = whole.indexOf(marker);
		while (at !== -1) {
			this.received++;
			this.onLatency(time - readNumber(whole, at + marker.length));
			at = whole.indexOf(marker, at + marker.length);
		}
	}
}

/** Reads "1712345678901.123" at `start`, without making a string. */
function readNumber(bytes: Buffer, start: number): number {
	let value = 0;
	let scale = 0;
	for (let i = start; i < bytes.length; i++) {
		const byte = bytes[i];
		if (byte === 0x2e) {
			scale = 1;
			continue;
		}

		if (byte < 0x30 || byte > 0x39) break;
		value = value * 10 + (byte - 0x30);
		if (scale > 0) scale *= 10;
	}

	return scale > 0 ? value / scale : value;
}

/** Resolves once the stream has carried `count` success statuses, rejecting at the first failure. */
async function successes(socket: net.Socket, count: number, what: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		let seen = '';
		const onData = (chunk: Buffer) => {
			seen += chunk.toString('latin1');
			if (seen.includes('"success":false')) reject(new Error(`${what} refused: ${seen.slice(0, 300)}`));
			else if (seen.split('"success":true').length - 1 >= count) {
				socket.off('data', onData);
				resolve();
			}
		};

		socket.on('data', onData);
	});
}

async function connectClient(port: number, name: string, rooms: string[] = []): Promise<net.Socket> {
	const socket = net.connect({port, host: '127.0.0.1', noDelay: true});
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', resolve);
		socket.once('error', reject);
	});
	socket.write(JSON.stringify({cmd: 'connect', username: name}) + '\n');
	// The welcome status is the first success in the stream (an enter event may come first).
	await new Promise<void>((resolve, reject) => {
		let seen = '';
		const onData = (chunk: Buffer) => {
			seen += chunk.toString('latin1');
			if (seen.includes('"success":true')) {
				socket.off('data', onData);
				resolve();
			} else if (seen.includes('"success":false')) reject(new Error(`connect ${name} refused: ${seen}`));
		};

		socket.on('data', onData);
	});
	if (rooms.length > 0) {
		const joined = successes(socket, rooms.length, `joins of ${name}`);
		socket.write(rooms.map(room => JSON.stringify({cmd: 'join', room}) + '\n').join(''));
		await joined;
	}

	return socket;
}

async function run(config: LoadConfig): Promise<void> {
	const port = parentPort!;
	const sockets: net.Socket[] = [];
	for (const [index, name] of config.names.entries()) sockets.push(await connectClient(config.port, name, config.rooms?.[index]?.join));
	// What each socket's messages start with: the room it talks in, or none (#lobby).
	const openings = config.names.map((_name, index) => {
		const room = config.rooms?.[index]?.talk;
		return room === undefined ? '{"cmd":"msg",' : `{"cmd":"msg","room":${JSON.stringify(room)},`;
	});
	const latencies = new Float64Array(config.names.length * config.expectedPerClient);
	let recorded = 0;
	let lastReceive = 0;
	let complete = 0;
	const counters = sockets.map(socket => {
		const counter = new Counter(ms => {
			if (recorded < latencies.length) latencies[recorded++] = ms;
		});
		let done = false;
		socket.on('data', (chunk: Buffer) => {
			const time = now();
			counter.push(chunk, time);
			if (!done && counter.received >= config.expectedPerClient) {
				done = true;
				lastReceive = time;
				if (++complete === sockets.length) finish();
			}
		});
		return counter;
	});
	let firstSend = 0;
	const finish = () => {
		const received = counters.reduce((sum, counter) => sum + counter.received, 0);
		const done: LoadDone = {type: 'done', received, firstSend, lastReceive, latencies: latencies.subarray(0, recorded)};
		port.postMessage(done);
	};

	port.on('message', (message: {type: string}) => {
		if (message.type === 'go') {
			firstSend = now();
			let sent = 0;
			const sendBatch = () => {
				const count = Math.min(config.batch, config.messagesPerClient - sent);
				for (const [index, socket] of sockets.entries()) {
					let lines = '';
					const stamp = now().toFixed(3);
					for (let i = 0; i < count; i++) lines += `${openings[index]!}"msg":"T${stamp} the build is green, merging now"}\n`;
					socket.write(lines);
				}

				sent += count;
				if (sent < config.messagesPerClient) setImmediate(sendBatch);
			};

			sendBatch();
		} else if (message.type === 'report') {
			// The run timed out: report what arrived, so the loss is visible.
			if (complete < sockets.length) finish();
		} else if (message.type === 'close') {
			for (const socket of sockets) socket.destroy();
			port.close();
		}
	});
	port.postMessage({type: 'ready'});
}

if (parentPort && workerData) {
	run(workerData as LoadConfig).catch(error => {
		parentPort!.postMessage({type: 'error', message: String(error)});
	});
}
