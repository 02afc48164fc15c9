// Listener creation in one place: plain TCP, or TLS when a certificate is given.
import net from 'node:net';
import tls from 'node:tls';
import type {ServerTlsOptions} from './options.js';

export type ListenerOptions = {
	tls?: ServerTlsOptions;
	/** A TLS client that has not finished its handshake by then is dropped. */
	handshakeTimeoutMs: number;
	/** Where a failed TLS handshake is noted. */
	onTlsError?: (error: Error, socket: net.Socket) => void;
};

export function createListener(onSocket: (socket: net.Socket) => void, options: ListenerOptions = {handshakeTimeoutMs: 10_000}): net.Server {
	// Half-open: a client that sends its commands and then shuts its write side
	// (`printf ... | nc -N`) still gets every status before we close.
	if (!options.tls) return net.createServer({allowHalfOpen: true}, onSocket);
	// The connection handler gets the TLS socket once the handshake is done, so
	// the rest of the server reads and writes cleartext as with TCP.
	const server = tls.createServer({
		cert: options.tls.cert,
		key: options.tls.key,
		allowHalfOpen: true,
		handshakeTimeout: options.handshakeTimeoutMs,
	}, onSocket);
	// A client that does not trust us, or speaks plain TCP, fails its handshake.
	// With allowHalfOpen, a client that rejected our certificate and sent FIN
	// leaves the socket open until the handshake timeout: destroy it then.
	server.on('tlsClientError', (error, socket) => {
		socket.destroy();
		options.onTlsError?.(error, socket);
	});
	// TCP sockets until they close, so that close() can end those still in their handshake.
	const sockets = new Set<net.Socket>();
	server.on('connection', (socket: net.Socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	tcpSockets.set(server, sockets);
	return server;
}

const tcpSockets = new WeakMap<net.Server, Set<net.Socket>>();

/**
 * Destroys the sockets a TLS listener still holds: call it once every
 * established connection has closed, so only clients stuck in their
 * handshake remain, and server.close() need not wait for their timeout.
 */
export function abortHandshakes(server: net.Server): void {
	for (const socket of tcpSockets.get(server) ?? []) socket.destroy();
}

/** Listens and resolves with the bound address, or rejects (EADDRINUSE, EACCES, …). */
export async function listen(server: net.Server, port: number, host: string): Promise<net.AddressInfo> {
	await new Promise<void>((resolve, reject) => {
		const onError = (error: Error) => reject(error);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			resolve();
		});
	});
	return server.address() as net.AddressInfo;
}

export {formatAddress} from '../protocol/address.js';
