// A scripted CodeChat server for the client benches: it answers every command
// with a success status (get-clients with a small roster) and sends message
// events when told to, as fast as the socket takes them. It validates nothing:
// the benches measure the client, not this.
import net from 'node:net';

export class FeedServer {
	readonly #server: net.Server;
	readonly #sockets = new Set<net.Socket>();
	readonly #waiters: Array<() => void> = [];
	/** Connected clients, newest last. */
	readonly clients: net.Socket[] = [];
	port = 0;

	constructor() {
		this.#server = net.createServer(socket => this.#accept(socket));
	}

	async start(): Promise<number> {
		await new Promise<void>(resolve => this.#server.listen(0, '127.0.0.1', resolve));
		this.port = (this.#server.address() as net.AddressInfo).port;
		return this.port;
	}

	/** Resolves when `count` clients have sent connect. */
	async connected(count = 1): Promise<void> {
		while (this.clients.length < count) await new Promise<void>(resolve => this.#waiters.push(resolve));
	}

	/** Writes message events to every connected client in one write each. */
	send(lines: string): void {
		for (const socket of this.clients) socket.write(lines);
	}

	async close(): Promise<void> {
		for (const socket of this.#sockets) socket.destroy();
		await new Promise<void>(resolve => this.#server.close(() => resolve()));
	}

	#accept(socket: net.Socket): void {
		this.#sockets.add(socket);
		socket.setNoDelay(true);
		socket.on('error', () => {});
		socket.on('close', () => {
			this.#sockets.delete(socket);
			const index = this.clients.indexOf(socket);
			if (index !== -1) this.clients.splice(index, 1);
		});
		let buffered = '';
		socket.on('data', (chunk: Buffer) => {
			buffered += chunk.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop()!;
			for (const line of lines) {
				if (line.trim() === '') continue;
				let cmd = '';
				try {
					cmd = String((JSON.parse(line) as {cmd?: unknown}).cmd);
				} catch {}

				this.#answer(socket, cmd);
			}
		});
	}

	#answer(socket: net.Socket, cmd: string): void {
		const status = (text: string, extra = {}) => socket.write(JSON.stringify({success: true, 'error-msg': '', 'success-msg': text, ...extra}) + '\n');
		if (cmd === 'connect') {
			status('welcome');
			this.clients.push(socket);
			for (const wake of this.#waiters.splice(0)) wake();
		} else if (cmd === 'get-clients') {
			status('bench, feeder', {clients: ['bench', 'feeder']});
		} else if (cmd === 'exit') {
			status('goodbye');
			socket.end();
		} else {
			status('ok');
		}
	}
}

/** `count` message events from "feeder", numbered from `first`, as one string. */
export function messageLines(count: number, first = 0, text = 'the build is green, merging now'): string {
	let lines = '';
	for (let i = first; i < first + count; i++) lines += `{"cmd":"message","user":"feeder","msg":"m${i} ${text}"}\n`;
	return lines;
}

/** A TypeScript block of the size people paste: a dozen lines, cut in the pane at 12. */
const CODE_SAMPLE = [
	'```ts',
	'export async function retry<T>(run: () => Promise<T>, attempts = 3): Promise<T> {',
	'  let last: unknown;',
	'  for (let attempt = 0; attempt < attempts; attempt++) {',
	'    try {',
	'      return await run();',
	'    } catch (error) {',
	'      last = error; // back off: 100 ms, 200 ms, 400 ms',
	'      await new Promise(resolve => setTimeout(resolve, 100 * 2 ** attempt));',
	'    }',
	'  }',
	'  throw new Error(`gave up after ${attempts} attempts`, {cause: last});',
	'}',
	'const answer = await retry(() => fetch("https://example.com/api").then(r => r.json()));',
	'```',
].join('\n');

/**
 * As messageLines, but one message in `every` (the sixth of each ten by
 * default: 10% of the burst) is a code block after its number. The last
 * message is always text, which a burst's end marker needs.
 */
export function codeMessageLines(count: number, first = 0, every = 10): string {
	let lines = '';
	const code = JSON.stringify(CODE_SAMPLE).slice(1, -1);
	for (let i = first; i < first + count; i++) {
		const isCode = i % every === Math.min(5, every - 1) && i !== first + count - 1;
		const msg = isCode ? `m${i} like this:\\n${code}` : `m${i} the build is green, merging now`;
		lines += `{"cmd":"message","user":"feeder","msg":"${msg}"}\n`;
	}
	return lines;
}
