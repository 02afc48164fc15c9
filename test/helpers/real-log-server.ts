// The reference server, with its real room log (memory, or SQLite with
// `dataDir`), behind a small gate on loopback that gives the tests the same
// handles as the scripted §9 server (history-server.ts): every command a
// client sent, links cut (dropAll), the server "down" (refuse), and history
// requests held back to watch what the client does meanwhile. Others speak
// through a raw client connected straight to the server, so their messages
// go through the real `msg` path: committed, numbered, fanned out.
import net from 'node:net';
import {startServer, type ChatServer, type ServerOptions} from '../../source/server/index.js';
import {LOBBY} from '../../source/server/hub.js';
import type {StoredMessage} from '../../source/server/store/message-log.js';
import type {LogServer} from './history-server.js';
import {onJsonLines} from './json-lines.js';
import {connectUser, type RawClient} from './raw-client.js';

export type RealLogServer = LogServer & {
	readonly server: ChatServer;
	/**
	 * The next `cmd` command any client sends reaches the server, whose side
	 * is then half-closed, and the client's link is cut at once: the server
	 * acts on it but its status is lost, as in a drop at the worst moment.
	 */
	loseNextStatus(cmd: string): void;
};

type Link = {client: net.Socket; upstream: net.Socket; index: number; chain: Promise<void>};

const running = new Set<RealLogServer>();

/** Closes every server startRealLogServer started that is still open (for afterEach). */
export async function closeRealLogServers(): Promise<void> {
	await Promise.all([...running].map(async server => server.close()));
}

export async function startRealLogServer(options: Partial<ServerOptions> = {}): Promise<RealLogServer> {
	const server = await startServer({port: 0, host: '127.0.0.1', quiet: true, closeGraceMs: 500, rate: 0, ...options});
	const log = server.messageLog;
	if (!log) throw new Error('the reference server was started without a room log');
	const links = new Set<Link>();
	const commands: LogServer['commands'] = [];
	const speakers = new Map<string, RawClient>();
	let held: Array<() => void> | undefined;
	let losing: string | undefined;
	let count = 0;
	let down = false;

	const gate = net.createServer(client => {
		if (down) {
			client.destroy();
			return;
		}

		const upstream = net.connect({port: server.port, host: '127.0.0.1'});
		const link: Link = {client, upstream, index: count++, chain: Promise.resolve()};
		links.add(link);
		const cut = () => {
			links.delete(link);
			client.destroy();
			upstream.destroy();
		};

		client.on('error', cut).on('close', cut);
		upstream.on('error', cut).on('close', cut);
		upstream.pipe(client);
		// Client to server frame by frame, so a history request can wait while later ones wait behind it.
		onJsonLines(client, frame => {
			commands.push({connection: link.index, frame});
			const line = JSON.stringify(frame) + '\n';
			if (frame.cmd === losing) {
				losing = undefined;
				// The server side ends only once the line is flushed; cutting it now could lose the command too.
				links.delete(link);
				client.removeAllListeners('close');
				upstream.end(line);
				client.destroy();
				return;
			}

			link.chain = link.chain.then(async () => {
				if (frame.cmd === 'history' && held) await new Promise<void>(resolve => held!.push(resolve));
				if (!upstream.destroyed) upstream.write(line);
			});
		});
	});
	await new Promise<void>(resolve => gate.listen(0, '127.0.0.1', resolve));
	const port = (gate.address() as net.AddressInfo).port;

	const speaker = async (user: string): Promise<RawClient> => {
		let raw = speakers.get(user);
		if (!raw) {
			raw = await connectUser(server.port, user);
			speakers.set(user, raw);
		}

		return raw;
	};

	const stored = async (): Promise<StoredMessage[]> => {
		const all: StoredMessage[] = [];
		let after = 0;
		for (;;) {
			const page = await log.history(LOBBY, {after}, 1000);
			all.push(...page.messages);
			if (!page.more || page.messages.length === 0) return all;
			after = page.messages.at(-1)!.seq;
		}
	};

	const handle: RealLogServer = {
		server,
		port,
		commands,
		async say(user, text) {
			const raw = await speaker(user);
			raw.sendFrame({cmd: 'msg', msg: text});
			const status: Record<string, unknown> = await raw.expectStatus(true);
			return {seq: Number(status.seq), epoch: String(status.epoch), time: Number(status.time), user, msg: text};
		},
		async fill(user, texts) {
			await log.append(texts.map(msg => ({conversation: LOBBY, user, msg})));
		},
		stored,
		dropAll() {
			for (const link of [...links]) {
				link.client.destroy();
				link.upstream.destroy();
			}

			links.clear();
		},
		refuse(refusing) {
			down = refusing;
		},
		resetLog() {
			throw new Error('the reference server resets its log only by a restart without --data');
		},
		holdHistory() {
			const waiting: Array<() => void> = [];
			held = waiting;
			return {
				release() {
					if (held === waiting) held = undefined;
					for (const resume of waiting.splice(0)) resume();
				},
			};
		},
		loseNextStatus(cmd) {
			losing = cmd;
		},
		connected: () => server.users - speakers.size,
		async close() {
			if (!running.delete(handle)) return;
			for (const raw of speakers.values()) raw.destroy();
			for (const link of links) link.client.destroy();
			await new Promise<void>(resolve => gate.close(() => resolve()));
			await server.close();
		},
	};
	running.add(handle);
	return handle;
}
