// Child process of the scale and cluster benches: one server node, measured
// from inside. Modes: "reference" is startServer() as shipped (in-process
// hub, memory log); "redis URL PREFIX" is the same over a RedisHub, one node
// of a cluster; "bare" is a net.Server that answers connect with a status and
// otherwise only holds the socket, the floor that Node itself costs per
// connection. Talks to the parent over IPC:
//   {type:'measure'} -> {type:'memory', rss, heapUsed, external, connections}
//   {type:'cpu'}     -> {type:'cpu', userMs, systemMs}   (process.cpuUsage, since start)
//   {type:'flush-counts'} -> {type:'flush-counts', rounds, outputs}   (turn-flush.ts, since start)
//   {type:'stop'}    -> closes the server (and its hub), then {type:'stopped'}
import net from 'node:net';
import {RedisHub} from '../source/server/redis/redis-hub.js';
import {startServer, type ChatServer} from '../source/server/server.js';
import {flushCounts} from '../source/server/turn-flush.js';

type Measure = {type: 'memory'; rss: number; heapUsed: number; external: number; connections: number};

async function settle(): Promise<void> {
	// Several collections with pauses, so freed memory is really gone before reading RSS.
	for (let i = 0; i < 3; i++) {
		globalThis.gc?.();
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

async function startBare(): Promise<{port: number; connections: () => number; close: () => Promise<void>}> {
	const sockets = new Set<net.Socket>();
	const status = Buffer.from('{"success":true,"error-msg":"","success-msg":"welcome"}\n');
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.once('data', () => socket.write(status));
		socket.on('error', () => {});
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', 4096, resolve));
	return {port: (server.address() as net.AddressInfo).port, connections: () => sockets.size, close: async () => void server.close()};
}

async function startNode(mode: string, url: string | undefined, prefix: string | undefined): Promise<{port: number; connections: () => number; close: () => Promise<void>}> {
	const hub = mode === 'redis' ? await RedisHub.connect(url!, {prefix: prefix ?? 'bench:', log() {}}) : undefined;
	const server: ChatServer = await startServer({
		port: 0,
		quiet: true,
		maxClients: 1_000_000,
		handshakeTimeoutMs: 3_600_000,
		rate: 0,
		// A bench reader may lag a burst behind; it is not to be dropped for that.
		maxSendQueueBytes: 256 * 1024 * 1024,
		...(hub && {hub}),
	});
	return {
		port: server.port,
		connections: () => server.users,
		async close() {
			await server.close();
			await hub?.close();
		},
	};
}

async function main(): Promise<void> {
	const [mode = 'reference', url, prefix] = process.argv.slice(2);
	const node = mode === 'bare' ? await startBare() : await startNode(mode, url, prefix);
	process.on('message', (message: {type: string}) => {
		switch (message.type) {
			case 'measure': {
				void settle().then(() => {
					const memory = process.memoryUsage();
					const reply: Measure = {type: 'memory', rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, connections: node.connections()};
					process.send!(reply);
				});
				break;
			}

			case 'cpu': {
				const {user, system} = process.cpuUsage();
				process.send!({type: 'cpu', userMs: user / 1000, systemMs: system / 1000});
				break;
			}

			case 'flush-counts': {
				process.send!({type: 'flush-counts', ...flushCounts()});
				break;
			}

			case 'stop': {
				void node.close().then(() => process.send!({type: 'stopped'}));
				break;
			}

			default: {
				break;
			}
		}
	});
	process.on('disconnect', () => process.exit(0));
	// Exiting (rather than dying of the signal) lets `--cpu-prof` write its profile.
	process.on('SIGTERM', () => process.exit(0));
	process.send!({type: 'listening', port: node.port});
}

main().catch((error: unknown) => {
	process.send!({type: 'error', message: String(error)});
});
