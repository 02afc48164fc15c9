// A scripted server that speaks PROTOCOL.md §9 over the project's real
// memory log: seq, epoch and time on every message and on the sender's
// status, ids answered as duplicates, `history` with after/before/limit and
// first/last/more. One room (#lobby). Tests and the bench drive it: others
// speak through say(), the log can be reset or trimmed, links dropped, and
// history replies held back to watch what the client does meanwhile.
//
// It stands in for the reference server until that one keeps a log; a test
// that uses it through `startLogServer` switches by changing that one line.
import net from 'node:net';
import {MemoryLog} from '../../source/server/store/memory-log.js';
import {encodeMessageEvent} from '../../source/server/store/message-event.js';
import type {HistoryQuery, StoredMessage} from '../../source/server/store/message-log.js';
import {onJsonLines} from './json-lines.js';

const ROOM = '#lobby';

export type LogServerOptions = {
	/** Messages kept; older ones are trimmed. @default 10000 */
	keep?: number;
	/** What `connect` lists. @default ['codes', 'history'] */
	features?: string[];
};

export type LogServer = {
	port: number;
	/** Every command each connection sent, in order, with the connection's index. */
	readonly commands: Array<{connection: number; frame: Record<string, unknown>}>;
	/** Someone who is not connected says `text`: stored, then sent to every connected client. */
	say(user: string, text: string): Promise<StoredMessage>;
	/** Many at once, for benches: stored in one append, no events sent. */
	fill(user: string, texts: string[]): Promise<void>;
	/** Every stored message, oldest first. */
	stored(): Promise<StoredMessage[]>;
	/** Cuts every client's link, as a crash or a network drop would. */
	dropAll(): void;
	/** While true, every new connection is cut at once (the server is down). */
	refuse(down: boolean): void;
	/** A new, empty log with a new epoch (a restart without --data). */
	resetLog(keep?: number): void;
	/** Later `history` replies wait until release() (statuses after them wait too, as the order requires). */
	holdHistory(): {release(): void};
	connected(): number;
	close(): Promise<void>;
};

type Client = {socket: net.Socket; name?: string; index: number; chain: Promise<void>};

const ok = (extra: Record<string, unknown> = {}, text = '') => ({success: true, 'error-msg': '', 'success-msg': text, ...extra});
const fail = (code: string, error: string) => ({success: false, 'error-msg': error, 'success-msg': '', code});

export async function startLogServer(options: LogServerOptions = {}): Promise<LogServer> {
	let log = new MemoryLog({perConversation: options.keep ?? 10_000});
	const features = options.features ?? ['codes', 'history'];
	const clients = new Set<Client>();
	const commands: LogServer['commands'] = [];
	let held: Array<() => void> | undefined;
	let count = 0;
	let down = false;

	const send = (client: Client, frame: unknown) => {
		if (!client.socket.destroyed) client.socket.write(typeof frame === 'string' ? frame : JSON.stringify(frame) + '\n');
	};

	const broadcast = (message: StoredMessage, except?: Client) => {
		const line = encodeMessageEvent(message);
		for (const client of clients) if (client !== except && client.name !== undefined) send(client, line);
	};

	async function history(frame: Record<string, unknown>): Promise<unknown> {
		const {after, before, limit} = frame;
		if (after !== undefined && before !== undefined) return fail('bad-field', 'give after or before, not both');
		const query: HistoryQuery = typeof after === 'number' ? {after} : typeof before === 'number' ? {before} : {};
		const page = await log.history(ROOM, query, typeof limit === 'number' ? limit : undefined);
		if (held) await new Promise<void>(resolve => held!.push(resolve));
		// The events as the server encodes them, spliced into the status.
		const messages = page.messages.map(message => encodeMessageEvent(message).trimEnd()).join(',');
		return `{"success":true,"error-msg":"","success-msg":"","messages":[${messages}],"epoch":${JSON.stringify(page.epoch)},"first":${page.first},"last":${page.last},"more":${page.more}}\n`;
	}

	async function handle(client: Client, frame: Record<string, unknown>): Promise<void> {
		switch (frame.cmd) {
			case 'connect': {
				client.name = String(frame.username);
				send(client, ok({server: 'codechat-tui/test', features, limits: {frame: 65_536, msg: 4096, file: 1_048_576}}, `welcome ${client.name}`));
				return;
			}

			case 'get-clients': {
				const names = [...clients].flatMap(other => (other.name === undefined ? [] : [other.name]));
				send(client, ok({clients: names}, names.join(', ')));
				return;
			}

			case 'msg': {
				const id = typeof frame.id === 'string' ? frame.id : undefined;
				const [outcome] = await log.append([{conversation: ROOM, user: client.name!, msg: String(frame.msg), ...(id === undefined ? {} : {id})}]);
				if (outcome.outcome === 'conflict') {
					send(client, fail('conflict', 'that id names another message'));
					return;
				}

				const {seq, epoch, time} = outcome;
				send(client, ok({seq, epoch, time, ...(outcome.outcome === 'duplicate' ? {duplicate: true} : {})}, 'sent'));
				if (outcome.outcome === 'stored') broadcast({seq, epoch, time, user: client.name!, msg: String(frame.msg), ...(id === undefined ? {} : {id})}, client);
				return;
			}

			case 'history': {
				send(client, await history(frame));
				return;
			}

			case 'exit': {
				send(client, ok({}, 'goodbye'));
				client.socket.end();
				return;
			}

			default: {
				send(client, fail('unknown-command', `unknown command ${String(frame.cmd)}`));
			}
		}
	}

	const server = net.createServer(socket => {
		if (down) {
			socket.destroy();
			return;
		}

		const client: Client = {socket, index: count++, chain: Promise.resolve()};
		clients.add(client);
		socket.on('close', () => clients.delete(client));
		socket.on('error', () => {});
		onJsonLines(socket, frame => {
			commands.push({connection: client.index, frame});
			// One command at a time per connection: statuses go out in the order the commands came.
			client.chain = client.chain.then(async () => handle(client, frame)).catch(() => {
				socket.destroy();
			});
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});

	return {
		port: (server.address() as net.AddressInfo).port,
		commands,
		async say(user, text) {
			const [outcome] = await log.append([{conversation: ROOM, user, msg: text}]);
			if (outcome.outcome === 'conflict') throw new Error('conflict');
			const message = {seq: outcome.seq, epoch: outcome.epoch, time: outcome.time, user, msg: text};
			broadcast(message);
			return message;
		},
		async fill(user, texts) {
			await log.append(texts.map(text => ({conversation: ROOM, user, msg: text})));
		},
		async stored() {
			const all: StoredMessage[] = [];
			let after = 0;
			for (;;) {
				const page = await log.history(ROOM, {after}, 1000);
				all.push(...page.messages);
				if (page.messages.length === 0 || !page.more) return all;
				after = page.messages.at(-1)!.seq;
			}
		},
		dropAll() {
			for (const client of clients) client.socket.destroy();
		},
		refuse(value) {
			down = value;
		},
		resetLog(keep) {
			log = new MemoryLog({perConversation: keep ?? options.keep ?? 10_000});
		},
		holdHistory() {
			const waiting: Array<() => void> = [];
			held = waiting;
			return {
				release() {
					if (held === waiting) held = undefined;
					for (const resolve of waiting.splice(0)) resolve();
				},
			};
		},
		connected: () => [...clients].filter(client => client.name !== undefined).length,
		async close() {
			for (const client of clients) client.socket.destroy();
			await new Promise<void>(resolve => {
				server.close(() => resolve());
			});
		},
	};
}
