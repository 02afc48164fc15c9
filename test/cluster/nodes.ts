// Cluster nodes for tests: reference servers on port 0, each with its own
// RedisHub on the test's redis-server, with short heartbeats so that a crash
// plays out in seconds. closeNodes() closes servers first (their users'
// names are freed in Redis), then hubs.
import {EventEmitter} from 'node:events';
import {RedisHub} from '../../source/server/redis/redis-hub.js';
import {runServe} from '../../source/server/serve-command.js';
import type {RedisHubOptions} from '../../source/server/redis/options.js';
import type {ChatServer} from '../../source/server/server.js';
import type {ServerOptions} from '../../source/server/options.js';
import {startTestServer} from '../helpers/server.js';

/** Fast timings: a node silent for 1.5 s is dead, and found within 0.3 s more. */
export const FAST_HUB: Partial<RedisHubOptions> = {
	heartbeatMs: 300,
	nodeTtlMs: 1500,
	commandTimeoutMs: 1000,
	maxReconnectDelayMs: 200,
	startTimeoutMs: 5000,
};

export type TestNode = {server: ChatServer; hub: RedisHub; port: number; log: string[]};

const nodes = new Set<TestNode>();

export async function startNode(redisUrl: string, options: Partial<RedisHubOptions> = {}, serverOptions: Partial<ServerOptions> = {}): Promise<TestNode> {
	const log: string[] = [];
	const hub = await RedisHub.connect(redisUrl, {...FAST_HUB, log: line => log.push(line), ...options});
	const server = await startTestServer({hub, rate: 0, ...serverOptions});
	const node = {server, hub, port: server.port, log};
	nodes.add(node);
	return node;
}

/** Closes one node the polite way: its users leave (client-exit reaches the others), then its hub. */
export async function closeNode(node: TestNode): Promise<void> {
	nodes.delete(node);
	await node.server.close();
	await node.hub.close();
}

export async function closeNodes(): Promise<void> {
	const all = [...nodes];
	nodes.clear();
	await Promise.all(all.map(async node => node.server.close()));
	await Promise.all(all.map(async node => node.hub.close()));
}

export type ServeRun = {server: ChatServer; stop(): Promise<void>};

/**
 * Runs the `serve --redis URL` command on port 0, as the CLI does; `stop()`
 * sends it SIGTERM and waits for runServe to return. `log` gets its lines.
 */
export async function serveRedis(url: string, log: (line: string) => void = () => {}, options: Partial<ServerOptions> = {}): Promise<ServeRun> {
	const signals = new EventEmitter();
	let listening!: (server: ChatServer) => void;
	const started = new Promise<ChatServer>(resolve => {
		listening = resolve;
	});
	const done = runServe({port: 0, listen: '127.0.0.1', redis: url}, {signals, log, onListening: listening, options});
	const server = await Promise.race([started, done.then(() => {
		throw new Error('runServe ended before listening');
	})]);
	return {
		server,
		async stop() {
			signals.emit('SIGTERM');
			await done;
		},
	};
}
