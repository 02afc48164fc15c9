// A lean client for load tests: one socket, the real decoder, and only what
// the assertions need (per-sender message lists, status and exit counts), so
// a thousand of them fit in one test process.
import net from 'node:net';
import {FrameDecoder} from '../../source/protocol/decoder.js';

export class LoadClient {
	/** Messages received, by sender, in arrival order. */
	readonly messages = new Map<string, string[]>();
	readonly statuses: Array<{success: boolean; error: string}> = [];
	readonly exits: string[] = [];
	received = 0;
	closed = false;
	readonly #decoder = new FrameDecoder();
	#onStatus: (() => void) | undefined;

	private constructor(readonly socket: net.Socket, readonly name: string) {
		socket.on('data', (chunk: Buffer) => {
			this.#decoder.push(chunk, item => {
				if (item.type !== 'frame') return;
				this.received++;
				const {frame} = item;
				if (typeof frame.success === 'boolean') {
					this.statuses.push({success: frame.success, error: String(frame['error-msg'])});
					this.#onStatus?.();
				} else if (frame.cmd === 'message') {
					const user = String(frame.user);
					let list = this.messages.get(user);
					if (!list) {
						list = [];
						this.messages.set(user, list);
					}

					list.push(String(frame.msg));
				} else if (frame.cmd === 'client-exit') {
					this.exits.push(String(frame.user));
				}
			});
		});
		socket.on('error', () => {});
		socket.on('close', () => {
			this.closed = true;
			this.#onStatus?.();
		});
	}

	/** Connects and waits for the `connect` status, which must be a success. */
	static async connect(port: number, name: string): Promise<LoadClient> {
		const socket = net.connect({port, host: '127.0.0.1'});
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve);
			socket.once('error', reject);
		});
		const client = new LoadClient(socket, name);
		client.send({cmd: 'connect', username: name});
		await client.waitStatuses(1);
		const [status] = client.statuses;
		if (!status?.success) throw new Error(`${name} could not connect: ${status?.error ?? 'closed'}`);
		return client;
	}

	send(frame: Record<string, unknown>): void {
		this.socket.write(JSON.stringify(frame) + '\n');
	}

	/** Resolves once `count` statuses have arrived in all (rejects if the socket closes first, or after timeoutMs). */
	async waitStatuses(count: number, timeoutMs = 20_000): Promise<void> {
		if (this.statuses.length >= count) return;
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`${this.name}: ${this.statuses.length} of ${count} statuses after ${timeoutMs} ms`)), timeoutMs);
			this.#onStatus = () => {
				if (this.statuses.length >= count) {
					clearTimeout(timer);
					this.#onStatus = undefined;
					resolve();
				} else if (this.closed) {
					clearTimeout(timer);
					reject(new Error(`${this.name} closed with ${this.statuses.length} of ${count} statuses`));
				}
			};
		});
	}

	destroy(): void {
		this.socket.destroy();
	}
}

/** Connects `count` clients named `${prefix}${index}`, `parallel` at a time. */
export async function connectMany(port: number, count: number, prefix: string, parallel = 100): Promise<LoadClient[]> {
	const clients: LoadClient[] = [];
	for (let start = 0; start < count; start += parallel) {
		const batch = Array.from({length: Math.min(parallel, count - start)}, async (_, offset) => LoadClient.connect(port, `${prefix}${start + offset}`));
		clients.push(...await Promise.all(batch));
	}

	return clients;
}

/** Every client got every message of every sender but itself, in order: the number lost (0 when all is well). */
export function countLost(clients: readonly LoadClient[], senders: readonly string[], perSender: number): number {
	let lost = 0;
	for (const client of clients) {
		for (const sender of senders) {
			if (sender === client.name) continue;
			const got = client.messages.get(sender) ?? [];
			const expected = Array.from({length: perSender}, (_, k) => `${sender} #${k}`);
			let matched = 0;
			while (matched < got.length && got[matched] === expected[matched]) matched++;
			if (matched !== got.length) throw new Error(`${client.name} got ${sender}'s messages out of order or altered: ${JSON.stringify(got.slice(matched, matched + 3))}`);
			lost += perSender - got.length;
		}
	}

	return lost;
}
