// --serve: host a room in this process, and say where others can reach it.
import {networkInterfaces} from 'node:os';
import {startServer, type ChatServer} from '../server/index.js';
import type {RoomLimits} from './config.js';

export type HostedRoom = {
	server: ChatServer;
	/** Where this process's own client connects. */
	connectHost: string;
	/** The address to give to others: HOST:PORT. */
	shareAddress: string;
};

const anyAddress = new Set(['0.0.0.0', '::', '']);

/** The first non-loopback IPv4 address, which others on the network can use. */
function lanAddress(): string | undefined {
	for (const addresses of Object.values(networkInterfaces())) {
		for (const address of addresses ?? []) {
			if (address.family === 'IPv4' && !address.internal) return address.address;
		}
	}

	return undefined;
}

export async function hostRoom(listen: string, port: number, limits: RoomLimits = {}): Promise<HostedRoom> {
	let server: ChatServer;
	try {
		// Quiet: log lines on stderr would tear the full-screen interface.
		server = await startServer({
			host: listen,
			port,
			quiet: true,
			maxFrameBytes: limits.maxFrame,
			maxClients: limits.maxClients,
			rate: limits.rate,
			burst: limits.burst,
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') {
			throw new Error(`cannot host a room: port ${port} on ${listen} is already in use — is a server running there? Join it without --serve, or pick another --port`);
		}

		if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
			throw new Error(`cannot host a room: ${listen} is not an address of this machine — use 127.0.0.1 or 0.0.0.0 with --listen`);
		}

		if (code === 'EACCES') {
			throw new Error(`cannot host a room: not allowed to listen on port ${port} — pick a --port above 1023`);
		}

		throw error;
	}

	const everywhere = anyAddress.has(listen);
	const shareHost = everywhere ? lanAddress() ?? '127.0.0.1' : listen;
	const connectHost = everywhere ? '127.0.0.1' : listen;
	const shareAddress = `${shareHost.includes(':') ? `[${shareHost}]` : shareHost}:${server.port}`;
	return {server, connectHost, shareAddress};
}
