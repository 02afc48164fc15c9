// The listener and the set of live connections: accepts sockets, enforces
// maxClients, and closes everything on close(). Signals are the serve
// command's business, not the library's.
import type {Socket} from 'node:net';
import {encodeFrame, failureStatus} from '../protocol/encoder.js';
import {Connection} from './connection.js';
import type {Hub} from './hub.js';
import {abortHandshakes, createListener, formatAddress, listen} from './listener.js';
import {LocalHub} from './local-hub.js';
import {createServerLog} from './log.js';
import {resolveOptions, type ServerOptions} from './options.js';

export type ChatServer = {
	/** The bound port (the real one when started on port 0). */
	readonly port: number;
	/** The bound address, e.g. '127.0.0.1'. */
	readonly host: string;
	/** "host:port". */
	readonly address: string;
	/** The options in force, defaults filled in. */
	readonly options: Readonly<ServerOptions>;
	readonly hub: Hub;
	/** Open connections, connected or not. */
	readonly connections: number;
	/** Connections that have a user name. */
	readonly users: number;
	/** Stops listening and closes every connection; resolves when all sockets have closed. */
	close(): Promise<void>;
};

export async function startServer(partial: Partial<ServerOptions> = {}): Promise<ChatServer> {
	const options = resolveOptions(partial);
	const hub = options.hub ?? new LocalHub();
	const log = createServerLog(options.log, options.quiet);
	const connections = new Set<Connection>();
	let closing: Promise<void> | undefined;

	const context = {
		hub,
		options,
		log,
		onClosed(connection: Connection) {
			connections.delete(connection);
		},
	};

	const refuse = (socket: Socket) => {
		// Answer the client's first command in advance, so it learns why, then close.
		socket.on('error', () => {});
		// Discard what it sends, so its FIN is seen and the socket closes promptly.
		socket.resume();
		socket.end(encodeFrame(failureStatus(`server full: at most ${options.maxClients} clients`)));
		setTimeout(() => socket.destroy(), options.closeGraceMs).unref();
	};

	const listener = createListener(socket => {
		if (closing) {
			socket.destroy();
			return;
		}

		if (connections.size >= options.maxClients) {
			refuse(socket);
			return;
		}

		connections.add(new Connection(socket, context));
	}, {
		tls: options.tls,
		handshakeTimeoutMs: options.handshakeTimeoutMs,
		onTlsError: (error, socket) => log.note(`TLS handshake failed from ${socket.remoteAddress ?? '?'}: ${(error as NodeJS.ErrnoException).code ?? error.message}`),
	});
	listener.on('error', error => log.note(`listener error: ${error.message}`));

	const bound = await listen(listener, options.port, options.host);

	const close = async () => {
		closing ??= (async () => {
			const listenerClosed = new Promise<void>(resolve => {
				listener.close(() => resolve());
			});
			// Everyone is leaving: no client-exit storm to sockets about to close.
			await Promise.all([...connections].map(async connection => connection.close('server shutting down', {announce: false})));
			abortHandshakes(listener);
			await listenerClosed;
		})();
		return closing;
	};

	return {
		port: bound.port,
		host: bound.address,
		address: formatAddress(bound.address, bound.port),
		options,
		hub,
		get connections() {
			return connections.size;
		},
		get users() {
			let count = 0;
			for (const connection of connections) if (connection.state === 'connected') count++;
			return count;
		},
		close,
	};
}
