// A ChatClient whose every connection is a fresh in-memory duplex pair, on a
// fake clock: `peer(n)` is the server end of the n-th connection.
import type {Duplex} from 'node:stream';
import {testClient} from './recorder.js';
import {duplexPair} from './duplex-pair.js';
import {fakeClock} from './fake-clock.js';

export type Peer = {
	commands: Array<Record<string, unknown>>;
	send(frame: unknown): void;
	raw(text: string): void;
	end(): void;
	nextCommand(cmd: string): Promise<Record<string, unknown>>;
};

/** A client whose every connection is a fresh in-memory pair; `peers` are the server ends. */
export function pairedClient(options: {user?: string; backoff?: {baseMs: number; capMs: number}; stableAfterMs?: number; backlog?: number} = {}) {
	const clock = fakeClock();
	const peers: Peer[] = [];
	const waiters: Array<() => void> = [];
	const {client, events} = testClient({
		user: options.user ?? 'alice',
		clock,
		random: () => 0.5,
		backoff: options.backoff ?? {baseMs: 1000, capMs: 8000},
		stableAfterMs: options.stableAfterMs,
		backlog: options.backlog,
		transport() {
			const [near, far] = duplexPair();
			peers.push(serverEnd(far));
			for (const wake of waiters.splice(0)) wake();
			return near;
		},
	});
	const peer = async (index: number): Promise<Peer> => {
		while (peers.length <= index) await new Promise<void>(resolve => waiters.push(resolve));
		return peers[index];
	};

	return {client, events, clock, peer};
}

function serverEnd(socket: Duplex): Peer {
	const commands: Array<Record<string, unknown>> = [];
	const listeners: Array<() => void> = [];
	let inbox = '';
	socket.setEncoding('utf8');
	socket.on('data', (chunk: string) => {
		inbox += chunk;
		let newline;
		while ((newline = inbox.indexOf('\n')) !== -1) {
			commands.push(JSON.parse(inbox.slice(0, newline)) as Record<string, unknown>);
			inbox = inbox.slice(newline + 1);
			for (const wake of listeners.splice(0)) wake();
		}
	});
	socket.on('error', () => {});
	let taken = 0;
	return {
		commands,
		send: frame => socket.write(JSON.stringify(frame) + '\n'),
		raw: text => socket.write(text),
		end: () => socket.end(),
		async nextCommand(cmd) {
			for (;;) {
				const index = commands.findIndex((command, i) => i >= taken && command.cmd === cmd);
				if (index !== -1) {
					taken = index + 1;
					return commands[index];
				}

				await new Promise<void>(resolve => listeners.push(resolve));
			}
		},
	};
}

