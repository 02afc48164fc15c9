// Test helpers for ChatClient: record every event, wait for one that matches.
import {CLIENT_EVENTS, ChatClient, type ChatClientEvents, type ChatClientOptions} from '../../source/client/index.js';
import {waitUntil} from '../helpers/server.js';

export type Recorded = {[K in keyof ChatClientEvents]: {name: K; payload: ChatClientEvents[K]}}[keyof ChatClientEvents];

export type Recorder = {
	log: Recorded[];
	of<K extends keyof ChatClientEvents>(name: K): Array<ChatClientEvents[K]>;
	/** Resolves with the first recorded event `name` (past or future) that matches. */
	waitFor<K extends keyof ChatClientEvents>(name: K, match?: (payload: ChatClientEvents[K]) => boolean, timeoutMs?: number): Promise<ChatClientEvents[K]>;
};

export function record(client: ChatClient): Recorder {
	const log: Recorded[] = [];
	for (const name of CLIENT_EVENTS) {
		const listener = (payload: unknown) => {
			log.push({name, payload} as Recorded);
		};
		client.on(name, listener as (payload: ChatClientEvents[typeof name]) => void);
	}

	const of = <K extends keyof ChatClientEvents>(name: K): Array<ChatClientEvents[K]> =>
		log.filter(entry => entry.name === name).map(entry => entry.payload as ChatClientEvents[K]);

	return {
		log,
		of,
		async waitFor(name, match = () => true, timeoutMs = 15_000) {
			let found: ChatClientEvents[typeof name] | undefined;
			await waitUntil(() => {
				found = of(name).find(payload => match(payload));
				return found !== undefined;
			}, timeoutMs, `event ${name}`);
			return found!;
		},
	};
}

const clients = new Set<ChatClient>();

/** A client on 127.0.0.1 with test-friendly timings; closed by closeTestClients(). */
export function testClient(options: ChatClientOptions & {start?: boolean}): {client: ChatClient; events: Recorder} {
	const client = new ChatClient({backoff: {baseMs: 50, capMs: 200}, ...options});
	clients.add(client);
	const events = record(client);
	if (options.start !== false) client.start();
	return {client, events};
}

export function closeTestClients(): void {
	for (const client of clients) client.close();
	clients.clear();
}

/**
 * A round trip: everything the server sent before its answer to this
 * get-clients has arrived. Use it before checking that nothing else came.
 */
export async function roundTrip(client: ChatClient, events: Recorder): Promise<void> {
	const before = events.of('roster').filter(roster => roster.source === 'who').length;
	client.who();
	await events.waitFor('roster', () => events.of('roster').filter(roster => roster.source === 'who').length > before);
}

/** The same for the 2015 server, which has no get-clients: a message and its status. */
export async function roundTrip2015(client: ChatClient, events: Recorder): Promise<void> {
	const before = events.of('sent').length;
	client.send('barrier');
	await events.waitFor('sent', () => events.of('sent').length > before);
}

export async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => setTimeout(resolve, ms));
}
