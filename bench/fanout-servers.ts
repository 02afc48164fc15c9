// The two yardsticks for the fan-out bench, both in-process and both speaking
// just enough of the protocol (connect, msg) for the load generator:
// - minimal: parses each line, stringifies each message once, writes the same
//   bytes to every other socket; validates nothing. The target's reference.
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

export async function startMinimalServer(): Promise<BenchServer> {
	const members = new Map<net.Socket, string>();
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
				const frame = JSON.parse(bytes.toString('utf8', start, end)) as {cmd: string; username?: string; msg?: string};
				if (frame.cmd === 'connect') {
					members.set(socket, frame.username!);
					write(socket, JSON.stringify({success: true, 'error-msg': '', 'success-msg': 'welcome'}) + '\n');
				} else if (frame.cmd === 'msg') {
					write(socket, okStatus);
					const line = Buffer.from(JSON.stringify({cmd: 'message', user: members.get(socket), msg: frame.msg}) + '\n');
					for (const other of members.keys()) if (other !== socket) write(other, line);
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
