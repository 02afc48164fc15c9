// Target 3: RSS per idle connected client. The server runs in a child process
// so its RSS is its own; RSS is read before the clients connect and after they
// have all been welcomed and the join announcements have drained.
import {fileURLToPath} from 'node:url';
import {nextMessage, spawnBenchChild, stopChild} from './child.js';

export type ScaleRun = {
	mode: 'reference' | 'bare';
	clients: number;
	connected: number;
	connectSeconds: number;
	rssBefore: number;
	rssAfter: number;
	bytesPerConnection: number;
	heapBytesPerConnection: number;
};

type Memory = {rss: number; heapUsed: number; external: number; connections: number};

const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export async function runScale(mode: 'reference' | 'bare', clients: number): Promise<ScaleRun> {
	const server = spawnBenchChild(script('bench-scale-server.mjs'), [mode], ['--expose-gc']);
	let load: ReturnType<typeof spawnBenchChild> | undefined;
	try {
		const {port} = await nextMessage<{port: number}>(server, 'listening', 30_000);
		server.send({type: 'measure'});
		const before = await nextMessage<Memory>(server, 'memory');
		load = spawnBenchChild(script('bench-scale-clients.mjs'), [String(port), String(clients)]);
		const connected = await nextMessage<{count: number; seconds: number}>(load, 'connected');
		server.send({type: 'measure'});
		const after = await nextMessage<Memory>(server, 'memory');
		return {
			mode,
			clients,
			connected: after.connections,
			connectSeconds: connected.seconds,
			rssBefore: before.rss,
			rssAfter: after.rss,
			bytesPerConnection: (after.rss - before.rss) / clients,
			heapBytesPerConnection: (after.heapUsed - before.heapUsed) / clients,
		};
	} finally {
		if (load) await stopChild(load);
		await stopChild(server);
	}
}
