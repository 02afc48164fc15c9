#!/usr/bin/env node
// The entry point: flags in, app out. The only file that reads argv or exits.
// Ink, the client and the server are imported only once the flags say they
// are needed, so --help and --version load none of them.
import process from 'node:process';
import {homedir, userInfo} from 'node:os';
import packageJson from './package.json' with {type: 'json'};
import {helpHint, parseCommandLine} from './source/cli/command-line.js';
import {DEFAULT_TUI_BACKLOG, type CommandLineFlags, type CommandName} from './source/cli/flags.js';
import {helpText} from './source/cli/help-text.js';
import {resolveClientConfig, type ClientConfig} from './source/cli/config.js';
import {resolveServeFlags} from './source/cli/serve-flags.js';
import {PasswordFileError, readPasswordFile, takeEnvironmentPassword} from './source/cli/password-source.js';
import {formatAddress} from './source/protocol/address.js';

// First of all, before anything can start a child process ($EDITOR, a hook): no child inherits the password.
const environmentPassword = takeEnvironmentPassword(process.env);

/** Bad input: one line on stderr, exit 2, before any connection is made. */
function usageError(message: string, command: CommandName = 'join'): never {
	process.stderr.write(`codechat-tui: ${message} ${helpHint(command)}\n`);
	process.exit(2);
}

/** A failure at run time: what happened and what to do, exit 1. */
function fail(message: string): never {
	process.stderr.write(`codechat-tui: ${message}\n`);
	process.exit(1);
}

function loginName(): string {
	try {
		return userInfo().username;
	} catch {
		return '';
	}
}

async function serve(flags: CommandLineFlags): Promise<void> {
	const resolved = resolveServeFlags(flags, process.env);
	if (!resolved.ok) usageError(resolved.error, 'serve');
	const {runServe, ServerOptionsError, StoreError} = await import('./source/server/index.js');
	try {
		await runServe(resolved.flags);
	} catch (error) {
		if (error instanceof ServerOptionsError) usageError(error.message, 'serve');
		// The data directory cannot be used (unreadable, newer, locked, damaged) or Redis is not there: its one line, exit 2.
		if (error instanceof StoreError) {
			process.stderr.write(`codechat-tui: ${error.message}\n`);
			process.exit(2);
		}

		const {listenErrorText} = await import('./source/cli/listen-error.js');
		const text = listenErrorText((error as NodeJS.ErrnoException).code, resolved.flags.listen, resolved.flags.port);
		if (text !== undefined) fail(text);
		throw error;
	}

	process.exit(0);
}

async function account(command: Extract<ReturnType<typeof parseCommandLine>, {kind: 'account'}>): Promise<void> {
	const {runAccountCommand} = await import('./source/server/accounts/account-command.js');
	const {code, line} = await runAccountCommand(command, {input: process.stdin, prompt: process.stderr});
	if (code === 0) process.stdout.write(`${line}\n`);
	else if (code === 2) usageError(line);
	else fail(line);
	process.exit(0);
}

/** --password-file, else $CODECHAT_PASSWORD; a file others can read is refused with exit 2, as ssh refuses such a key. */
function scriptedPassword(config: ClientConfig): string | undefined {
	if (config.passwordFile === undefined) return environmentPassword;
	try {
		return readPasswordFile(config.passwordFile);
	} catch (error) {
		if (error instanceof PasswordFileError) usageError(error.message);
		throw error;
	}
}

async function join(config: ClientConfig): Promise<void> {
	const password = scriptedPassword(config);
	const {openTranscript, attachTranscript} = await import('./source/cli/transcript.js');
	let transcriptFd: number | undefined;
	if (config.logFile !== undefined) {
		try {
			transcriptFd = openTranscript(config.logFile);
		} catch (error) {
			usageError((error as Error).message);
		}
	}

	const {ChatClient} = await import('./source/client/index.js');
	let tls;
	if (config.tls) {
		const {readTlsCa} = await import('./source/cli/tls-files.js');
		try {
			tls = {ca: config.tls.caFile === undefined ? undefined : readTlsCa(config.tls.caFile, config.tls.caSource ?? '--tls-ca'), rejectUnauthorized: !config.tls.insecure};
		} catch (error) {
			usageError((error as Error).message);
		}
	}

	let hostLabel = formatAddress(config.host, config.port);
	let host = config.host;
	let port = config.port;
	let stopServer: ((hostName: string) => Promise<void>) | undefined;
	if (config.serve) {
		const {hostServer} = await import('./source/cli/hosting.js');
		try {
			const hosted = await hostServer(config.serve.listen, config.port, config.serve.limits);
			host = hosted.connectHost;
			port = hosted.server.port;
			// The address others can use, in the status bar and the "connected to" line.
			hostLabel = `${hosted.shareAddress} (hosting)`;
			stopServer = hosted.stop;
		} catch (error) {
			fail((error as Error).message);
		}
	}

	const pipe = config.json || !process.stdin.isTTY;
	const {TokenStore, stateDirectory} = await import('./source/cli/token-store.js');
	const tokens = new TokenStore(stateDirectory(process.env));
	const tokenServer = {host, port, tls: config.tls !== undefined};
	const {OpenRoomsStore, configDirectory} = await import('./source/cli/open-rooms.js');
	const openRooms = new OpenRoomsStore(configDirectory(process.env), tokenServer);
	const client = new ChatClient({
		host,
		port,
		user: config.user,
		tls,
		backlog: config.backlog ?? (pipe ? 0 : (config.ui.backlog ?? DEFAULT_TUI_BACKLOG)),
		rooms: config.rooms,
		// A bot's rooms are its command line's; a person's are what they left open last time.
		...(pipe ? {} : {conversations: {
			read: name => openRooms.read(name),
			save: (name, names) => openRooms.save(name, names),
			readSeen: name => openRooms.readSeen(name),
			saveSeen: (name, seen) => openRooms.saveSeen(name, seen),
		}}),
		login: {
			transport: config.tls === undefined ? 'plain' : config.tls.insecure ? 'insecure-tls' : 'tls',
			scriptedPassword: password,
			canPrompt: !pipe,
			tokens: {
				read: name => tokens.read(tokenServer, name),
				save(name, token) {
					tokens.write(tokenServer, name, token);
				},
				forget(name) {
					tokens.remove(tokenServer, name);
				},
			},
		},
	});
	const transcript = transcriptFd === undefined ? undefined : attachTranscript(client, transcriptFd);
	const insecureWarning = config.tls?.insecure ? 'TLS certificate checks are OFF (--insecure): anyone on the network path can read and change this chat' : undefined;

	let code: number;
	if (pipe) {
		if (insecureWarning) process.stderr.write(`codechat-tui: warning: ${insecureWarning}\n`);
		const {runPipe} = await import('./source/cli/pipe-mode.js');
		code = await runPipe({client, input: process.stdin, output: process.stdout, json: config.json, room: config.rooms?.[0]});
	} else {
		// Ink renders only the last frame when it believes it runs in CI (CI=… set), which
		// would leave a person with a blank screen. A TTY on both ends means a person is here.
		if (process.stdout.isTTY) {
			delete process.env.CI;
			delete process.env.CONTINUOUS_INTEGRATION;
		}

		// Connect while Ink loads: the events wait in a buffer until the interface takes them.
		const {EventBuffer} = await import('./source/client/event-buffer.js');
		const earlyEvents = new EventBuffer(client);
		client.start();
		const {runTui} = await withoutFetch(async () => import('./source/ui/run-tui.js'));
		const {resolveNotifyMethod} = await import('./source/notify/notify-method.js');
		const {ignore, problem} = await loadIgnoreList(config.ui.ignore, configDirectory(process.env));
		const {ReadMarksStore} = await import('./source/cli/read-marks-store.js');
		const readMarks = new ReadMarksStore(stateDirectory(process.env), tokenServer, config.user);
		const readBack = readMarks.read();
		const settings = {
			highlights: config.ui.highlights,
			quietJoins: config.ui.quietJoins,
			notify: resolveNotifyMethod(config.ui.notify, process.env),
			ignore,
			timestamps: config.ui.timestamps,
			colours: config.ui.colours,
			keys: config.ui.keys,
			mouseWheel: config.ui.mouseWheel,
			readMarks: {stored: readBack.marks, save: readMarks.save.bind(readMarks)},
		};
		const warning = [insecureWarning, problem, readBack.problem].filter(Boolean).join('; ') || undefined;
		code = await runTui({client, serverLabel: hostLabel, warning, earlyEvents, hosting: stopServer !== undefined, settings});
		// The last place read, which waits a moment to be written with the next.
		readMarks.flush(readProblem => process.stderr.write(`codechat-tui: ${readProblem}\n`));
	}

	transcript?.close();
	// Named as the host is now, after any /rename.
	await stopServer?.(client.user);
	process.exit(code);
}

/** The config file's ignore list and the one /ignore keeps; a file that cannot be read is said, and only the config's names hold. */
async function loadIgnoreList(fromConfig: readonly string[], configDir: string) {
	const [{IgnoreList}, {IgnoreStore}] = await Promise.all([import('./source/ui/ignore-list.js'), import('./source/cli/ignore-store.js')]);
	const store = new IgnoreStore(configDir);
	try {
		return {ignore: new IgnoreList(fromConfig, store.read(), store), problem: undefined};
	} catch (error) {
		return {ignore: new IgnoreList(fromConfig, [], store), problem: (error as Error).message};
	}
}

/**
 * Runs `load` with globalThis.fetch hidden. Yoga, Ink's layout engine, loads
 * its WebAssembly with fetch() of a data: URL when fetch exists, which makes
 * Node load its whole HTTP client first (about 25 ms of start-up, measured by
 * bench startup); without fetch it decodes the same bytes itself. Nothing
 * here uses fetch, and it is put back afterwards.
 */
async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
	const fetchProperty = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
	Object.defineProperty(globalThis, 'fetch', {value: undefined, configurable: true, writable: true});
	try {
		return await load();
	} finally {
		if (fetchProperty) Object.defineProperty(globalThis, 'fetch', fetchProperty);
	}
}

/** `codechat-tui config`: what the client would start with, and from where. */
async function printSettings(flags: CommandLineFlags): Promise<void> {
	const {loadConfigFile} = await import('./source/cli/config-file.js');
	const file = loadConfigFile(flags.config, process.env, homedir());
	if (!file.ok) usageError(file.error);
	const {settingsReport} = await import('./source/cli/config-report.js');
	const report = settingsReport({flags, environment: process.env, login: loginName(), file: {path: file.file, found: file.found, settings: file.settings}});
	if (!report.ok) usageError(report.error);
	process.stdout.write(report.text);
}

async function main(): Promise<void> {
	const commandLine = parseCommandLine(process.argv.slice(2));
	switch (commandLine.kind) {
		case 'help':
			process.stdout.write(helpText(commandLine.command));
			return;
		case 'version':
			process.stdout.write(`${packageJson.version}\n`);
			return;
		case 'error':
			usageError(commandLine.message, commandLine.command);
		case 'account':
			await account(commandLine);
			return;
		case 'config':
			await printSettings(commandLine.flags);
			return;
		case 'run':
			break;
		default:
			commandLine satisfies never;
	}

	if (commandLine.command === 'serve') {
		await serve(commandLine.flags);
		return;
	}

	// The TOML parser is loaded only here: --help and --version do not pay for it.
	const {loadConfigFile} = await import('./source/cli/config-file.js');
	const file = loadConfigFile(commandLine.flags.config, process.env, homedir());
	if (!file.ok) usageError(file.error);
	const resolved = resolveClientConfig(commandLine.flags, process.env, loginName(), file.settings);
	if (!resolved.ok) usageError(resolved.error);
	await join(resolved.config);
}

try {
	await main();
} catch (error) {
	fail(`unexpected error: ${(error as Error).stack ?? String(error)}`);
}
