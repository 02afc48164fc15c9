// Every limit of the server is a named option with a default, and a bad
// combination throws before anything listens (as ws does with maxPayload).
import tls from 'node:tls';
import {DEFAULT_PORT, DEFAULT_SERVER_MAX_FRAME} from '../protocol/limits.js';
import type {Hub} from './hub.js';

export type ServerOptions = {
	/** TCP port; 0 picks a free one. @default 8080 */
	port: number;
	/** Address to listen on. @default '127.0.0.1' */
	host: string;
	/** A frame larger than this (bytes) gets a failure status and closes the connection. @default 65536 */
	maxFrameBytes: number;
	/** Connections beyond this are told "server full" and closed. @default 10000 */
	maxClients: number;
	/** Token-bucket refill, commands per second per connection; 0 turns rate limiting off. @default 10 */
	rate: number;
	/** Token-bucket size: commands a connection may send at once. @default 20 */
	burst: number;
	/** A connection whose unsent output passes this many bytes is dropped (slow reader). @default 1 MiB */
	maxSendQueueBytes: number;
	/** A connection that has not connected within this time is closed. @default 10000 */
	handshakeTimeoutMs: number;
	/**
	 * A connection silent for this long is dropped; 0 = off. Off by default: our
	 * client sends get-clients every 30 s anyway, a person typing into nc may
	 * be idle for long, and half-open peers are found by TCP keep-alive
	 * (enabled on every socket, first probe after `keepAliveMs`). @default 0
	 */
	idleTimeoutMs: number;
	/** TCP keep-alive initial delay; 0 = keep-alive off. @default 60000 */
	keepAliveMs: number;
	/** After `exit` or on shutdown, a socket that has not finished closing is destroyed after this. @default 2000 */
	closeGraceMs: number;
	/** No log lines at all (tests). @default false */
	quiet: boolean;
	/** Where log lines go. @default one line to stderr */
	log: (line: string) => void;
	/** The fan-out and name registry; a fresh in-process one when omitted. */
	hub?: Hub;
	/** Serve TLS with this certificate chain and private key (PEM). @default plain TCP */
	tls?: ServerTlsOptions;
};

export type ServerTlsOptions = {
	/** Certificate chain, PEM. */
	cert: Buffer | string;
	/** Private key, PEM, unencrypted. */
	key: Buffer | string;
};

export const DEFAULT_SERVER_OPTIONS: Readonly<Omit<ServerOptions, 'hub'>> = {
	port: DEFAULT_PORT,
	host: '127.0.0.1',
	maxFrameBytes: DEFAULT_SERVER_MAX_FRAME,
	maxClients: 10_000,
	rate: 10,
	burst: 20,
	maxSendQueueBytes: 1024 * 1024,
	handshakeTimeoutMs: 10_000,
	idleTimeoutMs: 0,
	keepAliveMs: 60_000,
	closeGraceMs: 2000,
	quiet: false,
	log: line => process.stderr.write(line + '\n'),
};

/** Twice Node's default socket high-water mark. */
const MIN_SEND_QUEUE_BYTES = 32 * 1024;

/** Below this even a `connect` with a 32-character name (4 bytes each) may not fit. */
export const MIN_FRAME_BYTES = 256;

export class ServerOptionsError extends Error {
	override name = 'ServerOptionsError';
}

/** Fills in defaults and throws a ServerOptionsError naming the first bad option. */
export function resolveOptions(partial: Partial<ServerOptions> = {}): ServerOptions {
	const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
	const options: ServerOptions = {...DEFAULT_SERVER_OPTIONS, ...defined};

	const integer = (name: keyof ServerOptions, min: number, max = Number.MAX_SAFE_INTEGER) => {
		const value = options[name];
		if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
			throw new ServerOptionsError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
		}
	};

	integer('port', 0, 65_535);
	integer('maxFrameBytes', MIN_FRAME_BYTES);
	integer('maxClients', 1);
	integer('burst', 1);
	// Below twice the socket's high-water mark (16 KiB), write() never reports
	// back-pressure before the limit, and a paused reader would wait for a 'drain' that never comes.
	integer('maxSendQueueBytes', MIN_SEND_QUEUE_BYTES);
	integer('handshakeTimeoutMs', 1);
	integer('idleTimeoutMs', 0);
	integer('keepAliveMs', 0);
	integer('closeGraceMs', 0);
	if (typeof options.rate !== 'number' || !Number.isFinite(options.rate) || options.rate < 0) {
		throw new ServerOptionsError(`rate must be a number >= 0 (0 = off), got ${String(options.rate)}`);
	}

	if (typeof options.host !== 'string' || options.host === '') {
		throw new ServerOptionsError('host must be a non-empty address');
	}

	if (typeof options.log !== 'function') throw new ServerOptionsError('log must be a function');
	if (options.tls !== undefined) checkTls(options.tls);
	return options;
}

/** A certificate and key that do not load, or do not match, fail here rather than on the first client. */
function checkTls(options: ServerTlsOptions): void {
	if (!options.cert || !options.key) throw new ServerOptionsError('tls needs both cert and key');
	try {
		tls.createSecureContext({cert: options.cert, key: options.key});
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		const why = code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' ? 'the key does not belong to the certificate' : `they do not load (${code ?? (error as Error).message})`;
		throw new ServerOptionsError(`cannot use the TLS certificate and key: ${why}`);
	}
}
