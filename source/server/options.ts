// Every limit of the server is a named option with a default, and a bad
// combination throws before anything listens (as ws does with maxPayload).
import tls from 'node:tls';
import {DEFAULT_PORT, DEFAULT_SERVER_MAX_FRAME} from '../protocol/limits.js';
import type {Accounts} from './accounts/accounts.js';
import {DEFAULT_FILE_BYTES, fileBytesWithin, fileFrameBytes} from '../protocol/file-rules.js';
import type {FileStore} from './files/file-store.js';
import type {Dialect} from '../protocol/types.js';
import type {Hub} from './hub.js';
import {DEFAULT_HISTORY_PER_CONVERSATION, type MessageLog} from './store/message-log.js';

export type ServerOptions = {
	/** TCP port; 0 picks a free one. @default 8080 */
	port: number;
	/** Address to listen on. @default '127.0.0.1' */
	host: string;
	/**
	 * A frame larger than this (bytes) gets a failure status and closes the
	 * connection. Never below what a shared file of `fileBytes` needs with
	 * every byte escaped (`fileFrameBytes`): left out, it is raised to that
	 * (289 KiB for 48 KiB); given lower, `fileBytes` shrinks to fit, unless
	 * `fileBytes` was given too, which is an error. @default 65536, or the file's need
	 */
	maxFrameBytes: number;
	/** `limits.file`: bytes of UTF-8 a room's shared file may hold (§12); 0 = no shared file. @default 49152 */
	fileBytes: number;
	/** Connections beyond this are told "server full" and closed. @default 10000 */
	maxClients: number;
	/** Token-bucket refill, commands per second per connection; 0 turns rate limiting off. @default 10 */
	rate: number;
	/** Token-bucket size: commands a connection may send at once. @default 20 */
	burst: number;
	/**
	 * Commands over the rate limit that wait and are handled late, in order
	 * (IRC's "fakelag"); one more is refused with `rate-limited`. 0 refuses
	 * every command over the limit at once. @default 50
	 */
	maxQueuedCommands: number;
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
	/**
	 * A frame that stays unfinished this long (bytes held, no closing brace)
	 * gets a failure status and closes the connection, so a peer cannot pin
	 * up to `maxFrameBytes` of memory forever; 0 = off. @default 30000
	 */
	partialFrameTimeoutMs: number;
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
	/** Where rooms' shared files are kept (§12); in memory when omitted. The caller closes one it passes. */
	files?: FileStore;
	/** Serve TLS with this certificate chain and private key (PEM). @default plain TCP */
	tls?: ServerTlsOptions;
	/**
	 * §9: messages kept per room; 0 turns `history` off (no seq, no log). The
	 * memory log also keeps at most 1,000,000 over all rooms. @default 10000
	 */
	history: number;
	/** Keep the log in an SQLite database in this directory (`--data`). @default in memory */
	dataDir?: string;
	/**
	 * A log opened by the caller, used instead of the one `history`, `dataDir`
	 * or the hub would give. The server closes it when it closes.
	 */
	messageLog?: MessageLog;
	/** §11 accounts, opened by the caller on durable storage (`--data`, `--redis`), and closed by it after the server. @default none */
	accounts?: Accounts;
	/** `--accounts-only`: guests are refused with `auth-required`. @default false */
	accountsOnly: boolean;
	/** `--allow-plaintext-passwords`: take passwords and tokens over plain TCP from anywhere, not only loopback. @default false */
	allowPlaintextPasswords: boolean;
	/** Which peer addresses count as this machine for that rule; tests play a remote peer with it. @default isLoopback */
	isLocalAddress?: (address: string | undefined) => boolean;
	/**
	 * Which frames the server writes: ours, or the 2015 CodeChat server's
	 * (§5), for the original clients; that one keeps no history. @default 'codechat'
	 */
	dialect: Dialect;
};

export type ServerTlsOptions = {
	/** Certificate chain, PEM. */
	cert: Buffer | string;
	/** Private key, PEM, unencrypted. */
	key: Buffer | string;
};

export const DEFAULT_SERVER_OPTIONS: Readonly<Omit<ServerOptions, 'hub' | 'files' | 'dataDir' | 'messageLog' | 'accounts' | 'isLocalAddress'>> = {
	port: DEFAULT_PORT,
	host: '127.0.0.1',
	maxFrameBytes: DEFAULT_SERVER_MAX_FRAME,
	fileBytes: DEFAULT_FILE_BYTES,
	maxClients: 10_000,
	rate: 10,
	burst: 20,
	maxQueuedCommands: 50,
	maxSendQueueBytes: 1024 * 1024,
	handshakeTimeoutMs: 10_000,
	idleTimeoutMs: 0,
	partialFrameTimeoutMs: 30_000,
	keepAliveMs: 60_000,
	closeGraceMs: 2000,
	quiet: false,
	history: DEFAULT_HISTORY_PER_CONVERSATION,
	dialect: 'codechat',
	log: line => process.stderr.write(line + '\n'),
	accountsOnly: false,
	allowPlaintextPasswords: false,
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
	integer('fileBytes', 0);
	fitFileInFrame(options, defined);
	integer('maxClients', 1);
	integer('burst', 1);
	integer('maxQueuedCommands', 0);
	// Below twice the socket's high-water mark (16 KiB), write() never reports
	// back-pressure before the limit, and a paused reader would wait for a 'drain' that never comes.
	integer('maxSendQueueBytes', MIN_SEND_QUEUE_BYTES);
	integer('handshakeTimeoutMs', 1);
	integer('idleTimeoutMs', 0);
	integer('partialFrameTimeoutMs', 0);
	integer('keepAliveMs', 0);
	integer('closeGraceMs', 0);
	integer('history', 0);
	checkDialect(options, defined);
	if (options.dataDir !== undefined && (typeof options.dataDir !== 'string' || options.dataDir.trim() === '')) {
		throw new ServerOptionsError('dataDir must name a directory');
	}

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

/** The 2015 server kept no history and its clients cannot ask for one: that dialect runs with history 0. */
function checkDialect(options: ServerOptions, given: Partial<Record<keyof ServerOptions, unknown>>): void {
	if (options.dialect !== 'codechat' && options.dialect !== '2015') {
		throw new ServerOptionsError(`dialect must be "codechat" or "2015", got ${JSON.stringify(options.dialect)}`);
	}

	if (options.dialect !== '2015') return;
	if ((typeof given.history === 'number' && given.history > 0) || given.messageLog !== undefined) {
		throw new ServerOptionsError('the 2015 dialect keeps no history (its clients cannot ask for it): leave out history, or give 0');
	}

	options.history = 0;
}

/**
 * One frame limit serves every command, since the decoder cannot know a
 * frame's `cmd` before its last byte (keys come in any order): a separate
 * limit for update-file frames would still mean buffering that much for any
 * frame. So the one limit grows to carry the file.
 */
function fitFileInFrame(options: ServerOptions, given: Partial<Record<keyof ServerOptions, unknown>>): void {
	const needed = fileFrameBytes(options.fileBytes);
	if (options.fileBytes === 0 || options.maxFrameBytes >= needed) return;
	if (given.maxFrameBytes === undefined) {
		options.maxFrameBytes = needed;
	} else if (given.fileBytes === undefined) {
		options.fileBytes = fileBytesWithin(options.maxFrameBytes);
	} else {
		throw new ServerOptionsError(
			`maxFrameBytes must be at least ${needed} to carry a shared file of ${options.fileBytes} bytes with every byte escaped: raise it, or lower fileBytes to ${fileBytesWithin(options.maxFrameBytes)}`,
		);
	}
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
