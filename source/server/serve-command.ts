// `codechat-tui serve`: flags in, a running server out, and a clean exit on
// SIGINT/SIGTERM. cli.tsx owns argv; this module owns what the flags mean.
import type {EventEmitter} from 'node:events';
import {DEFAULT_SERVER_OPTIONS, ServerOptionsError, type ServerOptions} from './options.js';
import {startServer, type ChatServer} from './server.js';
import {readPemFile} from './tls-files.js';

/**
 * The serve flags, as meow flag definitions (meow turns `maxFrame` into
 * `--max-frame`). Spread them into the CLI's `flags`.
 */
export const serveFlags = {
	port: {type: 'number', default: DEFAULT_SERVER_OPTIONS.port},
	listen: {type: 'string', default: DEFAULT_SERVER_OPTIONS.host},
	maxFrame: {type: 'number', default: DEFAULT_SERVER_OPTIONS.maxFrameBytes},
	maxClients: {type: 'number', default: DEFAULT_SERVER_OPTIONS.maxClients},
	rate: {type: 'number', default: DEFAULT_SERVER_OPTIONS.rate},
	burst: {type: 'number', default: DEFAULT_SERVER_OPTIONS.burst},
	tlsCert: {type: 'string'},
	tlsKey: {type: 'string'},
	// Cluster mode (issue 8): the Redis hub, loaded only when given.
	redis: {type: 'string'},
} as const;

/** Help lines for the serve options, for the CLI's usage text. */
export const serveHelp = `
  serve options
    --port N          TCP port (default ${DEFAULT_SERVER_OPTIONS.port})
    --listen ADDR     address to listen on (default ${DEFAULT_SERVER_OPTIONS.host})
    --max-frame BYTES largest frame accepted (default ${DEFAULT_SERVER_OPTIONS.maxFrameBytes})
    --max-clients N   connections allowed at once (default ${DEFAULT_SERVER_OPTIONS.maxClients})
    --rate N          commands per second per connection; 0 = no limit (default ${DEFAULT_SERVER_OPTIONS.rate})
    --burst N         commands a connection may send at once (default ${DEFAULT_SERVER_OPTIONS.burst})
    --tls-cert FILE   serve TLS with this certificate chain (PEM); needs --tls-key
    --tls-key FILE    the certificate's private key (PEM, unencrypted)
    --redis URL       one room with other serve processes over Redis (or $REDIS_URL)`;

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
	/** redis:// URL: several serve processes act as one room (the CLI also reads REDIS_URL). */
	redis?: string;
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

/**
 * Starts the server and resolves once SIGINT or SIGTERM has closed it. Bad
 * flags reject with a ServerOptionsError before anything listens.
 */
export async function runServe(flags: ServeFlags, environment: ServeEnvironment = {}): Promise<void> {
	const signals = environment.signals ?? process;
	const log = environment.log ?? DEFAULT_SERVER_OPTIONS.log;
	const options = {log, ...environment.options, ...serveFlagsToOptions(flags)};
	// Cluster mode: a Redis hub, imported only here so a plain server never loads ioredis.
	const clusterHub = flags.redis === undefined ? undefined : await (await import('./redis/serve-hub.js')).openServeHub(flags.redis, log, options.quiet);
	const server = await startServer(clusterHub ? {...options, hub: clusterHub} : options).catch(async (error: unknown) => {
		await clusterHub?.close();
		throw error;
	});
	log(`codechat-tui server listening on ${server.address}${server.options.tls ? ' (TLS)' : ''}`);
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
	await server.close();
	await clusterHub?.close();
}
