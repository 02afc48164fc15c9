// runServe in-process: flags become options, the listening line, and a clean
// close on SIGINT/SIGTERM (signals come from an injected emitter, not the
// test runner's own process).
import {EventEmitter} from 'node:events';
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatServer} from '../../source/server/index.js';
import {runServe, serveFlagsToOptions} from '../../source/server/serve-command.js';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';

afterEach(closeRawClients);

async function startServe(flags: Parameters<typeof runServe>[0]) {
	const signals = new EventEmitter();
	const lines: string[] = [];
	let onListening!: (server: ChatServer) => void;
	const listening = new Promise<ChatServer>(resolve => {
		onListening = resolve;
	});
	const finished = runServe(flags, {signals, log: line => lines.push(line), onListening});
	const server = await listening;
	return {signals, lines, server, finished};
}

describe('runServe', () => {
	it.each(['SIGINT', 'SIGTERM'])('prints where it listens, serves, and on %s closes everything and resolves', async signal => {
		const {signals, lines, server, finished} = await startServe({port: 0, listen: '127.0.0.1'});
		expect(lines[0]).toBe(`codechat-tui server listening on 127.0.0.1:${server.port}`);
		const alice = await connectUser(server.port, 'alice');
		expect(lines.some(line => line.endsWith('connect alice from ' + `127.0.0.1:${alice.socket.localPort!}`))).toBe(true);
		signals.emit(signal);
		await finished;
		await alice.waitClosed();
		// A signal is how a restart begins: clients are told to come back.
		expect(await alice.nextEvent('server-closing')).toEqual({cmd: 'server-closing', msg: 'server restarting', reconnect: true});
		await expect(connectRaw(server.port)).rejects.toThrow(/ECONNREFUSED/);
		expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
	});

	it('applies the limit flags', async () => {
		const {signals, server, finished} = await startServe({port: 0, maxFrame: 4096, maxClients: 3, rate: 0, burst: 7});
		expect(server.options).toMatchObject({maxFrameBytes: 4096, maxClients: 3, rate: 0, burst: 7});
		signals.emit('SIGTERM');
		await finished;
	});

	it('rejects bad flags before listening', async () => {
		await expect(runServe({port: 0, maxFrame: 1}, {signals: new EventEmitter(), log() {}})).rejects.toThrow(/maxFrameBytes/);
	});

	it('maps the flags to server options', () => {
		expect(serveFlagsToOptions({listen: '0.0.0.0', maxFrame: 1000})).toMatchObject({host: '0.0.0.0', maxFrameBytes: 1000});
	});
});
