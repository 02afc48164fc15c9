// `serve` flags (strings from the command line) to checked server values.
import type {ServeFlags} from '../server/serve-command.js';
import {DEFAULT_SERVER_OPTIONS, MIN_FRAME_BYTES} from '../server/options.js';
import type {Dialect} from '../protocol/types.js';
import type {CommandLineFlags} from './flags.js';
import {UsageError, parseCount, parsePort} from './usage.js';

export type ServeResult = {ok: true; flags: ServeFlags & {port: number; listen: string}} | {ok: false; error: string};

const DIALECTS: readonly Dialect[] = ['codechat', '2015'];

function parseDialect(text: string): Dialect {
	const dialect = DIALECTS.find(name => name === text.trim());
	if (!dialect) throw new UsageError(`--dialect must be codechat or 2015, not "${text}"`);
	return dialect;
}

export function resolveServeFlags(input: CommandLineFlags, environment: Partial<Record<string, string>>): ServeResult {
	try {
		// Which flags the serve command takes, and which go together, is checked before this (command-line.ts).
		const flags: ServeFlags & {port: number; listen: string} = {
			port: input.port === undefined ? DEFAULT_SERVER_OPTIONS.port : parsePort(input.port, '--port'),
			listen: input.listen ?? DEFAULT_SERVER_OPTIONS.host,
			maxFrame: parseCount(input.maxFrame, '--max-frame', MIN_FRAME_BYTES),
			maxClients: parseCount(input.maxClients, '--max-clients', 1),
			rate: parseCount(input.rate, '--rate', 0),
			burst: parseCount(input.burst, '--burst', 1),
			history: parseCount(input.history, '--history', 0),
		};
		if (input.dialect !== undefined) flags.dialect = parseDialect(input.dialect);
		const redis = input.redis ?? environment.REDIS_URL;
		if (redis !== undefined && redis !== '') Object.assign(flags, {redis});
		if (input.data !== undefined) {
			if (input.data.trim() === '') throw new UsageError('--data needs a directory');
			if (flags.redis !== undefined) {
				const redisSource = input.redis === undefined ? 'REDIS_URL' : '--redis';
				throw new UsageError(`--data and ${redisSource} exclude each other: a cluster keeps its history in Redis, shared by every node; give one`);
			}
			flags.data = input.data;
		}

		if (flags.dialect === '2015' && flags.redis !== undefined) {
			throw new UsageError('--dialect 2015 runs one server alone: the 2015 clients\' frames do not travel between cluster nodes; leave out --redis (and REDIS_URL)');
		}

		if (flags.dialect === '2015' && input.history !== undefined && flags.history !== 0) {
			throw new UsageError('--dialect 2015 keeps no history (its clients cannot ask for it): leave out --history');
		}

		if (input.tlsCert !== undefined) Object.assign(flags, {tlsCert: input.tlsCert, tlsKey: input.tlsKey});
		if (input.data !== undefined) Object.assign(flags, {data: input.data});
		if (input.accountsOnly) Object.assign(flags, {accountsOnly: true});
		if (input.allowPlaintextPasswords) Object.assign(flags, {allowPlaintextPasswords: true});
		return {ok: true, flags};
	} catch (error) {
		return {ok: false, error: (error as Error).message};
	}
}
