// A TCP proxy that makes the network misbehave, for the convergence tests:
// each chunk it forwards may, by a seeded random draw,
//   - drop the link: both sides destroyed at once (a reset);
//   - stall it: forwarding in both directions waits `stallMs`, in order;
//   - make it half-open: nothing more is forwarded either way and nothing is
//     closed, so the client must notice by its own timeout. The server side
//     is destroyed `halfOpenMs` later, as the server's keep-alive would.
// The upstream port is asked for on every new connection, so a test can
// restart the server elsewhere or send the clients of a dead node to another.
import net from 'node:net';

export type Faults = {
	/** Chance per forwarded chunk that the link is reset. */
	drop: number;
	/** Chance per forwarded chunk that the link stalls for `stallMs`. */
	stall: number;
	stallMs: number;
	/** Chance per forwarded chunk that the link goes half-open (silent, never closed by the proxy on the client side). */
	halfOpen: number;
	/** How long the server side of a half-open link stays up. */
	halfOpenMs: number;
};

export const NO_FAULTS: Faults = {drop: 0, stall: 0, stallMs: 0, halfOpen: 0, halfOpenMs: 0};

export type FaultCounts = {connections: number; drops: number; stalls: number; halfOpens: number; refused: number};

export type FaultProxy = {
	readonly port: number;
	readonly counts: FaultCounts;
	/** Changes the fault rates from now on (e.g. calm for the final catch-up). */
	setFaults(faults: Faults): void;
	close(): Promise<void>;
};

/** mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

type Link = {client: net.Socket; upstream: net.Socket; silent: boolean; resumeAt: number; queue: Array<{to: net.Socket; chunk: Buffer}>; timer?: NodeJS.Timeout};

export async function startFaultProxy(upstreamPort: () => number | undefined, initial: Faults, seed: number): Promise<FaultProxy> {
	let faults = initial;
	const random = seededRandom(seed);
	const links = new Set<Link>();
	const timers = new Set<NodeJS.Timeout>();
	const counts: FaultCounts = {connections: 0, drops: 0, stalls: 0, halfOpens: 0, refused: 0};

	const later = (ms: number, run: () => void) => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			run();
		}, ms);
		timers.add(timer);
		return timer;
	};

	const end = (link: Link) => {
		clearTimeout(link.timer);
		links.delete(link);
		link.client.destroy();
		link.upstream.destroy();
	};

	const flush = (link: Link) => {
		link.timer = undefined;
		if (link.silent) return;
		const wait = link.resumeAt - Date.now();
		if (wait > 0) {
			link.timer = later(wait, () => flush(link));
			return;
		}

		for (const {to, chunk} of link.queue.splice(0)) to.write(chunk);
	};

	const forward = (link: Link, to: net.Socket, chunk: Buffer) => {
		if (link.silent) return;
		const draw = random();
		if (draw < faults.drop) {
			counts.drops++;
			end(link);
			return;
		}

		if (draw < faults.drop + faults.halfOpen) {
			counts.halfOpens++;
			link.silent = true;
			link.queue.length = 0;
			later(faults.halfOpenMs, () => link.upstream.destroy());
			return;
		}

		if (draw < faults.drop + faults.halfOpen + faults.stall) {
			counts.stalls++;
			link.resumeAt = Date.now() + faults.stallMs;
		}

		link.queue.push({to, chunk});
		if (!link.timer) flush(link);
	};

	const server = net.createServer(client => {
		const port = upstreamPort();
		client.on('error', () => {});
		if (port === undefined) {
			counts.refused++;
			client.destroy();
			return;
		}

		counts.connections++;
		const upstream = net.connect(port, '127.0.0.1');
		upstream.on('error', () => {});
		const link: Link = {client, upstream, silent: false, resumeAt: 0, queue: []};
		links.add(link);
		client.on('data', chunk => forward(link, upstream, chunk));
		upstream.on('data', chunk => forward(link, client, chunk));
		// A half-open link keeps its client side until the client gives up on it.
		upstream.on('close', () => {
			if (!link.silent) end(link);
		});
		client.on('close', () => end(link));
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});

	return {
		port: (server.address() as net.AddressInfo).port,
		counts,
		setFaults(next) {
			faults = next;
		},
		async close() {
			for (const timer of timers) clearTimeout(timer);
			for (const link of links) end(link);
			await new Promise<void>(resolve => {
				server.close(() => resolve());
			});
		},
	};
}
