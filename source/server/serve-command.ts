// `codechat-tui serve`: flags in, a running server out, and a clean exit on
// SIGINT/SIGTERM. cli.tsx owns argv; this module owns what the flags mean.
import type {EventEmitter} from 'node:events';
import {DEFAULT_SERVER_OPTIONS, ServerOptionsError, type ServerOptions} from './options.js';
import {openServeAccounts} from './serve-accounts.js';
import type {Dialect} from '../protocol/types.js';
import type {FileStore} from './files/file-store.js';
import {startServer, type ChatServer} from './server.js';
import {describeRoomLog} from './room-log.js';
import {readPemFile} from './tls-files.js';

export type ServeFlags = {
	port?: number;
	listen?: string;
	maxFrame?: number;
	maxClients?: number;
	rate?: number;
	burst?: number;
	/** Certificate chain file (PEM); with tlsKey, the server speaks TLS. */
	tlsCert?: string;
	/** Private key file (PEM). */
	tlsKey?: string;
	/** redis:// URL: several serve processes act as one server (the CLI also reads REDIS_URL). */
	redis?: string;
	/** Keep the room log and the accounts (§11) in an SQLite database in this directory. */
	data?: string;
	/** Messages kept per room; 0 turns history off. */
	history?: number;
	/** `--accounts-only`: guests are refused. */
	accountsOnly?: boolean;
	/** `--allow-plaintext-passwords`: passwords over plain TCP from anywhere. */
	allowPlaintextPasswords?: boolean;
	/** Whose frames to speak: ours, or the 2015 server's for the original clients. */
	dialect?: Dialect;
};

export type ServeEnvironment = {
	/** Where SIGINT/SIGTERM come from. @default process */
	signals?: Pick<EventEmitter, 'once' | 'off'>;
	/** Where the "listening" line and log lines go. @default stderr */
	log?: (line: string) => void;
	/** Called once the server listens (tests use it to learn the port). */
	onListening?: (server: ChatServer) => void;
	/** Further options (hub, quiet, …) not exposed as flags. */
	options?: Partial<ServerOptions>;
};

/** Flags to server options. Reads the TLS files; a missing or bad file throws a ServerOptionsError. */
export function serveFlagsToOptions(flags: ServeFlags): Partial<ServerOptions> {
	return {
		port: flags.port,
		host: flags.listen,
		maxFrameBytes: flags.maxFrame,
		maxClients: flags.maxClients,
		rate: flags.rate,
		burst: flags.burst,
		tls: tlsFromFlags(flags),
		dataDir: flags.data,
		history: flags.history,
		accountsOnly: flags.accountsOnly,
		allowPlaintextPasswords: flags.allowPlaintextPasswords,
		dialect: flags.dialect,
	};
}

function tlsFromFlags(flags: ServeFlags): ServerOptions['tls'] {
	if (flags.tlsCert === undefined && flags.tlsKey === undefined) return undefined;
	if (flags.tlsCert === undefined || flags.tlsKey === undefined) throw new ServerOptionsError('--tls-cert and --tls-key go together');
	try {
		return {
			cert: readPemFile(flags.tlsCert, 'certificate', '--tls-cert'),
			key: readPemFile(flags.tlsKey, 'private key', '--tls-key'),
		};
	} catch (error) {
		throw new ServerOptionsError((error as Error).message);
	}
}

async function openClusterFiles(url: string): Promise<FileStore> {
	const {openFileStore} = await import('./files/open-files.js');
	try {
		return await openFileStore({kind: 'redis', url});
	} catch (error) {
		throw new ServerOptionsError(`--redis: ${(error as Error).message}`);
	}
}

/** What clients are told when a signal stops the serve command. */
export const SIGNAL_CLOSE_REASON = 'server restarting';

/**
 * Starts the server and resolves once SIGINT or SIGTERM has closed it. Bad
 * flags reject with a ServerOptionsError before anything listens.
 */
export async function runServe(flags: ServeFlags, environment: ServeEnvironment = {}): Promise<void> {
	const signals = environment.signals ?? process;
	const log = environment.log ?? DEFAULT_SERVER_OPTIONS.log;
	const flagOptions = serveFlagsToOptions(flags);
	const quiet = environment.options?.quiet ?? false;
	// Cluster mode: a Redis hub, imported only here so a plain server never loads ioredis.
	const clusterHub = flags.redis === undefined ? undefined : await (await import('./redis/serve-hub.js')).openServeHub(flags.redis, log, quiet);
	// §12: a cluster's nodes share each room's file through the same Redis.
	const files = clusterHub && flags.redis !== undefined ? await openClusterFiles(flags.redis).catch(async (error: unknown) => {
		await clusterHub.close();
		throw error;
	}) : undefined;
	// §11: and its accounts, with their lock-outs.
	const stored = await openServeAccounts({redis: flags.redis}, log).catch(async (error: unknown) => {
		await files?.close();
		await clusterHub?.close();
		throw error;
	});
	const options = {log, ...environment.options, ...flagOptions, ...(stored ? {accounts: stored.accounts} : {})};
	const server = await startServer(clusterHub ? {...options, hub: clusterHub, ...(files ? {files} : {})} : options).catch(async (error: unknown) => {
		await files?.close();
		await clusterHub?.close();
		await stored?.close();
		throw error;
	});
	log(`codechat-tui server listening on ${server.address}${server.options.tls ? ' (TLS)' : ''}`);
	if (!server.options.quiet) log(`codechat-tui server: ${describeRoomLog(server.messageLog, server.options)}`);
	environment.onListening?.(server);

	const signal = await new Promise<string>(resolve => {
		const onSigint = () => finish('SIGINT');
		const onSigterm = () => finish('SIGTERM');
		const finish = (name: string) => {
			signals.off('SIGINT', onSigint);
			signals.off('SIGTERM', onSigterm);
			resolve(name);
		};

		signals.once('SIGINT', onSigint);
		signals.once('SIGTERM', onSigterm);
	});
	if (!server.options.quiet) log(`codechat-tui server: ${signal}, closing`);
	// A signal is how a service manager stops a server it is about to restart,
	// and clients reconnect with backoff anyway: tell them to come back.
	await server.close({reason: SIGNAL_CLOSE_REASON, reconnect: true});
	await files?.close();
	await clusterHub?.close();
	await stored?.close();
}
