// `serve` flags (strings from the command line) to checked server flags.
import type {ServeFlags} from '../server/serve-command.js';
import {MIN_FRAME_BYTES} from '../server/options.js';
import {DEFAULT_PORT} from '../protocol/limits.js';
import {optionName, type CommandLineFlags, type FlagName} from './flags.js';
import {UsageError, parseCount, parsePort} from './usage.js';

/** Client flags that mean nothing to the server: refused rather than ignored. */
const clientOnly: FlagName[] = ['user', 'serve', 'json', 'host', 'log', 'tls', 'tlsCa', 'insecure'];

export type ServeResult = {ok: true; flags: ServeFlags & {port: number; listen: string}} | {ok: false; error: string};

export function resolveServeFlags(input: CommandLineFlags, environment: Partial<Record<string, string>>): ServeResult {
	try {
		for (const name of clientOnly) {
			if (input[name] !== undefined && input[name] !== false) {
				throw new UsageError(`${optionName(name)} is a client option; the serve command does not take it (TLS for the server: --tls-cert and --tls-key)`);
			}
		}

		if ((input.tlsCert === undefined) !== (input.tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
		const flags: ServeFlags & {port: number; listen: string} = {
			port: input.port === undefined ? DEFAULT_PORT : parsePort(input.port, '--port'),
			listen: input.listen ?? '127.0.0.1',
			maxFrame: parseCount(input.maxFrame, '--max-frame', MIN_FRAME_BYTES),
			maxClients: parseCount(input.maxClients, '--max-clients', 1),
			rate: parseCount(input.rate, '--rate', 0),
			burst: parseCount(input.burst, '--burst', 1),
		};
		const redis = input.redis ?? environment.REDIS_URL;
		if (redis !== undefined && redis !== '') Object.assign(flags, {redis});
		if (input.tlsCert !== undefined) Object.assign(flags, {tlsCert: input.tlsCert, tlsKey: input.tlsKey});
		return {ok: true, flags};
	} catch (error) {
		return {ok: false, error: (error as Error).message};
	}
}
