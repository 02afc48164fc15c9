// A stand-in for the original 2015 CodeChat Go server, written from
// PROTOCOL.md §5 as measured against the real one (we do not run Go in
// tests). It behaves as that server does where our client must cope:
// - frames go out back to back, with no delimiter and no newline at all
//   (several per write, and optionally cut into tiny chunks);
// - statuses are {"cmd":"return-status","return-cmd","status","payload"}; the
//   connect status says "client-connect" and its payload is the shared file;
// - events carry "from" and "payload"; a rename's payload is "OLD,NEW";
// - `exit` sends the others client-exit with the reason ("reason unknown"
//   without one) and closes the socket at once, with no status;
// - a connection that ends without `exit`, and any failed or unknown
//   command, sends the others {"cmd":"","from":U,"payload":""} instead;
// - get-clients is not implemented: it is such a failed command;
// - any user name is accepted, duplicates included;
// - `update-file {msg}` replaces the shared file (no name, no versions): the
//   others get {"cmd":"update-file","from":U,"payload":TEXT}, newcomers the new
//   text with their connect status. §5 does not say whether that server answers
//   it with a status; this one does (return-cmd "update-file"), the client copes with either.
// Only node:net: this must not depend on the code it tests.
import net from 'node:net';

export type Fake2015Options = {
	/** Cut every write into chunks of this many bytes (splitting UTF-8 characters too). */
	chunkBytes?: number;
	/** The room's shared file, sent as the connect status's payload. @default FAKE_2015_SHARED_FILE */
	sharedFile?: string;
};

/** What the shared file holds unless a test says otherwise: source text, never a welcome. */
export const FAKE_2015_SHARED_FILE = 'package main\n\nfunc main() {}\n';

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

	/** The others learn that `session` may have left: the empty-cmd frame. */
	function mayHaveLeft(session: Session): void {
		if (session.name === undefined) return;
		broadcast(session, {cmd: '', from: session.name, payload: ''});
	}

	/** `exit`: the others get client-exit with the reason, and the socket closes at once. */
	function exit(session: Session, reason: string): void {
		const {name} = session;
		session.name = undefined;
		if (name !== undefined) broadcast(session, {cmd: 'client-exit', from: name, payload: reason === '' ? 'reason unknown' : reason});
		session.socket.destroy();
	}

	let sharedFile = options.sharedFile ?? FAKE_2015_SHARED_FILE;

	function handle(session: Session, frame: Record<string, unknown>): void {
		received.push({from: session.name, frame});
		const text = (value: unknown): string => (typeof value === 'string' ? value : '');
		switch (frame.cmd) {
			case 'connect': {
				session.name = text(frame.username);
				status(session, 'client-connect', true, sharedFile);
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

			case 'exit': {
				exit(session, text(frame.msg));
				break;
			}

			case 'update-file': {
				sharedFile = text(frame.msg);
				status(session, 'update-file', true, '');
				broadcast(session, {cmd: 'update-file', from: session.name, payload: sharedFile});
				break;
			}

			// get-clients is not implemented there: a failed command like any unknown one.
			default: {
				status(session, text(frame.cmd), false, '');
				mayHaveLeft(session);
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
					mayHaveLeft(session);
				}
			}
		});
		socket.on('error', () => {});
		socket.on('close', () => {
			sessions.delete(session);
			mayHaveLeft(session);
			session.name = undefined;
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
