// A Redis Cluster master failing mid-run (`npm run test:stress`): two nodes,
// four clients sending steadily into #lobby (whose slot also holds the name
// registry), and the lobby's master either SIGKILLed or handed over by
// `CLUSTER FAILOVER` on its replica. After a SIGKILL the replica takes over
// and the killed server is started again, as a supervisor would, rejoining
// as the new master's replica (until then the shard has no replica to
// confirm a write, so its messages are refused `unavailable`). The nodes must
// recover by themselves, and every acknowledged message must be in the
// history afterwards; the figures are printed.
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {conversationKeys} from '../../source/server/store/redis-log-scripts.js';
import {closeNodes, startNode} from '../cluster/nodes.js';
import {closeRawClients, connectUser, type RawClient} from '../helpers/raw-client.js';
import {startRedisCluster, type RedisClusterServers} from '../helpers/redis-cluster.js';
import {stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {readWholeLog, type WholeLog} from '../server/log/log-reader.js';

afterAll(stopRedisServers);
afterEach(async () => {
	await closeRawClients();
	await closeNodes();
});

/** Acknowledged messages per sender before the kill, and again after it. */
const ACKED_PER_PHASE = 50;
/** How soon a client resends a message refused with `unavailable` (it keeps the id, as the outbox does). */
const RESEND_MS = 100;

type Sender = {client: RawClient; tag: string; acked: string[]; unavailable: number; epochs: Set<string>};

async function sendSteadily(sender: Sender, stopped: () => boolean): Promise<void> {
	for (let n = 0; !stopped(); n++) {
		const id = `${sender.tag}-failover-${String(n).padStart(6, '0')}`;
		for (;;) {
			sender.client.sendFrame({cmd: 'msg', msg: `${sender.tag} ${n}`, id});
			const status = await sender.client.nextStatus(20_000);
			if (status.success) {
				sender.epochs.add(String((status as unknown as {epoch: string}).epoch));
				break;
			}

			if (status.code !== 'unavailable') throw new Error(`${sender.tag}: unexpected refusal ${JSON.stringify(status)}`);
			sender.unavailable++;
			await new Promise(resolve => setTimeout(resolve, RESEND_MS));
		}

		sender.acked.push(id);
	}
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

/** Until another server is master of `key`'s slot, and the cluster is healthy. */
async function waitForPromotion(cluster: RedisClusterServers, key: string, old: RedisServer): Promise<void> {
	const deadline = Date.now() + 30_000;
	while ((await cluster.masterOf(key).catch(() => old)) === old) {
		if (Date.now() > deadline) throw new Error('no replica took over');
		await new Promise(resolve => setTimeout(resolve, 50));
	}

	await cluster.waitHealthy();
}

/** History, asked again while the node is still recovering. */
async function wholeLog(client: RawClient): Promise<WholeLog> {
	for (let attempt = 0; ; attempt++) {
		try {
			return await readWholeLog(client, 10_000);
		} catch (error) {
			if (attempt >= 50) throw error;
			await new Promise(resolve => setTimeout(resolve, RESEND_MS));
		}
	}
}

type Failure = 'SIGKILL of the master' | 'CLUSTER FAILOVER on its replica';

describe.skipIf(!process.env.STRESS).each<Failure>(['SIGKILL of the master', 'CLUSTER FAILOVER on its replica'])('a Redis Cluster master failing over mid-run: %s', failure => {
	it('loses no acknowledged message, and the nodes recover by themselves', async () => {
		const cluster = await startRedisCluster();
		const prefix = 'failover:';
		const [a, b] = await Promise.all([startNode(cluster.url, {prefix}), startNode(cluster.url, {prefix})]);
		const senders: Sender[] = [];
		for (const [index, port] of [a.port, b.port, a.port, b.port].entries()) {
			senders.push({client: await connectUser(port, `sender${index}`), tag: `s${index}`, acked: [], unavailable: 0, epochs: new Set()});
		}

		let stopped = false;
		const sending = Promise.all(senders.map(async sender => sendSteadily(sender, () => stopped)));
		sending.catch(() => {});
		await until(() => senders.every(sender => sender.acked.length >= ACKED_PER_PHASE), 'acknowledgements before the failure');

		const lobbyLog = conversationKeys(prefix, '#lobby').log;
		const master = await cluster.masterOf(lobbyLog);
		const before = senders.map(sender => sender.acked.length);
		const failedAt = Date.now();
		if (failure === 'SIGKILL of the master') await master.kill();
		else await cluster.failover(lobbyLog);
		await waitForPromotion(cluster, lobbyLog, master);
		const promotedMs = Date.now() - failedAt;
		// Only now: without persistence, a server back before its replica took over would reclaim the slots empty.
		if (!master.running) await master.restart();
		await until(() => senders.some((sender, index) => sender.acked.length > before[index]!), 'the first acknowledgement after the failure');
		const recoveredMs = Date.now() - failedAt;
		await until(() => senders.every((sender, index) => sender.acked.length >= before[index]! + ACKED_PER_PHASE), 'acknowledgements after the failover');
		stopped = true;
		await sending;

		const watcher = await connectUser(b.port, 'watcher');
		const log = await wholeLog(watcher);
		const stored = new Set(log.messages.map(message => message.id));
		const acked = senders.flatMap(sender => sender.acked);
		const lost = acked.filter(id => !stored.has(id));
		const unavailable = senders.reduce((sum, sender) => sum + sender.unavailable, 0);
		const epochs = new Set(senders.flatMap(sender => [...sender.epochs]));
		console.log(`failover (${failure}): ${acked.length} acknowledged, ${lost.length} lost, ${unavailable} unavailable answers, replica promoted ${promotedMs} ms and first acknowledgement ${recoveredMs} ms after the failure, history ${log.messages.length} messages, ${epochs.size} epoch(s) in the acknowledgements`);
		expect(lost).toEqual([]);
		// The lobby's channel moved to the new master too: a message from one node reaches the other.
		const listener = await connectUser(a.port, 'listener');
		watcher.sendFrame({cmd: 'msg', msg: 'after the failover', id: 'after-the-failover-0001'});
		await watcher.expectStatus(true);
		expect(await listener.nextEvent('message')).toMatchObject({user: 'watcher', msg: 'after the failover'});
		// Each acknowledged message once: a resent id was not stored twice.
		expect(log.messages.filter(message => acked.includes(message.id!)).length).toBe(acked.length);
	}, 180_000);
});
