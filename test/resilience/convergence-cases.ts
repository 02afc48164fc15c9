// The convergence runs of PROTOCOL.md §9 at a given size, for
// convergence.test.ts (in `npm test`) and test/stress/ (STRESS=1).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {killChildNodes, startChildNode, type ChildNode} from '../cluster/child-node.js';
import {killChildServers, useChildServers, type ChildServer} from './child-server.js';
import {waitUntil} from '../helpers/server.js';
import {DEFAULT_FAULTS, runConvergence} from './convergence.js';

/** Failures name the seed; SEED=N draws the same faults again (the timing still differs). */
const seed = Number(process.env.SEED ?? Date.now() % 1_000_000);

/** The two runs, at a given size (test/stress/ runs them at 50 clients × 5,000 messages). */
export function convergenceCases({clients: CLIENTS, messages: MESSAGES, timeoutMs}: {clients: number; messages: number; timeoutMs: number}): void {
	const spawnServer = useChildServers();
	const dirs: string[] = [];
	let redis: RedisServer | undefined;

	afterEach(async () => {
		await killChildServers();
		await killChildNodes();
	});
	afterAll(async () => {
		await stopRedisServers();
		for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
	});

	it(`one server on --data, SIGKILLed and restarted mid-run (${CLIENTS} clients, ${MESSAGES} messages)`, async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'codechat-converge-'));
		dirs.push(dir);
		const options = {dataDir: dir, rate: 0, quiet: true};
		let server: ChildServer | undefined = await spawnServer(options);
		const {proxies} = await runConvergence(
			{clients: CLIENTS, messages: MESSAGES, seed, faults: DEFAULT_FAULTS, timeoutMs},
			[{upstream: () => server?.port}],
			{
				after: MESSAGES / 2,
				async run() {
					const dying = server!;
					server = undefined;
					await dying.kill('SIGKILL');
					server = await spawnServer(options);
				},
			},
			() => server!.port,
		);
		// The faults really happened.
		const counts = proxies[0]!.counts;
		expect(counts.drops + counts.halfOpens, `seed ${seed}`).toBeGreaterThan(0);
		expect(counts.stalls, `seed ${seed}`).toBeGreaterThan(0);
	}, timeoutMs + 30_000);

	describe('two nodes over a real redis-server', () => {
		beforeAll(async () => {
			redis = await startRedis();
		});

		it(`Redis stalled and one node SIGKILLed mid-run, its clients moving to the other (${CLIENTS} clients, ${MESSAGES} messages)`, async () => {
			const hubOptions = {prefix: `conv${seed}:`, heartbeatMs: 200, nodeTtlMs: 1000, commandTimeoutMs: 1000, maxReconnectDelayMs: 200};
			const nodes: Array<ChildNode | undefined> = [await startChildNode(redis!.url, hubOptions), await startChildNode(redis!.url, hubOptions)];
			const survivor = nodes[1]!;
			await runConvergence(
				{clients: CLIENTS, messages: MESSAGES, seed, faults: DEFAULT_FAULTS, timeoutMs},
				// A balancer in front of each node: the dead node's clients go to the other.
				[{upstream: () => (nodes[0] ?? survivor).port}, {upstream: () => survivor.port}],
				{
					after: MESSAGES / 2,
					async run(clients) {
						// Stalled until messages are refused for it: they wait in the outboxes and go again.
						redis!.pause();
						try {
							await waitUntil(() => clients.some(client => client.waits > 0), timeoutMs, `a message refused while Redis stalls (seed ${seed})`);
						} finally {
							redis!.resume();
						}

						const dying = nodes[0]!;
						nodes[0] = undefined;
						await dying.signal('SIGKILL');
					},
				},
				() => survivor.port,
			);
		}, timeoutMs + 30_000);
	});
}
