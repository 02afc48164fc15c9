// The two yardsticks for the fan-out bench, both in-process and both speaking
// just enough of the protocol (connect, msg) for the load generator:
// - minimal: parses each line, stringifies each message once, writes the same
//   bytes to every other socket, or with a `room` to the room's other members
//   (`join` keeps a set per room); validates nothing. The target's reference.
//   Stamped, it adds §9's seq, epoch and time to each event, as a log does.
//   Its writes are corked until the end of the tick, so a burst leaves in one
//   syscall per socket: without that, a yardstick making one syscall per
//   event is so slow that any server beats it and the ratio says nothing.
// - naive: the way a first attempt looks: string buffering, and a fresh
//   JSON.stringify and a separate string write per recipient. It exists to
//   show that the load generator can tell a slower server from a faster one.
import net from 'node:net';

export type BenchServer = {port: number; close(): Promise<void>};

const okStatus = Buffer.from(JSON.stringify({success: true, 'error-msg': '', 'success-msg': 'sent'}) + '\n');

async function listen(server: net.Server): Promise<number> {
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as net.AddressInfo).port;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
	return async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise<void>(resolve => server.close(() => resolve()));
	};
}

/**
 * `stamped`: each event and the sender's status also carry the seq, epoch
 * and time that §9 puts on them in a server with a log (about 50 bytes more
 * per event; the epoch as long as a real one), so that a logging server can
 * be compared with one sending the same bytes.
 */
export async function startMinimalServer(stamped = false): Promise<BenchServer> {
	const members = new Map<net.Socket, string>();
	const rooms = new Map<string, Set<net.Socket>>();
	let seq = 0;
	const epoch = 'bench-epoch0';
	const sockets = new Set<net.Socket>();
	/** Whether the socket is corked until the next tick. */
	const corkable = new Map<net.Socket, boolean>();
	const write = (socket: net.Socket, bytes: Buffer | string) => {
		if (!corkable.get(socket)) {
			corkable.set(socket, true);
			socket.cork();
			process.nextTick(() => {
				corkable.set(socket, false);
				socket.uncork();
			});
		}

		socket.write(bytes);
	};

	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.setNoDelay(true);
		corkable.set(socket, false);
		let tail: Buffer | undefined;
		socket.on('data', (chunk: Buffer) => {
			const bytes = tail ? Buffer.concat([tail, chunk]) : chunk;
			let start = 0;
			let end = bytes.indexOf(0x0a);
			while (end !== -1) {
				const frame = JSON.parse(bytes.toString('utf8', start, end)) as {cmd: string; username?: string; msg?: string; room?: string};
				if (frame.cmd === 'connect') {
					members.set(socket, frame.username!);
					write(socket, JSON.stringify({success: true, 'error-msg': '', 'success-msg': 'welcome'}) + '\n');
				} else if (frame.cmd === 'join') {
					let room = rooms.get(frame.room!);
					if (!room) {
						room = new Set();
						rooms.set(frame.room!, room);
					}

					room.add(socket);
					write(socket, okStatus);
				} else if (frame.cmd === 'msg') {
					const event = {cmd: 'message', user: members.get(socket), msg: frame.msg, room: frame.room};
					let line: Buffer;
					if (stamped) {
						const position = {seq: ++seq, epoch, time: Date.now()};
						// The sender's status says where the message stands, as §9's does.
						write(socket, JSON.stringify({success: true, 'error-msg': '', 'success-msg': 'sent', ...position}) + '\n');
						line = Buffer.from(JSON.stringify({...event, ...position}) + '\n');
					} else {
						write(socket, okStatus);
						line = Buffer.from(JSON.stringify(event) + '\n');
					}

					for (const other of frame.room === undefined ? members.keys() : rooms.get(frame.room) ?? []) if (other !== socket) write(other, line);
				}

				start = end + 1;
				end = bytes.indexOf(0x0a, start);
			}

			tail = start < bytes.length ? bytes.subarray(start) : undefined;
		});
		socket.on('error', () => {});
		socket.on('close', () => {
			members.delete(socket);
			sockets.delete(socket);
			corkable.delete(socket);
			for (const room of rooms.values()) room.delete(socket);
		});
	});
	return {port: await listen(server), close: closer(server, sockets)};
}

export async function startNaiveServer(): Promise<BenchServer> {
	const members = new Map<net.Socket, string>();
	const sockets = new Set<net.Socket>();
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.setNoDelay(true);
		let buffered = '';
		socket.on('data', (chunk: Buffer) => {
			buffered += chunk.toString();
			const lines = buffered.split('\n');
			buffered = lines.pop()!;
			for (const line of lines) {
				const frame = JSON.parse(line) as {cmd: string; username?: string; msg?: string};
				if (frame.cmd === 'connect') {
					members.set(socket, frame.username!);
					socket.write(JSON.stringify({success: true, 'error-msg': '', 'success-msg': 'welcome'}) + '\n');
				} else if (frame.cmd === 'msg') {
					socket.write(JSON.stringify({success: true, 'error-msg': '', 'success-msg': 'sent'}) + '\n');
					for (const [other] of members) {
						if (other === socket) continue;
						// A fresh object and a fresh string for every recipient.
						const event = {cmd: 'message', user: members.get(socket), msg: frame.msg};
						other.write(JSON.stringify(event) + '\n', 'utf8');
					}
				}
			}
		});
		socket.on('error', () => {});
		socket.on('close', () => {
			members.delete(socket);
			sockets.delete(socket);
		});
	});
	return {port: await listen(server), close: closer(server, sockets)};
}
