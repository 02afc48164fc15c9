// What the cluster benches share: a node in its own process
// (bench/scale-server.ts), a bare protocol client, Redis's CPU.
import net from 'node:net';
import {fileURLToPath} from 'node:url';
import type {Redis} from 'ioredis';
import {nextMessage, spawnBenchChild, stopChild} from './child.js';

const script = fileURLToPath(new URL('bench-scale-server.mjs', import.meta.url));

/** A bare client: counts message events and successful statuses; `onMessage` sees each message's text. */
export type BenchClient = {socket: net.Socket; received: number; statuses: number; onMessage?: (text: string) => void};

export async function openClient(port: number, name: string): Promise<BenchClient> {
	const socket = net.connect({port, host: '127.0.0.1'});
	socket.setNoDelay(true);
	const client: BenchClient = {socket, received: 0, statuses: 0};
	let tail = '';
	let welcomed!: () => void;
	const welcome = new Promise<void>(resolve => {
		welcomed = resolve;
	});
	socket.setEncoding('utf8');
	socket.on('data', (chunk: string) => {
		const lines = (tail + chunk).split('\n');
		tail = lines.pop()!;
		for (const line of lines) {
			if (line.startsWith('{"cmd":"message"')) {
				client.received++;
				if (client.onMessage) client.onMessage((JSON.parse(line) as {msg: string}).msg);
			} else if (line.includes('"success":true')) {
				client.statuses++;
				if (line.includes('"success-msg":"welcome')) welcomed();
			}
		}
	});
	socket.write(JSON.stringify({cmd: 'connect', username: name}) + '\n');
	await welcome;
	return client;
}

export type FlushCounts = {rounds: number; outputs: number; earlyWrites: number};

export type Node = {port: number; pid: number; flushCounts(): Promise<FlushCounts>; stop(): Promise<void>};

export async function startNode(args: string[]): Promise<Node> {
	// BENCH_PROFILE_DIR=DIR: each node writes a CPU profile there (`node --cpu-prof`) as it stops.
	const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
	// BENCH_NODE_FLAGS='--single-threaded-gc …': node flags for every node, one node's and the cluster's alike (an experiment).
	const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
	const child = spawnBenchChild(script, args, ['--expose-gc', ...flags, ...profile]);
	const {port} = await nextMessage<{port: number}>(child, 'listening', 30_000);
	return {
		port,
		pid: child.pid!,
		async flushCounts() {
			const reply = nextMessage<FlushCounts>(child, 'flush-counts', 30_000);
			child.send({type: 'flush-counts'});
			return reply;
		},
		async stop() {
			child.send({type: 'stop'});
			await nextMessage(child, 'stopped', 30_000).catch(() => {});
			await stopChild(child);
		},
	};
}

export async function redisCpuMs(redis: Redis): Promise<number> {
	const info = await redis.info('cpu');
	const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
	return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

export async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`cluster bench: timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 5));
	}
}

export async function send(client: BenchClient, text: string): Promise<void> {
	if (!client.socket.write(text)) await new Promise(resolve => client.socket.once('drain', resolve));
}

