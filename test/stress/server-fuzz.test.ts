// Long variant of test/resilience/server-fuzz.test.ts: 1,000,000 frames from
// 16 connections. Runs under `npm run test:stress` only.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {runServerFuzz} from '../resilience/server-fuzz-run.js';

const FRAMES = 1_000_000;
const CONNECTIONS = 16;
const SEED = 0x57e55;

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

describe.skipIf(!process.env.STRESS)('server fuzzing, long', () => {
	it(`answers ${FRAMES.toLocaleString('en')} generated frames, one status each, and loses nothing for a well-behaved pair`, async () => {
		const crashes: unknown[] = [];
		const onCrash = (error: unknown) => crashes.push(error);
		process.on('unhandledRejection', onCrash);
		process.on('uncaughtException', onCrash);
		try {
			const server = await startTestServer({rate: 0});
			const result = await runServerFuzz({server, frames: FRAMES, connections: CONNECTIONS, seed: SEED, senderMessages: 5000, timeoutMs: 240_000});
			for (const [index, connection] of result.connections.entries()) {
				expect(result.decodedItems[index]).toBe(connection.lines.length);
				expect(connection.closed).toBe(false);
				expect(connection.statuses.length).toBe(connection.lines.length);
				const wrong = connection.lines.findIndex((line, k) => line.mustFail && connection.statuses[k]!.success);
				expect(wrong, `connection ${index}, line ${wrong}`).toBe(-1);
			}

			expect(result.fromSender).toEqual(Array.from({length: 5000}, (_, k) => `seq-${k}`));
			expect(result.messagesObserved).toBe(result.messagesAccepted + 5000);
			expect(crashes).toEqual([]);
			console.log(`server fuzz (stress): ${FRAMES} frames, ${result.messagesAccepted} fuzz messages broadcast, ${Math.round(result.elapsedMs)} ms`);
		} finally {
			process.off('unhandledRejection', onCrash);
			process.off('uncaughtException', onCrash);
		}
	}, 300_000);
});
