// Child process of the scale bench: one server, measured from inside. Modes:
// "reference" is startServer() as shipped; "bare" is a net.Server that answers
// connect with a status and otherwise only holds the socket, the floor that
// Node itself costs per connection. Talks to the parent over IPC:
// {type:'measure'} -> {type:'memory', rss, heapUsed, external, connections}.
import net from 'node:net';
import {startServer} from '../source/server/index.js';

type Measure = {type: 'memory'; rss: number; heapUsed: number; external: number; connections: number};

async function settle(): Promise<void> {
	// Several collections with pauses, so freed memory is really gone before reading RSS.
	for (let i = 0; i < 3; i++) {
		globalThis.gc?.();
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

async function startBare(): Promise<{port: number; connections: () => number}> {
	const sockets = new Set<net.Socket>();
	const status = Buffer.from('{"success":true,"error-msg":"","success-msg":"welcome"}\n');
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.once('data', () => socket.write(status));
		socket.on('error', () => {});
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', 4096, resolve));
	return {port: (server.address() as net.AddressInfo).port, connections: () => sockets.size};
}

async function main(): Promise<void> {
	const mode = process.argv[2] ?? 'reference';
	let port: number;
	let connections: () => number;
	if (mode === 'bare') {
		({port, connections} = await startBare());
	} else {
		const server = await startServer({port: 0, quiet: true, maxClients: 1_000_000, handshakeTimeoutMs: 3_600_000, rate: 0});
		port = server.port;
		connections = () => server.users;
	}

	process.on('message', (message: {type: string}) => {
		if (message.type !== 'measure') return;
		void settle().then(() => {
			const memory = process.memoryUsage();
			const reply: Measure = {type: 'memory', rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, connections: connections()};
			process.send!(reply);
		});
	});
	process.on('disconnect', () => process.exit(0));
	process.send!({type: 'listening', port});
}

void main();
