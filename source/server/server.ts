// The listener and the set of live connections: accepts sockets, enforces
// maxClients, and closes everything on close(). Signals are the serve
// command's business, not the library's.
import type {Socket} from 'node:net';
import {failureStatus} from '../protocol/encoder.js';
import {Connection} from './connection.js';
import {FileBroadcastCoalescer, frameEncoder} from './dialect-2015.js';
import type {Hub} from './hub.js';
import {abortHandshakes, createListener, formatAddress, listen} from './listener.js';
import {MemoryFileStore} from './files/memory-files.js';
import {openFileStore} from './files/open-files.js';
import {LocalHub} from './local-hub.js';
import {createServerLog} from './log.js';
import {serverHello} from './negotiation.js';
import {resolveOptions, ServerOptionsError, type ServerOptions} from './options.js';
import {openRoomLog, throttledNote} from './room-log.js';
import type {MessageLog} from './store/message-log.js';
import type {SqliteLog} from './store/sqlite-log.js';
import type {Accounts} from './accounts/accounts.js';
import {DirectMessages} from './accounts/direct-messages.js';

export type ServerCloseOptions = {
	/** Told to every connection in `server-closing` (§13). @default 'server shutting down' */
	reason?: string;
	/**
	 * Whether the server expects to be back (a restart), so clients should
	 * reconnect. The server cannot know, so it says no unless told. @default false
	 */
	reconnect?: boolean;
};

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
	/** The room log (§9), undefined with `history` 0. Closed by close(). */
	readonly messageLog: MessageLog | undefined;
	/** Open connections, connected or not. */
	readonly connections: number;
	/** Connections that have a user name. */
	readonly users: number;
	/**
	 * Stops listening, sends every connection `server-closing` and closes it;
	 * resolves when all sockets have closed. Only the first call's options count.
	 */
	close(options?: ServerCloseOptions): Promise<void>;
};

export async function startServer(partial: Partial<ServerOptions> = {}): Promise<ChatServer> {
	const resolved = resolveOptions(partial);
	const hub = resolved.hub ?? new LocalHub();
	const log = createServerLog(resolved.log, resolved.quiet);
	const messageLog = await openRoomLog(resolved, hub);
	// With --data the accounts live in the log's database, on its one handle; closed before it.
	const ownAccounts = await openLogAccounts(resolved, messageLog, line => log.note(line));
	const options = ownAccounts ? {...resolved, accounts: ownAccounts} : resolved;
	if (options.accountsOnly && options.accounts === undefined) {
		await messageLog?.close();
		throw new ServerOptionsError('accounts-only needs accounts, which need durable storage: give --data DIR or --redis URL');
	}

	const hello = serverHello(options, hub);
	const encoder = frameEncoder(options.dialect);
	const fileBroadcasts = new FileBroadcastCoalescer();
	// §12: off with fileBytes 0; in the room log's database with --data, else in memory
	// unless the caller passed a store (serve --redis passes the cluster's).
	const ownFiles = options.fileBytes > 0 && !options.files;
	const files = options.fileBytes === 0 ? undefined : options.files ?? (messageLog?.kind === 'sqlite' && options.dataDir !== undefined
		? await openFileStore({kind: 'sqlite', dir: options.dataDir}, messageLog)
		: new MemoryFileStore());
	const connections = new Set<Connection>();
	let closing: Promise<void> | undefined;
	// §10: an empty room's log and file go with it (after 24 h), unless the storage is already closed.
	hub.onRoomDeleted(async room => {
		if (closing) return;
		try {
			await messageLog?.drop(room.key);
			await files?.drop(room.key);
		} catch (error) {
			log.note(`deleting the empty room ${room.name}: ${String(error)}`);
		}
	});

	const noteLogFailure = throttledNote(text => log.note(text));
	const context = {
		hub,
		files,
		options,
		log,
		hello,
		encoder,
		fileBroadcasts,
		messageLog,
		noteLogFailure,
		// §10: direct messages between two accounts are stored, where there are both accounts and a log.
		directMessages: options.accounts && messageLog ? new DirectMessages({accounts: options.accounts, log: messageLog, note: noteLogFailure}) : undefined,
		onClosed(connection: Connection) {
			connections.delete(connection);
		},
	};

	const refuse = (socket: Socket) => {
		// Answer the client's first command in advance, so it learns why, then close.
		socket.on('error', () => {});
		// Discard what it sends, so its FIN is seen and the socket closes promptly.
		socket.resume();
		// Most likely it will be a `connect`, so the status says who we are, as connect statuses do.
		socket.end(encoder.status({...failureStatus('server-full', `server full: at most ${options.maxClients} clients`), ...hello}, 'connect'));
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

	let bound;
	try {
		bound = await listen(listener, options.port, options.host);
	} catch (error) {
		await ownAccounts?.close();
		if (ownFiles) await files?.close();
		await messageLog?.close();
		throw error;
	}

	const close = async ({reason = 'server shutting down', reconnect = false}: ServerCloseOptions = {}) => {
		closing ??= (async () => {
			const listenerClosed = new Promise<void>(resolve => {
				listener.close(() => resolve());
			});
			fileBroadcasts.close();
			const notice = encoder.event({cmd: 'server-closing', msg: reason, reconnect});
			// Everyone is leaving: no client-exit storm to sockets about to close.
			await Promise.all([...connections].map(async connection => connection.close(reason, {announce: false, notice})));
			abortHandshakes(listener);
			await listenerClosed;
			// After the connections: what they appended is committed, then the storage is released.
			await ownAccounts?.close();
			if (ownFiles) await files?.close();
			await messageLog?.close();
		})();
		return closing;
	};

	return {
		port: bound.port,
		host: bound.address,
		address: formatAddress(bound.address, bound.port),
		options,
		hub,
		messageLog,
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

/** The accounts of a server whose log is an SQLite database (`--data`), unless the caller gave its own. */
async function openLogAccounts(options: Readonly<ServerOptions>, messageLog: MessageLog | undefined, note: (line: string) => void): Promise<Accounts | undefined> {
	if (options.accounts !== undefined || messageLog?.kind !== 'sqlite') return undefined;
	const {openAccounts} = await import('./accounts/open-accounts.js');
	return openAccounts({kind: 'sqlite', db: (messageLog as SqliteLog).database}, {log: note});
}
