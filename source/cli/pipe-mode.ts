// Pipe mode: no Ink. Each stdin line is a message or a slash command; events
// go to stdout as text lines, or NDJSON with --json. On end of input it waits
// for the outstanding acknowledgements (at most 5 s), sends exit, and ends
// with 0, or 1 when a message failed or the connection could not be made.
import {createInterface} from 'node:readline';
import type {Readable, Writable} from 'node:stream';
import type {ChatClient} from '../client/index.js';
import {interpretLine} from '../commands/index.js';
import {toJsonLine, toPlainLine, type PipeEvent} from './pipe-output.js';

export type PipeOptions = {
	client: ChatClient;
	input: Readable;
	output: Writable;
	json: boolean;
	/** How long to wait for acknowledgements after end of input, ms. @default 5000 */
	drainTimeoutMs?: number;
};

/** Commands that make sense without a screen. */
const pipeCommands = new Set(['send', 'rename', 'who', 'quit', 'help', 'reconnect', 'error', 'info']);

export async function runPipe(options: PipeOptions): Promise<number> {
	const {client, input, output, json} = options;
	const drainTimeoutMs = options.drainTimeoutMs ?? 5000;
	const write = (event: PipeEvent) => {
		const line = json ? toJsonLine(event) : toPlainLine(event);
		if (line !== undefined) output.write(line);
	};

	let failures = 0;
	let everConnected = false;
	let me = client.user;
	let roster: string[] = [];
	let finishing = false;
	let resolveDone!: (code: number) => void;
	const done = new Promise<number>(resolve => {
		resolveDone = resolve;
	});

	client
		.on('connected', event => {
			everConnected = true;
			me = event.user;
			write({type: 'connected', user: event.user, server: event.server});
		})
		.on('message', event => write({type: 'message', user: event.user, text: event.text, time: new Date(event.time).toISOString()}))
		.on('enter', event => write({type: 'enter', user: event.user}))
		.on('exit', event => write({type: 'exit', user: event.user}))
		.on('rename', event => write({type: 'rename', oldname: event.oldname, newname: event.newname}))
		.on('renamed', event => {
			me = event.newname;
			write({type: 'rename', oldname: event.oldname, newname: event.newname});
		})
		.on('renameFailed', event => write({type: 'error', message: `cannot rename to ${event.newname}: ${event.error}`}))
		.on('roster', event => {
			roster = event.users;
			// The periodic refresh is bookkeeping; print what was asked for and the first fill.
			if (event.source !== 'refresh') write({type: 'roster', users: event.users});
		})
		.on('sent', event => write({type: 'sent', text: event.text}))
		.on('failed', event => {
			failures++;
			write({type: 'failed', text: event.text, error: event.error});
		})
		.on('error', event => write({type: 'error', message: event.message}))
		.on('warning', event => write({type: 'warning', message: event.message}))
		.on('reconnecting', event => write({type: 'reconnecting', attempt: event.attempt, delay: event.delayMs}))
		.on('disconnected', event => {
			write({type: 'disconnected', reason: event.reason});
			// A bot started against a server that is not there should not wait forever.
			if (!everConnected) abort();
		});

	/** The connection could not be made: stop now, whatever is waiting. */
	let aborted = false;
	const abort = () => {
		if (aborted) return;
		aborted = true;
		failures++;
		finishing = true;
		lines.close();
		client.close();
		resolveDone(1);
	};

	// Lines take effect strictly in order: a command waits for the connection and
	// for the messages typed before it, so "hi" then "/rename bob" sends "hi" as the old name.
	let chain = Promise.resolve();
	const inOrder = (step: () => void | Promise<void>) => {
		chain = chain.then(step).catch((error: unknown) => {
			write({type: 'error', message: `pipe mode: ${(error as Error).message}`});
		});
	};

	const afterEarlierMessages = async (): Promise<boolean> => {
		await connection(client, Number.POSITIVE_INFINITY);
		await waitForAcks(client, drainTimeoutMs);
		return !aborted;
	};

	/** End of input or /quit: wait (at most drainTimeoutMs) for the acknowledgements, then leave. */
	const finish = (reason?: string) => {
		if (finishing) return;
		finishing = true;
		lines.close();
		inOrder(async () => {
			// Before the first connection, its own timeout (or refusal) decides; after it, a drop gets the drain time.
			await connection(client, everConnected ? drainTimeoutMs : Number.POSITIVE_INFINITY);
			if (aborted) return;
			await waitForAcks(client, drainTimeoutMs);
			// Whatever is still unacknowledged is reported failed by the client as it leaves.
			await client.exit(reason);
			resolveDone(failures > 0 ? 1 : 0);
		});
	};

	const lines = createInterface({input, crlfDelay: Number.POSITIVE_INFINITY});
	lines.on('line', line => {
		if (finishing) return;
		const descriptor = interpretLine(line, {me, roster});
		if (!descriptor) return;
		if (!pipeCommands.has(descriptor.type)) {
			write({type: 'error', message: `/${descriptor.type} does nothing in pipe mode`});
			return;
		}

		switch (descriptor.type) {
			case 'send': {
				const {text} = descriptor;
				inOrder(() => {
					client.send(text);
				});
				break;
			}

			case 'rename': {
				const {newname} = descriptor;
				inOrder(async () => {
					if (await afterEarlierMessages()) client.rename(newname);
				});
				break;
			}

			case 'who':
				inOrder(async () => {
					if (await afterEarlierMessages()) client.who();
				});
				break;
			case 'reconnect':
				inOrder(() => {
					client.reconnectNow();
				});
				break;
			case 'quit':
				finish(descriptor.reason);
				break;
			case 'error':
				// A line that could not be sent is a lost message: it counts as a failure.
				failures++;
				write({type: 'error', message: descriptor.text});
				break;
			case 'help':
			case 'info':
				write({type: 'info', message: descriptor.text});
				break;
			default:
				break;
		}
	});
	lines.on('close', () => {
		finish();
	});

	client.start();
	return done;
}

/** Resolves once the client is connected, or after `timeoutMs`. */
async function connection(client: ChatClient, timeoutMs: number): Promise<void> {
	if (client.connected) return;
	await new Promise<void>(resolve => {
		const stop = () => {
			if (timer !== undefined) clearTimeout(timer);
			client.off('connected', stop).off('disconnected', onDisconnected);
			resolve();
		};

		// A client closed for good will not connect: stop waiting.
		const onDisconnected = ({willReconnect}: {willReconnect: boolean}) => {
			if (!willReconnect) stop();
		};

		const timer = Number.isFinite(timeoutMs) ? setTimeout(stop, timeoutMs) : undefined;
		client.on('connected', stop).on('disconnected', onDisconnected);
	});
}

/** Resolves once nothing waits for an acknowledgement, or after `timeoutMs`. */
async function waitForAcks(client: ChatClient, timeoutMs: number): Promise<void> {
	if (client.pending().length === 0) return;
	await new Promise<void>(resolve => {
		const check = () => {
			if (client.pending().length === 0) stop();
		};

		const stop = () => {
			if (timer !== undefined) clearTimeout(timer);
			client.off('sent', check).off('failed', check);
			resolve();
		};

		const timer = Number.isFinite(timeoutMs) ? setTimeout(stop, timeoutMs) : undefined;
		client.on('sent', check).on('failed', check);
	});
}
