// Starts reference servers for tests on 127.0.0.1, port 0, with no log lines,
// and closes them afterwards:
//
//   afterEach(closeTestServers);
//   const server = await startTestServer({rate: 0});
import {startServer, type ChatServer, type ServerOptions} from '../../source/server/index.js';

const running = new Set<ChatServer>();

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<ChatServer> {
	const server = await startServer({port: 0, host: '127.0.0.1', quiet: true, closeGraceMs: 500, ...options});
	running.add(server);
	return server;
}

/** Closes every server started by startTestServer that is still running. */
export async function closeTestServers(): Promise<void> {
	const servers = [...running];
	running.clear();
	await Promise.all(servers.map(async server => server.close()));
}

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. For server-side state that settles a moment after the client sees it. */
export async function waitUntil(condition: () => boolean, timeoutMs = 15_000, what = 'the condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 10));
	}
}
