// How an endpoint is written for people: "host:port", with an IPv6 literal
// in brackets so the port stays readable. One copy for the client, the
// server and the command line.
export function formatAddress(host: string, port: number): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
