// A TCP proxy for tests that can cut the client side of every connection
// while keeping the server side open for a while: to the server, the old
// session is still there (a half-dead peer that has not timed out yet).
import net from 'node:net';

export type HoldingProxy = {
	port: number;
	/** Destroys the client sides now, and the server sides after `holdMs`. */
	cut(holdMs: number): void;
	close(): Promise<void>;
};

export async function startHoldingProxy(targetPort: number): Promise<HoldingProxy> {
	const pairs = new Set<{client: net.Socket; upstream: net.Socket}>();
	const timers = new Set<NodeJS.Timeout>();
	const server = net.createServer(client => {
		const upstream = net.connect(targetPort, '127.0.0.1');
		const pair = {client, upstream};
		pairs.add(pair);
		client.pipe(upstream);
		upstream.pipe(client);
		const forget = () => pairs.delete(pair);
		client.on('error', () => {});
		upstream.on('error', () => {});
		client.on('close', () => {
			forget();
			// A client that leaves on its own closes the server side too, unless we are holding it.
			if (!held.has(upstream)) upstream.destroy();
		});
		upstream.on('close', () => {
			forget();
			client.destroy();
		});
	});
	const held = new Set<net.Socket>();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});

	return {
		port: (server.address() as net.AddressInfo).port,
		cut(holdMs) {
			for (const {client, upstream} of [...pairs]) {
				held.add(upstream);
				client.unpipe(upstream);
				upstream.unpipe(client);
				client.destroy();
				const timer = setTimeout(() => {
					timers.delete(timer);
					held.delete(upstream);
					upstream.destroy();
				}, holdMs);
				timers.add(timer);
			}
		},
		async close() {
			for (const timer of timers) clearTimeout(timer);
			for (const {client, upstream} of pairs) {
				client.destroy();
				upstream.destroy();
			}

			for (const socket of held) socket.destroy();
			await new Promise<void>(resolve => {
				server.close(() => resolve());
			});
		},
	};
}
