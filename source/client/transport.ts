// How the client reaches a server: a factory that returns a socket-like
// Duplex. Plain TCP by default, TLS when asked; tests may pass their own.
// Writes made before the socket is connected are buffered by node:net and
// node:tls, so the client can write `connect` straight away.
import net from 'node:net';
import tls from 'node:tls';
import type {Duplex} from 'node:stream';

export type TransportTarget = {host: string; port: number};

/** Returns a Duplex that is connecting to `target`. It may emit 'connect' / 'secureConnect' once reached. */
export type TransportFactory = (target: TransportTarget) => Duplex;

export type TlsOptions = {
	/** Certificate authority to trust, PEM (for a self-signed server). */
	ca?: string | Buffer;
	/** Reject a certificate that does not verify. @default true */
	rejectUnauthorized?: boolean;
	/** Name to check the certificate against (and SNI). @default the host, unless it is an IP address */
	servername?: string;
};

export const tcpTransport: TransportFactory = ({host, port}) => {
	const socket = net.connect({host, port});
	socket.setNoDelay(true); // chat lines are small and latency matters more than packets
	return socket;
};

export function tlsTransport(options: TlsOptions = {}): TransportFactory {
	return ({host, port}) => tls.connect({
		host,
		port,
		ca: options.ca,
		rejectUnauthorized: options.rejectUnauthorized ?? true,
		// SNI must not be an IP address (RFC 6066); node warns if it is.
		servername: options.servername ?? (net.isIP(host) === 0 ? host : undefined),
	});
}
