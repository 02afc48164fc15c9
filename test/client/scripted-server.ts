// A bare TCP server whose every connection runs a test's script, for server
// behaviour the reference server never shows (silence, junk, odd events).
import net from 'node:net';
import {onJsonLines} from '../helpers/json-lines.js';

export type ScriptedConnection = {
	index: number;
	socket: net.Socket;
	send(frame: unknown): void;
	/** Registers a handler for each NDJSON command the client sends. */
	onCommand(handler: (frame: Record<string, unknown>) => void): void;
};

export type ScriptedServer = {port: number; close(): Promise<void>};

export async function startScriptedServer(script: (connection: ScriptedConnection) => void): Promise<ScriptedServer> {
	const sockets = new Set<net.Socket>();
	let count = 0;
	const server = net.createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		const handlers: Array<(frame: Record<string, unknown>) => void> = [];
		// Not our client's frames (a TLS hello, say) are skipped: the script never sees them.
		onJsonLines(socket, frame => {
			for (const handler of handlers) handler(frame);
		});
		script({
			index: count++,
			socket,
			send(frame) {
				if (!socket.destroyed) socket.write(typeof frame === 'string' ? frame : JSON.stringify(frame) + '\n');
			},
			onCommand(handler) {
				handlers.push(handler);
			},
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		port: (server.address() as net.AddressInfo).port,
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>(resolve => {
				server.close(() => resolve());
			});
		},
	};
}

export const ok = (text = '', clients?: string[]) => ({success: true, 'error-msg': '', 'success-msg': text, ...(clients ? {clients} : {})});
