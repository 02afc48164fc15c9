// Flags, environment and config file in, a checked client configuration out:
// the values (ports, names, host:port). Each setting comes from the first
// that gives it: a flag, then $CODECHAT_*, then the config file (already
// checked as it was read, config-schema.ts), then the default. Pure, so every
// bad-input message is tested without starting anything.
import type {NotifyMethod} from '../notify/notify-method.js';
import {DEFAULT_PORT, MAX_USERNAME_CHARS, usernameProblem} from '../protocol/limits.js';
import {roomProblem} from '../protocol/rooms.js';
import {DEFAULT_SERVER_OPTIONS} from '../server/options.js';
import type {KeyOverride} from './config-keys.js';
import type {FileSettings} from './config-schema.js';
import {MAX_BACKLOG, type CommandLineFlags} from './flags.js';
import {resolveServeFlags} from './serve-flags.js';
import {UsageError, parsePort} from './usage.js';

/** Limits for the server that --serve hosts in this process. */
export type ServeLimits = {maxFrame?: number; maxClients?: number; rate?: number; burst?: number; data?: string; history?: number};

export type Environment = Partial<Record<'CODECHAT_HOST' | 'CODECHAT_PORT' | 'CODECHAT_USER', string>>;

export type ClientConfig = {
	host: string;
	port: number;
	user: string;
	/** Host a server in this process first (`--serve`), listening here. */
	serve?: {listen: string; limits: ServeLimits};
	json: boolean;
	logFile?: string;
	/** caSource names where caFile came from, for the one line that says it cannot be read. */
	tls?: {caFile?: string; caSource?: string; insecure: boolean};
	/** `--room #x`, each checked, in order: joined at start; pipe mode's plain lines go to the first. */
	rooms?: readonly string[];
	/** `--backlog N`; undefined: the interface's default. */
	backlog?: number;
	/** --password-file: read at start-up (its mode checked), sent only after the server's auth-required. */
	passwordFile?: string;
	/** What only the full-screen client uses. */
	ui: UiSettings;
};

/** The full-screen client's settings, defaults filled in. */
export type UiSettings = {
	/** The config file's backlog: the full-screen client's only, so a bot in pipe mode still answers no old messages. */
	backlog?: number;
	/** Words that count as mentions of you: the file's, then --highlight's. */
	highlights: readonly string[];
	/** Names whose messages are not shown (read, not yet acted on). */
	ignore: readonly string[];
	timestamps: {seconds: boolean; dateLines: boolean};
	colours: {ownNick?: string; mention?: string};
	/** Commands given other keys; see withKeyOverrides. */
	keys: readonly KeyOverride[];
	notify: NotifyMethod;
	/** Fold runs of joins, leaves and renames into one line, and hide a visit under a minute without a word. */
	quietJoins: boolean;
	/** The wheel scrolls the pane and the sidebar (mouse reporting on, which takes over plain selection). */
	mouseWheel: boolean;
};

export type ConfigResult = {ok: true; config: ClientConfig} | {ok: false; error: string};

function serveLimits(flags: CommandLineFlags): ServeLimits {
	const {maxFrame, maxClients, rate, burst, data, history} = flags;
	const checked = resolveServeFlags({maxFrame, maxClients, rate, burst, data, history}, {});
	if (!checked.ok) throw new UsageError(checked.error);
	const limits = checked.flags;
	return {maxFrame: limits.maxFrame, maxClients: limits.maxClients, rate: limits.rate, burst: limits.burst, data: limits.data, history: limits.history};
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
	// A character is kept when it would be a valid name alone: the one name rule, applied letter by letter.
	const cleaned = [...login.replaceAll(/\s/gu, '_')].filter(char => usernameProblem(char) === undefined).slice(0, MAX_USERNAME_CHARS).join('');
	return cleaned === '' ? 'guest' : cleaned;
}

export function resolveClientConfig(flags: CommandLineFlags, environment: Environment, login: string, file: FileSettings = {}): ConfigResult {
	try {
		return {ok: true, config: resolve(flags, environment, login, file)};
	} catch (error) {
		if (error instanceof UsageError) return {ok: false, error: error.message};
		throw error;
	}
}

function uiSettings(flags: CommandLineFlags, file: FileSettings): UiSettings {
	const flagWords = (flags.highlight ?? []).map(word => word.trim());
	if (flagWords.includes('')) throw new UsageError('--highlight needs a word');
	const highlights = [...new Set([...(file.highlight ?? []), ...flagWords])];

	return {
		...(file.backlog === undefined ? {} : {backlog: file.backlog}),
		highlights,
		ignore: file.ignore ?? [],
		timestamps: {seconds: file.timestamps?.seconds ?? false, dateLines: file.timestamps?.dateLines ?? false},
		colours: {...file.colours},
		keys: file.keys ?? [],
		notify: file.notifications?.method ?? 'auto',
		quietJoins: file.display?.quietJoins ?? true,
		mouseWheel: file.mouse?.wheel ?? false,
	};
}

function resolve(flags: CommandLineFlags, environment: Environment, login: string, file: FileSettings): ClientConfig {
	// --serve joins the room it hosts: $CODECHAT_HOST and the file's host name a server to join, not this one.
	const hostText = flags.host ?? (flags.serve ? undefined : environment.CODECHAT_HOST);
	const hostSource = flags.host === undefined ? 'CODECHAT_HOST' : '--host';
	const fileHost = flags.serve ? undefined : file.host;
	// A port written into the file's host belongs to that host: a host from a flag or $CODECHAT_HOST does not take it.
	const target = hostText === undefined ? (fileHost ?? {host: 'localhost'}) : splitHostPort(hostText, hostSource);

	let port = target.port;
	const portText = flags.port ?? environment.CODECHAT_PORT;
	if (portText !== undefined) {
		const portSource = flags.port === undefined ? 'CODECHAT_PORT' : '--port';
		const explicit = parsePort(portText, portSource);
		// The file's host:port gives way to a port flag or variable; one line that says two ports is refused.
		if (hostText !== undefined && port !== undefined && port !== explicit) {
			throw new UsageError(`${hostSource} says port ${port} but ${portSource} says ${explicit}; give one`);
		}

		port = explicit;
	}

	port ??= file.port;
	let user: string;
	if (flags.user !== undefined || environment.CODECHAT_USER !== undefined) {
		user = flags.user ?? environment.CODECHAT_USER!;
		const problem = usernameProblem(user);
		const source = flags.user === undefined ? 'CODECHAT_USER' : '--user';
		if (problem) throw new UsageError(`${source} "${user}" is not a valid name: ${problem}`);
	} else {
		user = file.user ?? defaultUserName(login);
	}

	// Which flags go together is checked before this, from the flag table (command-line.ts).
	const config: ClientConfig = {host: target.host, port: port ?? DEFAULT_PORT, user, json: flags.json ?? false, ui: uiSettings(flags, file)};
	if (flags.serve) {
		config.serve = {listen: flags.listen ?? DEFAULT_SERVER_OPTIONS.host, limits: serveLimits(flags)};
		// The client joins the server it hosts.
		config.host = '127.0.0.1';
	}

	if (flags.log !== undefined) {
		if (flags.log.trim() === '') throw new UsageError('--log needs a file name');
		config.logFile = flags.log;
	}

	// The file's TLS is for the servers it names: --serve hosts a plain room.
	if (flags.tls || (file.tls && !flags.serve)) {
		// Each flag wins over the file's opposite: --insecure over its CA, --tls-ca over its insecure.
		const insecure = flags.insecure ?? (flags.tlsCa === undefined ? (file.insecure ?? false) : false);
		const caFile = flags.tlsCa ?? (insecure ? undefined : file.tlsCa);
		config.tls = {caFile, ...(caFile === undefined ? {} : {caSource: flags.tlsCa === undefined ? 'tls-ca in the config file' : '--tls-ca'}), insecure};
	}

	if (flags.backlog !== undefined) {
		const text = flags.backlog.trim();
		const backlog = /^\d+$/.test(text) ? Number(text) : Number.NaN;
		if (!(backlog <= MAX_BACKLOG)) throw new UsageError(`--backlog "${flags.backlog}" is not a number of messages from 0 to ${MAX_BACKLOG}`);
		config.backlog = backlog;
	}

	if (flags.room !== undefined) {
		for (const room of flags.room) {
			const problem = roomProblem(room);
			if (problem !== undefined) throw new UsageError(`--room "${room}": ${problem} (for example --room '#dev'; quote it, a shell takes # for a comment)`);
		}

		config.rooms = flags.room;
	}

	if (flags.passwordFile !== undefined) {
		if (flags.passwordFile.trim() === '') throw new UsageError('--password-file needs a file name');
		config.passwordFile = flags.passwordFile;
	}

	return config;
}
