// A throwaway redis-server for tests and benches: a free loopback port, a
// temp dir, no persistence. It can be stopped (SIGTERM), killed (SIGKILL)
// and restarted on the same port, which is how the cluster tests make and
// end a Redis outage.
//
//   const redis = await startRedis();
//   ... RedisHub.connect(redis.url) ...
//   await redis.stop(); await redis.restart();
//   afterAll(stopRedisServers);
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';

/** The binary; REDIS_SERVER overrides (e.g. a build outside PATH). */
const REDIS_BINARY = process.env.REDIS_SERVER ?? 'redis-server';
const READY_TIMEOUT_MS = 10_000;

export type RedisServer = {
	readonly port: number;
	/** redis://127.0.0.1:PORT */
	readonly url: string;
	readonly running: boolean;
	/** SIGTERM, and wait for the process to exit. */
	stop(): Promise<void>;
	/** SIGKILL, and wait for the process to exit. */
	kill(): Promise<void>;
	/** Starts it again on the same port, empty unless save() ran since the last start, and waits until it answers PING. */
	restart(): Promise<void>;
	/** SIGSTOP: connections stay open, commands wait unanswered (a stalled Redis) until resume(). */
	pause(): void;
	/** SIGCONT: it runs what waited and answers again. */
	resume(): void;
	/** Writes the data to its directory (SAVE), so the next restart starts with it: a Redis restart that keeps its data. */
	save(): Promise<void>;
};

const servers = new Set<RedisServer>();

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
	const probe = net.createServer();
	await new Promise<void>((resolve, reject) => {
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', resolve);
	});
	const {port} = probe.address() as net.AddressInfo;
	await new Promise<void>(resolve => {
		probe.close(() => resolve());
	});
	return port;
}

/** Sends one inline command over a raw socket; true when the first reply line is `expected`. */
async function answers(port: number, command: string, expected: string, timeoutMs = 500): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect({port, host: '127.0.0.1'});
		let reply = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};

		socket.setTimeout(timeoutMs, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write(`${command}\r\n`));
		socket.on('data', chunk => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) done(reply.startsWith(expected));
		});
	});
}

const pings = async (port: number) => answers(port, 'PING', '+PONG');

/** `args` are added to the command line (e.g. `--cluster-enabled yes`). */
export async function startRedis(args: readonly string[] = []): Promise<RedisServer> {
	const port = await freePort();
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-redis-'));
	let child: ChildProcess | undefined;
	let exited: Promise<void> = Promise.resolve();
	let output = '';

	const launch = async () => {
		output = '';
		const spawned = spawn(
			REDIS_BINARY,
			['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', ...args],
			{stdio: ['ignore', 'pipe', 'pipe']},
		);
		child = spawned;
		spawned.stdout!.on('data', (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-4000);
		});
		spawned.stderr!.on('data', (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-4000);
		});
		exited = new Promise(resolve => {
			spawned.once('exit', () => {
				if (child === spawned) child = undefined;
				resolve();
			});
		});
		const failed = new Promise<never>((_, reject) => {
			spawned.once('error', error => {
				reject(new Error(`cannot run ${REDIS_BINARY} (install redis-server, or set REDIS_SERVER): ${error.message}`));
			});
		});
		failed.catch(() => {});
		const deadline = Date.now() + READY_TIMEOUT_MS;
		for (;;) {
			const ready = await Promise.race([pings(port), failed]);
			if (ready) {
				// Loaded: a save() counts for one restart only.
				rmSync(path.join(dir, 'dump.rdb'), {force: true});
				return;
			}
			if (child !== spawned || Date.now() > deadline) {
				throw new Error(`redis-server on port ${port} did not come up: ${output}`);
			}

			await new Promise(resolve => setTimeout(resolve, 50));
		}
	};

	const end = async (signal: NodeJS.Signals) => {
		if (!child) return;
		child.kill(signal);
		await exited;
	};

	await launch();
	const server: RedisServer = {
		port,
		url: `redis://127.0.0.1:${port}`,
		get running() {
			return child !== undefined;
		},
		stop: async () => end('SIGTERM'),
		kill: async () => end('SIGKILL'),
		async restart() {
			await end('SIGTERM');
			await launch();
		},
		pause() {
			child?.kill('SIGSTOP');
		},
		resume() {
			child?.kill('SIGCONT');
		},
		async save() {
			if (!(await answers(port, 'SAVE', '+OK', READY_TIMEOUT_MS))) throw new Error(`redis-server on port ${port} did not SAVE`);
		},
	};
	servers.add(server);
	exitHooks.push(() => {
		child?.kill('SIGKILL');
		rmSync(dir, {recursive: true, force: true});
	});
	return server;
}

const exitHooks: Array<() => void> = [];
// A test that dies must not leave redis-server running.
process.once('exit', () => {
	for (const hook of exitHooks) hook();
});

/** Kills every redis-server started here (for afterAll). */
export async function stopRedisServers(): Promise<void> {
	const all = [...servers];
	servers.clear();
	await Promise.all(all.map(async server => server.kill()));
}
