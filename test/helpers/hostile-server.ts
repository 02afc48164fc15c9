// A hostile CodeChat server for client tests: it answers the handshake well
// enough to be believed (our dialect), then does whatever the test says —
// garbage, frames over the limit, floods, escape sequences, events that make
// no sense. Real TCP on 127.0.0.1, port 0.
//
//   const server = await startHostileServer();
//   const client = new ChatClient({port: server.port, user: 'me'});
//   const peer = await server.nextConnection();
//   peer.send('garbage\n');
import net from 'node:net';
import {onJsonLines} from './json-lines.js';

export type HostilePeer = {
	readonly socket: net.Socket;
	/** Commands the client sent, parsed (lines that were not JSON are skipped). */
	readonly commands: Array<Record<string, unknown>>;
	/** Writes raw bytes or text; resolves once written (or at once if the socket is gone). */
	send(data: string | Uint8Array): Promise<void>;
	/** Writes one frame as a JSON line. */
	sendFrame(frame: unknown): Promise<void>;
	/** Writes `total` bytes from `make(index)` pieces, honouring backpressure. */
	flood(total: number, make: (index: number) => string | Uint8Array): Promise<number>;
};

export type HostileServerOptions = {
	/**
	 * Answer the client's commands as a real server would: connect with
	 * welcome, get-clients with `roster`, msg with sent, exit with goodbye.
	 * @default true
	 */
	answer?: boolean;
	/** The names get-clients reports (the client's own name is added). @default [] */
	roster?: string[];
	/** Read nothing at all from the socket (a server that stops reading). @default false */
	neverRead?: boolean;
};

export type HostileServer = {
	readonly port: number;
	/** Every connection accepted so far, oldest first. */
	readonly peers: HostilePeer[];
	/** Times (performance.now()) at which connections were accepted. */
	readonly acceptTimes: number[];
	/** Resolves with connection number `index` (default: the next one not yet taken). */
	nextConnection(timeoutMs?: number): Promise<HostilePeer>;
	close(): Promise<void>;
};

const ok = (text: string, extra: Record<string, unknown> = {}) => ({'success': true, 'error-msg': '', 'success-msg': text, ...extra});

function makePeer(socket: net.Socket, options: HostileServerOptions): HostilePeer {
	const commands: Array<Record<string, unknown>> = [];
	const send = async (data: string | Uint8Array) => {
		if (socket.destroyed || !socket.writable) return;
		await new Promise<void>(resolve => {
			socket.write(data, () => resolve());
		});
	};

	const peer: HostilePeer = {
		socket,
		commands,
		send,
		async sendFrame(frame) {
			await send(JSON.stringify(frame) + '\n');
		},
		async flood(total, make) {
			let written = 0;
			for (let index = 0; written < total && !socket.destroyed; index++) {
				const piece = make(index);
				written += typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
				if (!socket.write(piece)) {
					await new Promise<void>(resolve => {
						const done = () => {
							socket.off('drain', done);
							socket.off('close', done);
							resolve();
						};

						socket.on('drain', done);
						socket.on('close', done);
					});
				}
			}

			return written;
		},
	};

	if (options.neverRead) {
		socket.pause();
		return peer;
	}

	onJsonLines(socket, frame => {
		commands.push(frame);
		if (options.answer === false) return;
		let user = '';
		if (frame.cmd === 'connect') user = String(frame.username);
		const reply
			= frame.cmd === 'connect' ? ok(`welcome ${user}`)
				: frame.cmd === 'get-clients' ? ok('', {clients: [...(options.roster ?? []), String(commands.find(command => command.cmd === 'connect')?.username ?? '')]})
					: frame.cmd === 'exit' ? ok('goodbye')
						: ok('sent');
		void send(JSON.stringify(reply) + '\n');
	});
	return peer;
}

export async function startHostileServer(options: HostileServerOptions = {}): Promise<HostileServer> {
	const peers: HostilePeer[] = [];
	const acceptTimes: number[] = [];
	const sockets = new Set<net.Socket>();
	const waiters: Array<() => void> = [];
	let taken = 0;
	const server = net.createServer(socket => {
		socket.on('error', () => {});
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		acceptTimes.push(performance.now());
		peers.push(makePeer(socket, options));
		for (const wake of waiters.splice(0)) wake();
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});

	return {
		port: (server.address() as net.AddressInfo).port,
		peers,
		acceptTimes,
		async nextConnection(timeoutMs = 15_000) {
			const index = taken++;
			const deadline = Date.now() + timeoutMs;
			while (peers.length <= index) {
				if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for connection ${index}`);
				await new Promise<void>(resolve => {
					waiters.push(resolve);
					setTimeout(resolve, 50);
				});
			}

			return peers[index]!;
		},
		async close() {
			const closed = new Promise<void>(resolve => {
				server.close(() => resolve());
			});
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}
