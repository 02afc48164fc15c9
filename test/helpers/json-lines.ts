// Reads a client's commands as JSON lines (our client sends NDJSON), for the
// scripted fake servers. Lines that are not JSON (a TLS hello, say) are skipped.
import type {Socket} from 'node:net';

export function onJsonLines(socket: Socket, handle: (frame: Record<string, unknown>) => void): void {
	let inbox = '';
	socket.setEncoding('utf8');
	socket.on('data', (chunk: string) => {
		inbox += chunk;
		let newline;
		while ((newline = inbox.indexOf('\n')) !== -1) {
			const line = inbox.slice(0, newline);
			inbox = inbox.slice(newline + 1);
			let frame: Record<string, unknown>;
			try {
				frame = JSON.parse(line) as Record<string, unknown>;
			} catch {
				continue;
			}

			handle(frame);
		}
	});
}
