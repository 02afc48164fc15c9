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
	// A client that does not trust us, or speaks plain TCP, fails its handshake:
	// node destroys that socket; we only note it.
	server.on('tlsClientError', (error, socket) => options.onTlsError?.(error, socket));
	return server;
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

/** "host:port", with brackets around an IPv6 host. */
export function formatAddress(host: string, port: number): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
