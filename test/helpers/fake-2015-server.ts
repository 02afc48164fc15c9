// A stand-in for the original 2015 CodeChat Go server, written from
// PROTOCOL.md §5 (we do not run Go in tests). It behaves as that server does
// where our client must cope:
// - frames go out back to back, with no delimiter and no newline at all
//   (several per write, and optionally cut into tiny chunks);
// - statuses are {"cmd":"return-status","return-cmd","status","payload"};
// - events carry "from" and "payload"; a rename's payload is "OLD,NEW";
// - get-clients is not implemented: a failure status, and the others get
//   an event with an empty "cmd";
// - exit gets no reply and the server does not close the socket;
// - any user name is accepted, duplicates included.
// Only node:net: this must not depend on the code it tests.
import net from 'node:net';

export type Fake2015Options = {
	/** Cut every write into chunks of this many bytes (splitting UTF-8 characters too). */
	chunkBytes?: number;
};

export type Fake2015Server = {
	port: number;
	/** Every command received, in order, with the name of the connection that sent it. */
	received: Array<{from: string | undefined; frame: Record<string, unknown>}>;
	/** Names currently connected, in join order (duplicates possible). */
	names(): string[];
	/** Sockets currently open. */
	connectionCount(): number;
	/** Writes raw text to every open socket (for hostile-server tests). */
	sendRaw(text: string): void;
	/** Destroys every client socket (a crash, as the clients see it) but keeps listening. */
	dropAll(): void;
	close(): Promise<void>;
};

type Session = {socket: net.Socket; name: string | undefined; outgoing: string[]; flushQueued: boolean; inbox: string};

export async function startFake2015Server(options: Fake2015Options = {}): Promise<Fake2015Server> {
	const sessions = new Set<Session>();
	const received: Fake2015Server['received'] = [];

	function writeNow(session: Session, text: string): void {
		if (session.socket.destroyed) return;
		const bytes = Buffer.from(text);
		const size = options.chunkBytes ?? bytes.length;
		for (let offset = 0; offset < bytes.length; offset += size) session.socket.write(bytes.subarray(offset, offset + size));
	}

	// Frames queued in one turn go out in one write, back to back: {..}{..}
	function queue(session: Session, frame: Record<string, unknown>): void {
		session.outgoing.push(JSON.stringify(frame));
		if (session.flushQueued) return;
		session.flushQueued = true;
		setImmediate(() => {
			session.flushQueued = false;
			writeNow(session, session.outgoing.splice(0).join(''));
		});
	}

	function others(session: Session): Session[] {
		return [...sessions].filter(other => other !== session && other.name !== undefined);
	}

	function broadcast(session: Session, frame: Record<string, unknown>): void {
		for (const other of others(session)) queue(other, frame);
	}

	function status(session: Session, command: string, ok: boolean, payload: unknown): void {
		queue(session, {cmd: 'return-status', 'return-cmd': command, status: ok, payload});
	}

	function leave(session: Session, reason: string): void {
		if (session.name === undefined) return;
		const {name} = session;
		session.name = undefined;
		broadcast(session, {cmd: 'client-exit', from: name, payload: reason});
	}

	function handle(session: Session, frame: Record<string, unknown>): void {
		received.push({from: session.name, frame});
		const text = (value: unknown): string => (typeof value === 'string' ? value : '');
		switch (frame.cmd) {
			case 'connect': {
				session.name = text(frame.username);
				status(session, 'connect', true, `welcome ${session.name}`);
				// The original server also pushes file updates; a client must ignore them.
				queue(session, {cmd: 'update-file', from: 'server', payload: {file: 'main.go', text: ''}});
				broadcast(session, {cmd: 'client-connect', from: session.name, payload: ''});
				break;
			}

			case 'msg': {
				status(session, 'msg', true, '');
				broadcast(session, {cmd: 'message', from: session.name, payload: text(frame.msg)});
				break;
			}

			case 'rename': {
				const oldname = session.name ?? '';
				session.name = text(frame.newname);
				status(session, 'rename', true, '');
				broadcast(session, {cmd: 'client-rename', from: oldname, payload: `${oldname},${session.name}`});
				break;
			}

			case 'get-clients': {
				status(session, 'get-clients', false, '');
				broadcast(session, {cmd: '', from: session.name, payload: ''});
				break;
			}

			case 'exit': {
				leave(session, text(frame.msg)); // no reply, and the socket stays open
				break;
			}

			default: {
				status(session, text(frame.cmd), false, '');
			}
		}
	}

	const server = net.createServer(socket => {
		const session: Session = {socket, name: undefined, outgoing: [], flushQueued: false, inbox: ''};
		sessions.add(session);
		socket.setNoDelay(true); // so chunked writes really arrive in pieces
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			// Our client sends NDJSON, so lines are enough here.
			session.inbox += chunk;
			let newline;
			while ((newline = session.inbox.indexOf('\n')) !== -1) {
				const line = session.inbox.slice(0, newline).trim();
				session.inbox = session.inbox.slice(newline + 1);
				if (line === '') continue;
				try {
					handle(session, JSON.parse(line) as Record<string, unknown>);
				} catch {
					status(session, '', false, '');
				}
			}
		});
		socket.on('error', () => {});
		socket.on('close', () => {
			sessions.delete(session);
			leave(session, 'connection closed');
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			resolve();
		});
	});
	const address = server.address() as net.AddressInfo;

	return {
		port: address.port,
		received,
		names: () => [...sessions].map(session => session.name).filter((name): name is string => name !== undefined),
		connectionCount: () => sessions.size,
		sendRaw(text) {
			for (const session of sessions) writeNow(session, text);
		},
		dropAll() {
			for (const session of sessions) session.socket.destroy();
		},
		async close() {
			for (const session of sessions) session.socket.destroy();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
