// The convergence-under-faults harness: clients behind fault proxies send
// their messages while links drop, stall and go half-open and a server (or a
// cluster node) is SIGKILLed mid-run; then the network calms down and every
// client (the product's ChatClient) must end with exactly the server's log. Shared by the short run in
// `npm test` and the long one under STRESS=1.
import {expect} from 'vitest';
import {connectUser} from '../helpers/raw-client.js';
import {NO_FAULTS, seededRandom, startFaultProxy, type FaultProxy, type Faults} from '../helpers/fault-proxy.js';
import {waitUntil} from '../helpers/server.js';
import {readWholeLog, type WholeLog} from '../server/log/log-reader.js';
import {ConvergenceClient} from './chat-convergence-client.js';

export type ConvergenceRun = {
	clients: number;
	/** Messages over all clients. */
	messages: number;
	seed: number;
	faults: Faults;
	/** How long the whole run may take. */
	timeoutMs: number;
};

/** One place clients connect to: a proxy in front of whatever port `upstream` names now. */
export type Entry = {upstream: () => number | undefined};

export const DEFAULT_FAULTS: Faults = {drop: 0.01, stall: 0.02, stallMs: 150, halfOpen: 0.005, halfOpenMs: 300};

export type ConvergenceResult = {log: WholeLog; clients: ConvergenceClient[]; proxies: FaultProxy[]};

/**
 * Runs the clients (spread over `entries`) until every message is
 * acknowledged; calls `crash` once, when `crashAfter` of them are; then turns
 * the faults off, waits for every client to catch up, and checks.
 */
export async function runConvergence(
	run: ConvergenceRun,
	entries: Entry[],
	crash: {after: number; run: (clients: readonly ConvergenceClient[]) => Promise<void>},
	readerPort: () => number,
): Promise<ConvergenceResult> {
	const random = seededRandom(run.seed);
	const proxies = await Promise.all(entries.map(async (entry, index) => startFaultProxy(entry.upstream, run.faults, run.seed + index + 1)));
	const perClient = Math.ceil(run.messages / run.clients);
	const clients = Array.from({length: run.clients}, (_, index) => new ConvergenceClient({
		name: `c${String(index).padStart(2, '0')}`,
		port: proxies[index % proxies.length]!.port,
		quota: Math.min(perClient, run.messages - index * perClient),
		window: 4,
		replyTimeoutMs: 1500,
		random,
	}));
	try {
		for (const client of clients) client.start();
		await waitUntil(() => clients.every(client => client.joined), run.timeoutMs, `every client connected once (seed ${run.seed})`);
		for (const client of clients) client.go();
		const acked = () => clients.reduce((sum, client) => sum + client.acked.size, 0);
		await waitUntil(() => acked() >= crash.after, run.timeoutMs, `${crash.after} acknowledged messages (seed ${run.seed})`);
		await crash.run(clients);
		await waitUntil(() => clients.every(client => client.done), run.timeoutMs, `every message acknowledged (seed ${run.seed}, ${acked()} so far)`);

		// Calm: whoever sits on a silent link notices it by a ping and resumes.
		for (const proxy of proxies) proxy.setFaults(NO_FAULTS);
		const reader = await connectUser(readerPort(), 'reader');
		const log = await readWholeLog(reader, 10_000);
		reader.destroy();
		await waitUntil(() => clients.every(client => client.seqs.size >= log.last), run.timeoutMs, `every client caught up to seq ${log.last} (seed ${run.seed})`).catch((error: unknown) => {
			const behind = clients.filter(client => client.seqs.size < log.last).map(client => `${client.name}: ${client.describe(log.last)}`);
			throw new Error(`${(error as Error).message}; behind: ${behind.join('; ')}`);
		});
		checkConvergence(run, log, clients);
		return {log, clients, proxies};
	} finally {
		for (const client of clients) client.stop();
		await Promise.all(proxies.map(async proxy => proxy.close()));
	}
}

function checkConvergence(run: ConvergenceRun, log: WholeLog, clients: ConvergenceClient[]): void {
	const seeds = `seed ${run.seed}`;
	// The log: 1..N with no hole, each message stored once.
	expect(log.messages.map(message => message.seq), seeds).toEqual(log.messages.map((_, index) => index + 1));
	expect(log.first, seeds).toBe(1);
	const ids = log.messages.map(message => message.id);
	expect(new Set(ids).size, `${seeds}: an id stored twice`).toBe(ids.length);
	expect(ids.every(id => id !== undefined), `${seeds}: a message stored without its id`).toBe(true);
	const texts = log.messages.map(message => message.msg);
	const made = clients.flatMap(client => client.made);
	expect(new Set(texts).size, `${seeds}: a message stored twice`).toBe(texts.length);
	expect(new Set(texts), `${seeds}: the log holds exactly the messages made`).toEqual(new Set(made));
	expect(log.last, seeds).toBe(run.messages);
	// Every acknowledged message is in the log, at the seq its status gave.
	const seqOf = new Map(log.messages.map(message => [message.msg, message.seq]));
	for (const client of clients) {
		for (const [text, seq] of client.acked) expect(seqOf.get(text), `${seeds}: ${text}`).toBe(seq);
		expect(client.repeats, `${seeds}: ${client.name} was handed a seq twice`).toEqual([]);
		// Every client holds exactly the server's seqs, one epoch, no hole to mark, nothing refused.
		expect([...client.seqs].sort((a, b) => a - b), `${seeds}: ${client.name}'s seqs`).toEqual(log.messages.map(message => message.seq));
		expect([...client.epochs], `${seeds}: ${client.name}'s epochs`).toEqual([log.epoch]);
		expect(client.holes, seeds).toEqual([]);
		expect(client.refusals, seeds).toEqual([]);
	}
}
