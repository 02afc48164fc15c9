// What to tell a person whose server could not listen: one text per error
// code, for `serve` and for `--serve` alike.

/** The line for a listen error, or undefined when the code is not one we explain. */
export function listenErrorText(code: string | undefined, listen: string, port: number, hosting = false): string | undefined {
	switch (code) {
		case 'EADDRINUSE':
			return `port ${port} on ${listen} is already in use — is a server running there? ${hosting ? 'Join it without --serve, or pick' : 'Pick'} another --port`;
		case 'EADDRNOTAVAIL':
		case 'ENOTFOUND':
			return `${listen} is not an address of this machine — use 127.0.0.1 or 0.0.0.0 with --listen`;
		case 'EACCES':
			return `not allowed to listen on port ${port} — pick a --port above 1023`;
		default:
			return undefined;
	}
}
