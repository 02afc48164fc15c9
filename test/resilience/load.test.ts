// Load: 1,000 concurrent clients on one server, each receiving
// every message in per-sender order; a slow reader cut off by the send-queue
// limit while the others notice nothing; a flood refused with one "rate
// limited" status per command, never silence.
import {afterEach, describe, expect, it} from 'vitest';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {killChildServers, useChildServers} from './child-server.js';
import {connectMany, countLost, LoadClient} from './load-client.js';

const spawnServer = useChildServers();
const open: LoadClient[] = [];


afterEach(async () => {
	for (const client of open.splice(0)) client.destroy();
	await closeTestServers();
	await killChildServers();
});

describe('load', () => {
	it('holds 1,000 concurrent clients; each receives every message in per-sender order, none lost', async () => {
		// The server runs in its own process, on the other core.
		const server = await spawnServer({quiet: true, rate: 0});
		const started = performance.now();
		// Each join is told to everyone already there, half a million client-enter frames read here:
		// 20-50 s on a loaded 2-core machine, hence the test's 120 s.
		const clients = await connectMany(server.port, 1000, 'c');
		open.push(...clients);
		const connectedMs = performance.now() - started;

		const senders = clients.slice(0, 10);
		const perSender = 20;
		for (let k = 0; k < perSender; k++) {
			for (const sender of senders) sender.send({cmd: 'msg', msg: `${sender.name} #${k}`});
		}

		const expectedEach = (client: LoadClient) => senders.length * perSender - (senders.includes(client) ? perSender : 0);
		const received = (client: LoadClient) => {
			let total = 0;
			for (const list of client.messages.values()) total += list.length;
			return total;
		};

		await waitUntil(() => clients.every(client => received(client) >= expectedEach(client)), 30_000, 'every message at every client');
		await Promise.all(senders.map(async sender => sender.waitStatuses(1 + perSender)));
		for (const sender of senders) expect(sender.statuses.every(status => status.success)).toBe(true);
		const lost = countLost(clients, senders.map(sender => sender.name), perSender);
		expect(lost).toBe(0);
		expect(clients.filter(client => client.closed)).toEqual([]);
		const deliveries = clients.reduce((sum, client) => sum + received(client), 0);
		expect(deliveries).toBe(senders.length * perSender * (clients.length - 1));
		console.log(`load: 1000 clients held (connected in ${Math.round(connectedMs)} ms), ${deliveries} deliveries, ${lost} lost`);
	}, 120_000);

	it('cuts off a reader that stops reading at the send-queue limit; the others get everything, in order', async () => {
		// In its own process, so the readers here read while the server writes, as real clients would.
		const server = await spawnServer({quiet: true, rate: 0, maxSendQueueBytes: 256 * 1024});
		const readers = await connectMany(server.port, 10, 'r');
		const sender = await LoadClient.connect(server.port, 'sender');
		const slow = await LoadClient.connect(server.port, 'slow');
		open.push(...readers, sender, slow);
		// It stops reading: the kernel buffers fill, then the server's queue for it passes the limit.
		slow.socket.pause();

		// The sender talks in batches of 100 (waiting for each batch's statuses), until the
		// slow one has been dropped, then one batch more.
		const text = (k: number) => `sender #${k} ${'x'.repeat(4000)}`;
		let sent = 0;
		let afterCutOff = -1;
		while (afterCutOff < 100 && sent < 20_000) {
			for (let k = 0; k < 100; k++) sender.send({cmd: 'msg', msg: text(sent + k)});
			sent += 100;
			await sender.waitStatuses(1 + sent, 30_000);
			if (afterCutOff >= 0) afterCutOff += 100;
			else if (readers.every(reader => reader.exits.includes('slow'))) afterCutOff = 0;
		}

		expect(afterCutOff).toBe(100);
		expect(sender.statuses.every(status => status.success)).toBe(true);
		await waitUntil(() => readers.every(reader => (reader.messages.get('sender')?.length ?? 0) === sent), 30_000, 'every message at every reader');
		for (const reader of readers) {
			const got = reader.messages.get('sender')!;
			expect(got.every((message, k) => message === text(k))).toBe(true);
			expect(reader.closed).toBe(false);
		}

		const [first] = readers;
		first!.send({cmd: 'get-clients'});
		await first!.waitStatuses(2);
		expect(first!.statuses[1]!.success).toBe(true);
		console.log(`slow reader: dropped after it fell behind; ${readers.length} readers got all ${sent} messages (${(sent * 4 / 1024).toFixed(0)} MiB each)`);
	});

	it('refuses a flood of 1,000 pipelined commands with one "rate limited" status each, never silence', async () => {
		const server = await startTestServer({rate: 100, burst: 20, maxQueuedCommands: 50});
		const flooder = await LoadClient.connect(server.port, 'flooder');
		const watcher = await LoadClient.connect(server.port, 'watcher');
		open.push(flooder, watcher);
		const count = 1000;
		let batch = '';
		for (let k = 0; k < count; k++) batch += JSON.stringify(k % 10 === 9 ? {cmd: 'get-clients'} : {cmd: 'msg', msg: `flood ${k}`}) + '\n';
		flooder.socket.write(batch);
		await flooder.waitStatuses(1 + count);
		const answers = flooder.statuses.slice(1);
		expect(answers).toHaveLength(count);
		const refused = answers.filter(status => !status.success);
		expect(refused.every(status => status.error === 'rate limited')).toBe(true);
		// The connect took one token of the burst of 20; 50 more waited their turn; a few may have refilled meanwhile.
		const accepted = answers.filter(status => status.success).length;
		expect(accepted).toBeGreaterThanOrEqual(19 + 50);
		expect(accepted).toBeLessThan(100);
		expect(refused.length).toBe(count - accepted);

		// Only the accepted messages reached the others, and nothing else happened.
		const acceptedMessages = answers.filter((status, k) => status.success && k % 10 !== 9).length;
		await watcher.waitStatuses(1);
		watcher.send({cmd: 'get-clients'});
		await watcher.waitStatuses(2);
		expect(watcher.messages.get('flooder') ?? []).toHaveLength(acceptedMessages);
		expect(flooder.closed).toBe(false);
	});
});
