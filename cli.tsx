#!/usr/bin/env node
// The entry point: flags in, app out. The only file that reads argv or exits.
// Ink, the client and the server are imported only once the flags say they
// are needed, so --help and --version load none of them.
import process from 'node:process';
import {userInfo} from 'node:os';
import meow from 'meow';
import {flagDefinitions, findUnknownFlag, helpText} from './source/cli/flags.js';
import {resolveClientConfig, type ClientConfig} from './source/cli/config.js';
import {resolveServeFlags} from './source/cli/serve-flags.js';

const cli = meow(helpText, {
	importMeta: import.meta,
	flags: flagDefinitions,
	allowUnknownFlags: true,
	description: false,
});

/** Bad input: one line on stderr, exit 2, before any connection is made. */
function usageError(message: string): never {
	process.stderr.write(`codechat-tui: ${message} (see codechat-tui --help)\n`);
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

async function serve(): Promise<void> {
	const resolved = resolveServeFlags(cli.flags, process.env);
	if (!resolved.ok) usageError(resolved.error);
	const {runServe, ServerOptionsError} = await import('./source/server/index.js');
	try {
		await runServe(resolved.flags);
	} catch (error) {
		if (error instanceof ServerOptionsError) usageError(error.message);
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') fail(`port ${resolved.flags.port} is already in use — is a server already running? Pick another --port`);
		if (code === 'EACCES') fail(`not allowed to listen on port ${resolved.flags.port} — pick a --port above 1023`);
		if (code === 'EADDRNOTAVAIL') fail(`${resolved.flags.listen} is not an address of this machine — use 127.0.0.1 or 0.0.0.0 with --listen`);
		throw error;
	}

	process.exit(0);
}

async function join(config: ClientConfig): Promise<void> {
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
			tls = {ca: config.tls.caFile === undefined ? undefined : readTlsCa(config.tls.caFile), rejectUnauthorized: !config.tls.insecure};
		} catch (error) {
			usageError((error as Error).message);
		}
	}

	let hostLabel = `${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;
	let host = config.host;
	let port = config.port;
	let stopServer: (() => Promise<void>) | undefined;
	if (config.serve) {
		const {hostRoom} = await import('./source/cli/hosting.js');
		try {
			const room = await hostRoom(config.serve.listen, config.port, config.serve.limits);
			host = room.connectHost;
			port = room.server.port;
			// The address others can use, in the status bar and the "connected to" line.
			hostLabel = `${room.shareAddress} (hosting)`;
			stopServer = async () => room.server.close();
		} catch (error) {
			fail((error as Error).message);
		}
	}

	const client = new ChatClient({host, port, user: config.user, tls});
	const transcript = transcriptFd === undefined ? undefined : attachTranscript(client, transcriptFd);
	const insecureWarning = config.tls?.insecure ? 'TLS certificate checks are OFF (--insecure): anyone on the network path can read and change this chat' : undefined;

	let code: number;
	if (config.json || !process.stdin.isTTY) {
		if (insecureWarning) process.stderr.write(`codechat-tui: warning: ${insecureWarning}\n`);
		const {runPipe} = await import('./source/cli/pipe-mode.js');
		code = await runPipe({client, input: process.stdin, output: process.stdout, json: config.json});
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
		code = await runTui({client, serverLabel: hostLabel, warning: insecureWarning, earlyEvents});
	}

	transcript?.close();
	await stopServer?.();
	process.exit(code);
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

async function main(): Promise<void> {
	const unknown = findUnknownFlag(process.argv.slice(2));
	if (unknown !== undefined) usageError(`unknown option ${unknown}`);
	const [command, ...rest] = cli.input;
	if (command === 'serve') {
		if (rest.length > 0) usageError(`serve takes no arguments, got "${rest.join(' ')}"`);
		await serve();
		return;
	}

	if (command !== undefined) usageError(`unknown command "${command}"; the only command is serve`);
	const resolved = resolveClientConfig(cli.flags, process.env, loginName());
	if (!resolved.ok) usageError(resolved.error);
	await join(resolved.config);
}

try {
	await main();
} catch (error) {
	fail(`unexpected error: ${(error as Error).stack ?? String(error)}`);
}
