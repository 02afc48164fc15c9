// Flags and environment in, a checked client configuration out. Pure, so
// every bad-input message is tested without starting anything.
import {DEFAULT_PORT, usernameProblem} from '../protocol/limits.js';
import {optionName, type CommandLineFlags, type FlagName} from './flags.js';
import {resolveServeFlags} from './serve-flags.js';
import {UsageError, parsePort} from './usage.js';

/** Limits for the room that --serve hosts. */
export type RoomLimits = {maxFrame?: number; maxClients?: number; rate?: number; burst?: number};

export type Environment = Partial<Record<'CODECHAT_HOST' | 'CODECHAT_PORT' | 'CODECHAT_USER', string>>;

export type ClientConfig = {
	host: string;
	port: number;
	user: string;
	/** Host a room in this process first (`--serve`), listening here. */
	serve?: {listen: string; limits: RoomLimits};
	json: boolean;
	logFile?: string;
	tls?: {caFile?: string; insecure: boolean};
};

export type ConfigResult = {ok: true; config: ClientConfig} | {ok: false; error: string};

/** Server flags that --serve passes to the room it hosts. */
const roomFlags: FlagName[] = ['maxFrame', 'maxClients', 'rate', 'burst'];
/** Server flags only the serve command takes. */
const serveOnlyFlags: FlagName[] = ['tlsCert', 'tlsKey', 'redis'];

function roomLimits(flags: CommandLineFlags): RoomLimits {
	const checked = resolveServeFlags({maxFrame: flags.maxFrame, maxClients: flags.maxClients, rate: flags.rate, burst: flags.burst}, {});
	if (!checked.ok) throw new UsageError(checked.error);
	const {maxFrame, maxClients, rate, burst} = checked.flags;
	return {maxFrame, maxClients, rate, burst};
}

/** Splits "host", "host:port", "[v6]" or "[v6]:port". */
export function splitHostPort(text: string, source: string): {host: string; port?: number} {
	const value = text.trim();
	if (value === '') throw new UsageError(`${source} is empty; give a host name such as chat.example.com`);
	const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(value);
	if (bracketed) {
		return {host: bracketed[1], port: bracketed[2] === undefined ? undefined : parsePort(bracketed[2], `the port in ${source}`)};
	}

	const colons = value.split(':').length - 1;
	if (colons === 1) {
		const [host, port] = value.split(':');
		if (host === '') throw new UsageError(`${source} "${text}" has a port but no host`);
		return {host, port: parsePort(port, `the port in ${source}`)};
	}

	// No colon, or a bare IPv6 address.
	return {host: value};
}

/** The OS login name made into a valid user name: spaces become "_", other characters are dropped. */
export function defaultUserName(login: string): string {
	const cleaned = [...login.replaceAll(/\s/gu, '_')].filter(char => /[\p{L}\p{N}_.-]/u.test(char)).slice(0, 32).join('');
	return cleaned === '' ? 'guest' : cleaned;
}

export function resolveClientConfig(flags: CommandLineFlags, environment: Environment, login: string): ConfigResult {
	try {
		return {ok: true, config: resolve(flags, environment, login)};
	} catch (error) {
		if (error instanceof UsageError) return {ok: false, error: error.message};
		throw error;
	}
}

function resolve(flags: CommandLineFlags, environment: Environment, login: string): ClientConfig {
	const hostText = flags.host ?? environment.CODECHAT_HOST;
	const hostSource = flags.host === undefined ? 'CODECHAT_HOST' : '--host';
	const target = hostText === undefined ? {host: 'localhost'} : splitHostPort(hostText, hostSource);

	let port = target.port;
	const portText = flags.port ?? environment.CODECHAT_PORT;
	if (portText !== undefined) {
		const portSource = flags.port === undefined ? 'CODECHAT_PORT' : '--port';
		const explicit = parsePort(portText, portSource);
		if (port !== undefined && port !== explicit) {
			throw new UsageError(`${hostSource} says port ${port} but ${portSource} says ${explicit}; give one`);
		}

		port = explicit;
	}

	let user: string;
	if (flags.user !== undefined || environment.CODECHAT_USER !== undefined) {
		user = flags.user ?? environment.CODECHAT_USER!;
		const problem = usernameProblem(user);
		const source = flags.user === undefined ? 'CODECHAT_USER' : '--user';
		if (problem) throw new UsageError(`${source} "${user}" is not a valid name: ${problem}`);
	} else {
		user = defaultUserName(login);
	}

	if (flags.listen !== undefined && !flags.serve) throw new UsageError('--listen goes with --serve (or the serve command)');
	for (const name of roomFlags) {
		if (flags[name] !== undefined && !flags.serve) throw new UsageError(`${optionName(name)} is a server option: it goes with --serve or the serve command`);
	}

	for (const name of serveOnlyFlags) {
		const flag = optionName(name);
		if (flags[name] !== undefined) throw new UsageError(`${flag} is for the serve command (codechat-tui serve ${flag} …); --serve hosts a plain in-process room`);
	}
	if ((flags.tlsCa !== undefined || flags.insecure) && !flags.tls) throw new UsageError('--tls-ca and --insecure go with --tls');
	if (flags.serve && flags.tls) throw new UsageError('--serve hosts a plain TCP room; use `codechat-tui serve --tls-cert … --tls-key …` for TLS');

	const config: ClientConfig = {host: target.host, port: port ?? DEFAULT_PORT, user, json: flags.json ?? false};
	if (flags.serve) {
		config.serve = {listen: flags.listen ?? '127.0.0.1', limits: roomLimits(flags)};
		// The client joins the room it hosts.
		if (hostText === undefined) config.host = '127.0.0.1';
	}

	if (flags.log !== undefined) {
		if (flags.log.trim() === '') throw new UsageError('--log needs a file name');
		config.logFile = flags.log;
	}

	if (flags.tls) config.tls = {caFile: flags.tlsCa, insecure: flags.insecure ?? false};
	return config;
}
