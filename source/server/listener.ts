// Listener creation in one place, so TLS (a later issue: tls.createServer with
// cert/key, 'secureConnection') changes this function only.
import net from 'node:net';

export function createListener(onSocket: (socket: net.Socket) => void): net.Server {
	// Half-open: a client that sends its commands and then shuts its write side
	// (`printf ... | nc -N`) still gets every status before we close.
	return net.createServer({allowHalfOpen: true}, onSocket);
}

/** Listens and resolves with the bound address, or rejects (EADDRINUSE, EACCES, …). */
export async function listen(server: net.Server, port: number, host: string): Promise<net.AddressInfo> {
	await new Promise<void>((resolve, reject) => {
		const onError = (error: Error) => reject(error);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			resolve();
		});
	});
	return server.address() as net.AddressInfo;
}

/** "host:port", with brackets around an IPv6 host. */
export function formatAddress(host: string, port: number): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
