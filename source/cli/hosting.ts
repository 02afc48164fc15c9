// --serve: host a server in this process, and say where others can reach it.
import {networkInterfaces} from 'node:os';
import {formatAddress} from '../protocol/address.js';
import {listenErrorText} from './listen-error.js';
import {startServer, type ChatServer} from '../server/index.js';
import type {ServeLimits} from './config.js';
import {StoreError} from '../server/store/message-log.js';

export type HostedServer = {
	server: ChatServer;
	/** Where this process's own client connects. */
	connectHost: string;
	/** The address to give to others: HOST:PORT. */
	shareAddress: string;
	/** Closes the server for good: the host (named as it is now) is leaving, so its guests are told not to reconnect. */
	stop(hostName: string): Promise<void>;
};

/**
 * What the guests of a --serve host are told when the host quits. Their
 * client already says that the host closed the room, so this says only who
 * and how: "alice stopped hosting".
 */
export function hostLeftReason(hostName: string): string {
	return `${hostName} stopped hosting`;
}

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

export async function hostServer(listen: string, port: number, limits: ServeLimits = {}): Promise<HostedServer> {
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
			dataDir: limits.data,
			history: limits.history,
		});
	} catch (error) {
		// A data directory that cannot be used says so in its own line.
		if (error instanceof StoreError) throw new Error(`cannot host a room: ${error.message}`);
		const text = listenErrorText((error as NodeJS.ErrnoException).code, listen, port, true);
		if (text !== undefined) throw new Error(`cannot host a room: ${text}`);
		throw error;
	}

	const everywhere = anyAddress.has(listen);
	const shareHost = everywhere ? lanAddress() ?? '127.0.0.1' : listen;
	const connectHost = everywhere ? '127.0.0.1' : listen;
	const shareAddress = formatAddress(shareHost, server.port);
	const stop = async (hostName: string) => server.close({reason: hostLeftReason(hostName), reconnect: false});
	return {server, connectHost, shareAddress, stop};
}
