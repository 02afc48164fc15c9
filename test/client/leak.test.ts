// 1,000 unexpected drops and reconnects must leave no listener, timer or
// socket handler behind, and must not trip MaxListenersExceededWarning.
import type {Duplex} from 'node:stream';
import {afterEach, expect, it} from 'vitest';
import {tcpTransport} from '../../source/client/index.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {closeTestClients, testClient} from './recorder.js';

afterEach(async () => {
	closeTestClients();
	await closeTestServers();
});

it('survives 1,000 reconnect cycles without leaking', async () => {
	const warnings: Error[] = [];
	const onWarning = (warning: Error) => warnings.push(warning);
	process.on('warning', onWarning);
	try {
		const server = await startTestServer({rate: 0});
		const sockets: Duplex[] = [];
		const a = testClient({
			port: server.port,
			user: 'alice',
			backoff: {baseMs: 1, capMs: 2},
			transport(target) {
				const socket = tcpTransport(target);
				sockets.push(socket);
				return socket;
			},
		});
		const ownListeners = a.client.listenerCount();
		let cycles = 0;
		a.client.on('connected', () => {
			cycles++;
			if (cycles < 1000) sockets.at(-1)!.destroy(); // the connection "drops"
		});
		await a.events.waitFor('connected', () => cycles >= 1000, 60_000);
		// The last connection stays: wait for its roster reply, so nothing is outstanding.
		await waitUntil(() => a.client.connected && a.client.debugStats().expected === 0, 15_000, 'the last roster');

		expect(a.client.listenerCount()).toBe(ownListeners + 1);
		// Only the live socket listens for data; each dead one keeps at most the guard against late errors.
		expect(sockets.filter(socket => socket.listenerCount('data') > 0)).toHaveLength(1);
		expect(sockets.every(socket => socket.listenerCount('error') <= 1)).toBe(true);
		const stats = a.client.debugStats();
		expect(stats.timers).toBeLessThanOrEqual(1); // the idle refresh
		expect(stats.expected).toBe(0);
		// Let any late warning surface before looking.
		await new Promise(resolve => setImmediate(resolve));
		expect(warnings.filter(warning => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
		expect(a.events.of('error')).toEqual([]);
	} finally {
		process.off('warning', onWarning);
	}
}, 90_000);
