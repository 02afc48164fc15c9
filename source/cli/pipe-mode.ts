// Pipe mode: no Ink. Each stdin line is a message or a slash command; events
// go to stdout as text lines, or NDJSON with --json. On end of input it waits
// for the outstanding acknowledgements, sends exit, and ends with 0, or 1
// when a message failed or the connection could not be made.
//
// Lines take effect strictly in order: a command waits for the connection and
// for the messages before it, so "hi" then "/rename bob" sends "hi" as the
// old name. The wait at the end gives up after 5 s without an
// acknowledgement (not 5 s in all: a long input paced under the server's rate
// limit keeps making progress, and nothing typed is dropped while it does).
import {createInterface} from 'node:readline';
import type {Readable, Writable} from 'node:stream';
import {DEFAULT_OUTBOX_CAPACITY, type ChatClient, type ChatClientEvents} from '../client/index.js';
import {interpretLine} from '../commands/index.js';
import {toJsonLine, toPlainLine, type PipeEvent} from './pipe-output.js';

export type PipeOptions = {
	client: ChatClient;
	input: Readable;
	output: Writable;
	json: boolean;
	/** How long to wait without an acknowledgement (or a connection) before giving up, ms. @default 5000 */
	drainTimeoutMs?: number;
};

/** Commands that make sense without a screen. */
const pipeCommands = new Set(['send', 'rename', 'who', 'quit', 'help', 'reconnect', 'error', 'info']);

/** Messages handed to the client at once; past this, reading waits for acknowledgements. */
const OUTBOX_HIGH_WATER = Math.floor(DEFAULT_OUTBOX_CAPACITY * 0.9);
/** Lines read ahead of the ones taking effect; past this, stdin is paused. */
const READ_AHEAD_LINES = 1000;

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
	/** End of input or /quit was seen: no more lines are read. */
	let finishing = false;
	/** We are leaving on purpose: the disconnect that follows is ours. */
	let leaving = false;
	let stopped = false;
	let resolveDone!: (code: number) => void;
	const done = new Promise<number>(resolve => {
		resolveDone = resolve;
	});

	const lines = createInterface({input, crlfDelay: Number.POSITIVE_INFINITY});

	/** The client cannot go on (no connection at start, or refused for good): stop now. */
	const stop = () => {
		if (stopped) return;
		stopped = true;
		failures++;
		finishing = true;
		lines.close();
		// Anything still waiting is reported failed as the client closes.
		client.close();
		resolveDone(1);
	};

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
			// A bot started against a server that is not there should not wait forever, and
			// one refused for good (server full, name taken) should say so and stop.
			if (!leaving && (!everConnected || !event.willReconnect)) stop();
		});

	// The steps, run one after the other in the order of the lines.
	let chain = Promise.resolve();
	let queuedSteps = 0;
	const inOrder = (step: () => void | Promise<void>) => {
		queuedSteps++;
		if (queuedSteps > READ_AHEAD_LINES && !finishing) lines.pause();
		chain = chain
			.then(async () => {
				if (!stopped) await step();
			})
			.catch((error: unknown) => {
				write({type: 'error', message: `pipe mode: ${(error as Error).message}`});
			})
			.finally(() => {
				queuedSteps--;
				if (queuedSteps <= READ_AHEAD_LINES / 2 && !finishing) lines.resume();
			});
	};

	/** Before the first connection, its own outcome decides; after it, a drop gets the drain time. */
	const waitForConnection = async () => connection(client, everConnected ? drainTimeoutMs : Number.POSITIVE_INFINITY);

	/** A command runs once connected and once the messages before it are acknowledged. */
	const command = (run: () => Promise<void> | void) => {
		inOrder(async () => {
			await waitForConnection();
			await waitForAcks(client, drainTimeoutMs);
			if (!stopped) await run();
		});
	};

	/** End of input or /quit: wait for the acknowledgements, then leave. */
	const finish = (reason?: string) => {
		if (finishing) return;
		finishing = true;
		lines.close();
		inOrder(async () => {
			await waitForConnection();
			await waitForAcks(client, drainTimeoutMs);
			leaving = true;
			// Whatever is still unacknowledged is reported failed by the client as it leaves.
			await client.exit(reason);
			resolveDone(failures > 0 ? 1 : 0);
		});
	};

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
				inOrder(async () => {
					// Backpressure: a long input waits here rather than overflowing the outbox.
					while (!stopped && client.pending().length >= OUTBOX_HIGH_WATER) await nextAcknowledgement(client);
					client.send(text);
				});
				break;
			}

			case 'rename': {
				const {newname} = descriptor;
				// The next line waits for the answer, so a second rename names the right old name.
				command(async () => {
					const answered = renameOutcome(client);
					client.rename(newname);
					await answered;
				});
				break;
			}

			case 'who':
				command(() => {
					client.who();
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

/** Resolves once the client is connected, once it is closed for good, or after `timeoutMs`. */
async function connection(client: ChatClient, timeoutMs: number): Promise<void> {
	if (client.connected) return;
	await new Promise<void>(resolve => {
		const finish = () => {
			if (timer !== undefined) clearTimeout(timer);
			client.off('connected', finish).off('disconnected', onDisconnected);
			resolve();
		};

		const onDisconnected = ({willReconnect}: {willReconnect: boolean}) => {
			if (!willReconnect) finish();
		};

		const timer = Number.isFinite(timeoutMs) ? setTimeout(finish, timeoutMs) : undefined;
		client.on('connected', finish).on('disconnected', onDisconnected);
	});
}

/** Resolves at the first of these client events. */
async function firstOf(client: ChatClient, names: Array<keyof ChatClientEvents>): Promise<void> {
	await new Promise<void>(resolve => {
		const finish = () => {
			for (const name of names) client.off(name, finish);
			resolve();
		};

		for (const name of names) client.on(name, finish);
	});
}

/** The next acknowledgement (sent or failed), or a disconnect. */
const nextAcknowledgement = async (client: ChatClient) => firstOf(client, ['sent', 'failed', 'disconnected']);
/** The answer to our rename, either way, or a disconnect. */
const renameOutcome = async (client: ChatClient) => firstOf(client, ['renamed', 'renameFailed', 'disconnected']);

/**
 * Resolves once nothing waits for an acknowledgement, or when none has come
 * for `idleMs`: progress keeps the wait going, silence ends it.
 */
async function waitForAcks(client: ChatClient, idleMs: number): Promise<void> {
	if (client.pending().length === 0) return;
	await new Promise<void>(resolve => {
		let timer = setTimeout(() => finish(), idleMs);
		const progress = () => {
			if (client.pending().length === 0) {
				finish();
				return;
			}

			clearTimeout(timer);
			timer = setTimeout(() => finish(), idleMs);
		};

		const finish = () => {
			clearTimeout(timer);
			client.off('sent', progress).off('failed', progress);
			resolve();
		};

		client.on('sent', progress).on('failed', progress);
	});
}
