// Server fuzzing: 100,000 generated frames from 8 connections into
// one in-process server — invalid JSON, wrong types, huge numbers, deep
// nesting, lone surrogates, invalid UTF-8, unknown commands, random bytes,
// valid commands in random order. Nothing crashes, every frame gets exactly
// one status in order (every bad one a failure), and a well-behaved pair
// talking all the while loses nothing.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {runServerFuzz} from './server-fuzz-run.js';

const FRAMES = 100_000;
const CONNECTIONS = 8;
const SEED = 0x5eed_0006;

const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);

beforeAll(() => {
	process.on('unhandledRejection', onCrash);
	process.on('uncaughtException', onCrash);
});

afterAll(() => {
	process.off('unhandledRejection', onCrash);
	process.off('uncaughtException', onCrash);
});

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

describe('server fuzzing', () => {
	it(`answers ${FRAMES.toLocaleString('en')} generated frames from ${CONNECTIONS} connections, one status each, and loses nothing for a well-behaved pair`, async () => {
		const server = await startTestServer({rate: 0});
		const result = await runServerFuzz({server, frames: FRAMES, connections: CONNECTIONS, seed: SEED, senderMessages: 1000, timeoutMs: 25_000});

		let mustFail = 0;
		for (const [index, connection] of result.connections.entries()) {
			const where = `connection ${index} (seed ${SEED + index})`;
			// The generator's promise: each line is exactly one frame to the decoder.
			expect(result.decodedItems[index], where).toBe(connection.lines.length);
			expect(connection.closed, where).toBe(false);
			expect(connection.oddities, where).toBe(0);
			expect(connection.statuses.length, where).toBe(connection.lines.length);
			for (const [line, {bytes, kind, mustFail: bad}] of connection.lines.entries()) {
				if (!bad) continue;
				mustFail++;
				const status = connection.statuses[line]!;
				if (status.success) throw new Error(`${where}, line ${line} (${kind}): ${JSON.stringify(bytes.toString())} was answered with success`);
				if (kind === 'random bytes' || kind === 'not an object' || kind === 'invalid UTF-8' || kind === 'unterminated string') {
					expect(status.error, `${where}, line ${line} (${kind})`).toMatch(/^malformed frame/);
				}
			}
		}

		expect(mustFail).toBeGreaterThan(FRAMES / 2);
		expect(result.messagesAccepted).toBeGreaterThan(1000);
		expect(result.fromSender).toEqual(Array.from({length: 1000}, (_, k) => `seq-${k}`));
		expect(result.messagesObserved).toBe(result.messagesAccepted + 1000);
		// The observer sent only its connect and one get-clients: two statuses, nothing else.
		expect(result.observer.received.filter(item => item.type === 'frame' && typeof item.frame.success === 'boolean')).toHaveLength(2);
		expect(result.observer.received.filter(item => item.type !== 'frame')).toEqual([]);
		expect(crashes).toEqual([]);

		// Still serving: everyone is still there and a newcomer gets in.
		expect(server.connections).toBe(CONNECTIONS + 2);
		const newcomer = await connectUser(server.port, 'newcomer');
		expect((await newcomer.sync())['success-msg']).toContain('observer, sender');
		console.log(`server fuzz: ${FRAMES} frames, ${mustFail} bad, ${result.messagesAccepted} fuzz messages broadcast, ${Math.round(result.elapsedMs)} ms`);
	}, 60_000);

	it('answers an oversized frame with a failure status and a clean close, and keeps the others going', async () => {
		const server = await startTestServer({rate: 0});
		const observer = await connectUser(server.port, 'observer');
		const big = await connectRaw(server.port);
		big.send(`{"cmd":"msg","msg":"${'x'.repeat(server.options.maxFrameBytes + 10)}"}\n{"cmd":"get-clients"}\n`);
		await big.expectStatus(false, `frame too large: the limit is ${server.options.maxFrameBytes} bytes`);
		await big.waitClosed();
		expect(big.error).toBeUndefined();
		expect(big.received).toHaveLength(1);
		expect((await observer.sync())['success-msg']).toBe('observer');

		// Unbounded garbage without a newline, never closing a frame: cut off at the limit too.
		const endless = await connectRaw(server.port);
		endless.send('{"a":"' + 'y'.repeat(server.options.maxFrameBytes + 1024));
		await endless.expectStatus(false, 'frame too large');
		await endless.waitClosed();
		expect(crashes).toEqual([]);
	});

	it('stops reading after exit: frames pipelined behind it get no status', async () => {
		const server = await startTestServer({rate: 0});
		const client = await connectRaw(server.port);
		client.send('garbage\n{"cmd":"exit"}\n{"cmd":"get-clients"}\nmore garbage\n');
		await client.expectStatus(false, /^malformed frame/);
		await client.expectStatus(true, 'goodbye');
		await client.waitClosed();
		expect(client.received).toHaveLength(2);
		await waitUntil(() => server.connections === 0, 15_000, 'the server to forget the connection');
	});
});
