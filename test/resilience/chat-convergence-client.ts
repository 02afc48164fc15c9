// The product's ChatClient as a participant in the convergence runs: it sends
// its quota a few at a time and records what the checks need (every seq it
// holds, what was acknowledged where, the epochs it saw, holes it would mark,
// messages refused for good). Its texts are unique over the run, so the log
// is matched to what it made by text; the ids are the client's own.
import {ChatClient} from '../../source/client/index.js';

export type ConvergenceClientOptions = {
	name: string;
	/** Where to connect (the fault proxy in front of the server). */
	port: number;
	/** Messages this client sends in all. */
	quota: number;
	/** Messages handed to the client before earlier ones are acknowledged. */
	window: number;
	/** A reply that takes longer means a dead link (the half-open ones). */
	replyTimeoutMs: number;
	random: () => number;
};

export class ConvergenceClient {
	readonly name: string;
	/** Every seq this client holds: others' messages as delivered, its own from their statuses. */
	readonly seqs = new Set<number>();
	/** Acknowledged messages: text → seq. */
	readonly acked = new Map<string, number>();
	/** Every text this client sent, in order. */
	readonly made: string[] = [];
	/** Holes the client reported (history could not fill them). */
	readonly holes: Array<{missed: number; kept: number}> = [];
	readonly epochs = new Set<string>();
	/** Messages refused for good: must stay empty. */
	readonly refusals: string[] = [];
	/** Seqs delivered more than once: must stay empty. */
	readonly repeats: number[] = [];
	/** Times the client was told its messages wait for the server to take them again (§8 `unavailable`). */
	waits = 0;
	/** Caught up once after the first connect: from then on it holds every seq. */
	joined = false;
	readonly #client: ChatClient;
	readonly #options: ConvergenceClientOptions;
	#sending = false;

	constructor(options: ConvergenceClientOptions) {
		this.#options = options;
		this.name = options.name;
		this.#client = new ChatClient({
			host: '127.0.0.1',
			port: options.port,
			user: options.name,
			replyTimeoutMs: options.replyTimeoutMs,
			connectTimeoutMs: options.replyTimeoutMs,
			refreshIntervalMs: 300,
			stableAfterMs: 100,
			backoff: {baseMs: 20, capMs: 200},
			sendRate: false,
			// Clients connect at different moments: what was said before comes as backlog (the run waits for all before sending).
			backlog: 1000,
			random: options.random,
		});
		this.#client.on('message', ({seq, epoch}) => {
			if (seq === undefined) return;
			if (this.seqs.has(seq)) this.repeats.push(seq);
			this.seqs.add(seq);
			if (epoch !== undefined) this.epochs.add(epoch);
		});
		this.#client.on('sent', ({text, seq, epoch}) => {
			if (seq !== undefined) {
				this.acked.set(text, seq);
				this.seqs.add(seq);
			}

			if (epoch !== undefined) this.epochs.add(epoch);
			this.#sendMore();
		});
		this.#client.on('failed', ({text, error}) => this.refusals.push(`${text}: ${error}`));
		this.#client.on('warning', ({message}) => {
			if (message.includes('cannot take messages now')) this.waits++;
		});
		this.#client.on('historyGap', gap => this.holes.push(gap));
		this.#client.on('historyReset', () => this.refusals.push('the history was reset'));
		this.#client.on('caughtUp', () => {
			this.joined = true;
		});
	}

	get done(): boolean {
		return this.acked.size === this.#options.quota;
	}

	describe(last: number): string {
		const missing = [];
		for (let seq = 1; seq <= last && missing.length < 5; seq++) if (!this.seqs.has(seq)) missing.push(seq);
		return `${this.seqs.size} seqs, missing ${missing.join(',')}…, ${this.acked.size}/${this.#options.quota} acked, connected ${this.#client.connected}`;
	}

	start(): void {
		this.#client.start();
	}

	/** Starts sending its quota. */
	go(): void {
		this.#sending = true;
		this.#sendMore();
	}

	stop(): void {
		this.#client.close();
	}

	#sendMore(): void {
		while (this.#sending && this.made.length < this.#options.quota && this.made.length - this.acked.size < this.#options.window) {
			const text = `${this.name} m${this.made.length}`;
			this.made.push(text);
			this.#client.send(text);
		}
	}
}
