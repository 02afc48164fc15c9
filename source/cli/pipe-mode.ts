// Pipe mode: no Ink. Each stdin line is a message or a slash command; events
// go to stdout as text lines, or NDJSON with --json. On end of input it waits
// for the outstanding acknowledgements, sends exit, and ends with 0, or 1
// when any line failed (a message not sent, a rename refused here or by the
// server, an unknown command or one that does nothing here) or the
// connection could not be made.
//
// Rooms (§10): the client joins the rooms of --room at start; a plain line
// goes to the first of them (else #lobby); /msg, /join, /part and /rooms
// work as typed, each waiting for its answer, and a refusal counts as a
// failed line. Events name their room (and `to` for direct messages).
//
// Lines take effect strictly in order: a command waits for the connection and
// for the messages before it, so "hi" then "/rename bob" sends "hi" as the
// old name. The wait at the end gives up after 5 s without an
// acknowledgement (not 5 s in all: a long input paced under the server's rate
// limit keeps making progress, and nothing typed is dropped while it does),
// not counting the time the server asked us to wait before resending.
import {createInterface} from 'node:readline';
import type {Readable, Writable} from 'node:stream';
import {DEFAULT_OUTBOX_CAPACITY, subscribe, type ChatClient, type ChatClientEvents} from '../client/index.js';
import {interpretLine} from '../commands/index.js';
import type {Feature} from '../protocol/codes.js';
import type {CommandDescriptor, DescriptorType, RoomAction} from '../commands/types.js';
import type {ConversationEvent, SendTarget} from '../client/events.js';
import {LOBBY, roomKey} from '../protocol/rooms.js';
import {DisconnectLines} from '../state/connection-lines.js';
import {placeOf, toJsonLine, toPlainLine, type PipeEvent} from './pipe-output.js';

export type PipeOptions = {
	client: ChatClient;
	input: Readable;
	output: Writable;
	json: boolean;
	/** Where a plain line goes: the first --room (the client joins it at start); undefined: #lobby. */
	room?: string;
	/** How long to wait without an acknowledgement (or a connection) before giving up, ms. @default 5000 */
	drainTimeoutMs?: number;
};

/** What each command does here; 'screen only' for those that mean nothing without a screen. A new command without an entry does not compile. */
type PipeCommands = {
	[K in DescriptorType]: ((descriptor: Extract<CommandDescriptor, {type: K}>) => void) | 'screen only';
};

/** Messages handed to the client at once; past this, reading waits for acknowledgements. */
const OUTBOX_HIGH_WATER = Math.floor(DEFAULT_OUTBOX_CAPACITY * 0.9);
/** Lines read ahead of the ones taking effect; past this, stdin is paused. */
const READ_AHEAD_LINES = 1000;

export async function runPipe(options: PipeOptions): Promise<number> {
	const {client, input, output, json} = options;
	const target: SendTarget | undefined = options.room === undefined ? undefined : {room: options.room};
	/** Where a client event happened, as the NDJSON names it. */
	const where = (conversation: string, to?: string) => placeOf(conversation, client.supports('rooms'), to);
	const drainTimeoutMs = options.drainTimeoutMs ?? 5000;
	const disconnects = new DisconnectLines();
	const write = (event: PipeEvent) => {
		const line = json ? toJsonLine(event) : toPlainLine(event);
		if (line !== undefined) output.write(line);
		if (event.type === 'connected') disconnects.connected();
		else if (event.type === 'error') disconnects.error(event.message);
		else if (event.type !== 'disconnected') disconnects.other();
	};

	let failures = 0;
	let everConnected = false;
	let dialectNamed = false;
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

	/** The client cannot go on (no connection at start, refused for good, or `loggedOut` and so closed by the server): stop now. */
	const stop = (loggedOut = false) => {
		if (stopped) return;
		stopped = true;
		if (!loggedOut) failures++;
		finishing = true;
		lines.close();
		// Anything still waiting is reported failed as the client closes.
		client.close();
		resolveDone(failures > 0 ? 1 : 0);
	};

	// One entry per client event (undefined: not printed); who is present and who we are is the client's.
	subscribe(client, {
		connected(event) {
			everConnected = true;
			write({type: 'connected', user: event.user, server: event.server});
			if (event.dialect === '2015' && !dialectNamed) {
				dialectNamed = true;
				write({type: 'info', message: 'this is a 2015 CodeChat server: no user list, so rosters show who was seen'});
			}
		},
		message: event => write({
			type: 'message',
			user: event.user,
			text: event.text,
			time: new Date(event.time).toISOString(),
			...where(event.conversation, event.to),
			...(event.seq === undefined ? {} : {seq: event.seq}),
			...(event.backlog ? {backlog: true} : {}),
			...(event.recovered ? {recovered: true} : {}),
			...(event.action ? {action: true} : {}),
		}),
		away(event) {
			if (event.user !== undefined) write({type: 'away', user: event.user, msg: event.reason ?? ''});
		},
		enter: event => write({type: 'enter', user: event.user, ...where(event.conversation)}),
		exit: event => write({type: 'exit', user: event.user, ...(event.msg === undefined ? {} : {msg: event.msg}), ...where(event.conversation), ...(event.part ? {part: true} : {})}),
		conversation(event) {
			switch (event.kind) {
				case 'joined':
					// A rejoin after a reconnect is bookkeeping: the reconnect was said already.
					if (!event.again) write({type: 'joined', room: event.room, users: event.users});
					break;
				case 'parted':
					write({type: 'parted', room: event.room});
					break;
				case 'refused':
					failures++;
					write({type: 'error', message: event.error});
					break;
				case 'joining':
				case 'opened':
				case 'closed':
					break;
				default: {
					const unknown: never = event;
					throw new Error(`unhandled conversation event ${JSON.stringify(unknown)}`);
				}
			}
		},
		roomList(event) {
			if (event.ok) {
				write({type: 'rooms', rooms: event.rooms});
				return;
			}

			failures++;
			write({type: 'error', message: `/rooms: ${event.error}`});
		},
		gone: undefined,
		rename: event => write({type: 'rename', oldname: event.oldname, newname: event.newname}),
		renamed: event => write({type: 'rename', oldname: event.oldname, newname: event.newname}),
		renameFailed(event) {
			failures++;
			write({type: 'error', message: `cannot rename to ${event.newname}: ${event.error}`});
		},
		roster(event) {
			// The periodic refresh is bookkeeping; print what was asked for and the first fill.
			if (event.source !== 'refresh') write({type: 'roster', users: event.users, complete: event.complete});
		},
		sent: event => write({type: 'sent', text: event.text, ...where(event.conversation), ...(event.seq === undefined ? {} : {seq: event.seq}), ...(event.time === undefined ? {} : {time: new Date(event.time).toISOString()})}),
		failed(event) {
			failures++;
			write({type: 'failed', text: event.text, error: event.error, ...where(event.conversation)});
		},
		disconnected(event) {
			// One line per outage and reason, as the TUI and the transcript say it.
			if (disconnects.disconnected(event.reason)) write({type: 'disconnected', reason: event.reason});
			// A bot started against a server that is not there should not wait forever, and
			// one refused for good (server full, name taken) should say so and stop.
			if (!leaving && (!everConnected || !event.willReconnect)) stop(event.loggedOut);
		},
		reconnecting: event => write({type: 'reconnecting', attempt: event.attempt, delay: event.delayMs}),
		lag: undefined,
		caughtUp: event => write({type: 'caught-up', backlog: event.backlog, recovered: event.recovered}),
		historyGap: event => write({type: 'gap', missed: event.missed, kept: event.kept}),
		historyReset: () => write({type: 'reset'}),
		older: undefined,
		// Pipe mode never prompts: a password it lacks ends the run with an error instead.
		passwordNeeded: undefined,
		account(event) {
			if (!event.ok) failures++;
			write({type: event.ok ? 'info' : 'error', message: event.message});
		},
		// The shared file is the TUI's pane; pipe mode speaks chat only.
		file: undefined,
		error: event => write({type: 'error', message: event.message}),
		warning: event => write({type: 'warning', message: event.message}),
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

	/**
	 * What a line says of itself (an error, /help) is printed in its place
	 * among the lines, after the connection and what the lines before it did;
	 * a line that failed makes the exit code 1.
	 */
	const answerLine = (event: PipeEvent & {type: 'error' | 'info'}) => {
		command(() => {
			if (event.type === 'error') failures++;
			write(event);
		});
	};

	const send = (text: string, to: SendTarget | undefined, action = false) => {
		inOrder(async () => {
			// Backpressure: a long input waits here rather than overflowing the outbox.
			while (!stopped && client.pending().length >= OUTBOX_HIGH_WATER) await nextAcknowledgement(client);
			client.send(text, to, {action});
		});
	};

	/** /join and /part wait for their answer, so the lines after them are said in the room, or not at all. */
	const roomCommand = (action: RoomAction) => {
		switch (action.kind) {
			case 'join':
				command(async () => {
					const answered = conversationOutcome(client, action.room, ['joined', 'refused']);
					client.join(action.room);
					await answered;
				});
				return;
			case 'part':
				command(async () => {
					const answered = conversationOutcome(client, action.room, ['parted', 'refused']);
					client.part(action.room, action.reason);
					await answered;
				});
				return;
			case 'list':
				command(async () => {
					const answered = firstOf(client, ['roomList', 'disconnected']);
					client.listRooms();
					await answered;
				});
				return;
			case 'say':
				send(action.text, {room: action.room});
				return;
			case 'direct':
				send(action.text, {to: action.to});
				return;
			case 'query':
				// No screen to open it on: only a text, if given, means something here.
				if (action.text !== undefined) send(action.text, {to: action.with});
				return;
			case 'close':
				return;
			default: {
				const unknown: never = action;
				throw new Error(`unhandled room action ${JSON.stringify(unknown)}`);
			}
		}
	};

	const commands: PipeCommands = {
		send({text}) {
			send(text, target);
		},
		action({text}) {
			send(text, target, true);
		},
		away({reason}) {
			inOrder(() => {
				if (!client.setAway(reason)) answerLine({type: 'error', message: '/away: not connected, or the server does not support presence'});
			});
		},
		whois: 'screen only',
		ignore: 'screen only',
		search: 'screen only',
		rename({newname}) {
			// The next line waits for the answer, so a second rename names the right old name.
			command(async () => {
				const answered = renameOutcome(client);
				client.rename(newname);
				await answered;
			});
		},
		who() {
			// The next line waits for the list, so what it prints comes after the users.
			command(async () => {
				const answered = whoOutcome(client);
				client.who();
				await answered;
			});
		},
		reconnect() {
			inOrder(() => {
				client.reconnectNow();
			});
		},
		quit({reason}) {
			finish(reason);
		},
		error({text}) {
			answerLine({type: 'error', message: text});
		},
		help({text}) {
			answerLine({type: 'info', message: text});
		},
		info({text}) {
			answerLine({type: 'info', message: text});
		},
		clear: 'screen only',
		// They ask for passwords, hidden: that needs a person at a terminal.
		register: 'screen only',
		password: 'screen only',
		logout() {
			// The next line waits for the answer: a script that logs out and then renames means that order.
			command(async () => {
				const answered = firstOf(client, ['account', 'disconnected']);
				client.logout();
				await answered;
			});
		},
		file() {
			answerLine({type: 'error', message: 'the shared file (/file, /share, /edit, /save) is shown and edited in the full-screen interface only'});
		},
		room({action}) {
			roomCommand(action);
		},
	};

	lines.on('line', line => {
		if (finishing) return;
		// Lines are read before the server has said what it supports: until it has, a command is let
		// through, and the client's own check refuses it when it runs (after connected, in order).
		const supports = (feature: Feature) => !client.connected || client.supports(feature);
		const descriptor = interpretLine(line, {me: client.user, roster: client.roster.users.map(user => user.name), supports, conversation: {kind: 'room', room: options.room ?? LOBBY}});
		if (!descriptor) return;
		const run = commands[descriptor.type] as ((descriptor: CommandDescriptor) => void) | 'screen only';
		if (run === 'screen only') answerLine({type: 'error', message: `/${descriptor.type} does nothing in pipe mode`});
		else run(descriptor);
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
async function firstOf(client: ChatClient, names: Array<keyof ChatClientEvents>, accept: (payload: unknown) => boolean = () => true): Promise<void> {
	await new Promise<void>(resolve => {
		const finish = (payload: unknown) => {
			if (!accept(payload)) return;
			for (const name of names) client.off(name, finish);
			resolve();
		};

		for (const name of names) client.on(name, finish);
	});
}

/** The answer to our join or part of `room`, either way, or a disconnect. */
async function conversationOutcome(client: ChatClient, room: string, kinds: Array<ConversationEvent['kind']>): Promise<void> {
	const key = roomKey(room);
	await firstOf(client, ['conversation', 'disconnected'], payload => {
		const event = payload as Partial<ConversationEvent>;
		// A disconnect has no kind: it ends the wait too.
		if (event.kind === undefined) return true;
		return kinds.includes(event.kind) && 'room' in event && typeof event.room === 'string' && roomKey(event.room) === key;
	});
}

/** The next acknowledgement (sent or failed), or a disconnect. */
const nextAcknowledgement = async (client: ChatClient) => firstOf(client, ['sent', 'failed', 'disconnected']);
/** The answer to our rename, either way, or a disconnect. */
const renameOutcome = async (client: ChatClient) => firstOf(client, ['renamed', 'renameFailed', 'disconnected']);
/** A refused get-clients is only a warning: it ends the wait too. */
const whoOutcome = async (client: ChatClient) =>
	firstOf(client, ['roster', 'warning', 'disconnected'], payload => (payload as {source?: string}).source === undefined || (payload as {source?: string}).source === 'who');

/**
 * Resolves once nothing waits for an acknowledgement, or when none has come
 * for `idleMs`: progress keeps the wait going, silence ends it. The time the
 * server told us to wait before resending (`unavailable`, `rate-limited` with
 * `retry`) is not silence: the messages are kept and go again.
 */
async function waitForAcks(client: ChatClient, idleMs: number): Promise<void> {
	if (client.pending().length === 0) return;
	await new Promise<void>(resolve => {
		const idle = () => {
			if (client.resendScheduled) timer = setTimeout(idle, idleMs);
			else finish();
		};

		let timer = setTimeout(idle, idleMs);
		const progress = () => {
			if (client.pending().length === 0) {
				finish();
				return;
			}

			clearTimeout(timer);
			timer = setTimeout(idle, idleMs);
		};

		const finish = () => {
			clearTimeout(timer);
			client.off('sent', progress).off('failed', progress);
			resolve();
		};

		client.on('sent', progress).on('failed', progress);
	});
}
