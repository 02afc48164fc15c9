// `serve` flags (strings from the command line) to checked server flags.
import type {ServeFlags} from '../server/serve-command.js';
import {MIN_FRAME_BYTES} from '../server/options.js';
import {parsePort} from './config.js';

export type ServeInput = {
	port?: string;
	listen?: string;
	maxFrame?: string;
	maxClients?: string;
	rate?: string;
	burst?: string;
	tlsCert?: string;
	tlsKey?: string;
	redis?: string;
	user?: string;
	serve?: boolean;
	json?: boolean;
	host?: string;
	log?: string;
	tls?: boolean;
	tlsCa?: string;
	insecure?: boolean;
};

/** Client flags that mean nothing to the server: refused rather than ignored. */
const clientOnly = {user: '--user', serve: '--serve', json: '--json', host: '--host', log: '--log', tls: '--tls', tlsCa: '--tls-ca', insecure: '--insecure'} as const;

export type ServeResult = {ok: true; flags: ServeFlags & {port: number; listen: string}} | {ok: false; error: string};

export function count(text: string | undefined, flag: string, minimum: number): number | undefined {
	if (text === undefined) return undefined;
	const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
	if (!Number.isSafeInteger(value) || value < minimum) {
		throw new Error(`${flag} must be a whole number of at least ${minimum}, not "${text}"`);
	}

	return value;
}

export function resolveServeFlags(input: ServeInput, environment: Partial<Record<string, string>>): ServeResult {
	try {
		for (const [name, flag] of Object.entries(clientOnly) as Array<[keyof typeof clientOnly, string]>) {
			if (input[name] !== undefined && input[name] !== false) {
				throw new Error(`${flag} is a client option; the serve command does not take it (TLS for the server: --tls-cert and --tls-key)`);
			}
		}

		if ((input.tlsCert === undefined) !== (input.tlsKey === undefined)) throw new Error('--tls-cert and --tls-key go together');
		const flags: ServeFlags & {port: number; listen: string} = {
			port: input.port === undefined ? 8080 : parsePort(input.port, '--port'),
			listen: input.listen ?? '127.0.0.1',
			maxFrame: count(input.maxFrame, '--max-frame', MIN_FRAME_BYTES),
			maxClients: count(input.maxClients, '--max-clients', 1),
			rate: count(input.rate, '--rate', 0),
			burst: count(input.burst, '--burst', 1),
		};
		const redis = input.redis ?? environment.REDIS_URL;
		if (redis !== undefined && redis !== '') Object.assign(flags, {redis});
		if (input.tlsCert !== undefined) Object.assign(flags, {tlsCert: input.tlsCert, tlsKey: input.tlsKey});
		return {ok: true, flags};
	} catch (error) {
		return {ok: false, error: (error as Error).message};
	}
}
