// Long variants of the load and fault tests: 2,000 clients and many more
// messages; 1,000 clients coming back after a SIGKILL. `npm run test:stress`.
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/index.js';
import {waitUntil} from '../helpers/server.js';
import {connectTimes, killChildServers, useChildServers} from '../resilience/child-server.js';
import {connectMany, countLost, type LoadClient} from '../resilience/load-client.js';

const spawnServer = useChildServers();
const open: LoadClient[] = [];
const chatClients: ChatClient[] = [];


afterEach(async () => {
	for (const client of open.splice(0)) client.destroy();
	for (const client of chatClients.splice(0)) client.close();
	await killChildServers();
});

describe.skipIf(!process.env.STRESS)('load, long', () => {
	it('holds 2,000 clients; 20 senders × 100 messages reach everyone, in order, none lost', async () => {
		const server = await spawnServer({quiet: true, rate: 0});
		const clients = await connectMany(server.port, 2000, 'c');
		open.push(...clients);
		const senders = clients.slice(0, 20);
		const perSender = 100;
		for (let k = 0; k < perSender; k++) {
			for (const sender of senders) sender.send({cmd: 'msg', msg: `${sender.name} #${k}`});
		}

		const total = (client: LoadClient) => [...client.messages.values()].reduce((sum, list) => sum + list.length, 0);
		const expectedEach = (client: LoadClient) => senders.length * perSender - (senders.includes(client) ? perSender : 0);
		await waitUntil(() => clients.every(client => total(client) >= expectedEach(client)), 240_000, 'every message everywhere');
		expect(countLost(clients, senders.map(sender => sender.name), perSender)).toBe(0);
		console.log(`load (stress): 2000 clients, ${clients.reduce((sum, client) => sum + total(client), 0)} deliveries, 0 lost`);
	}, 300_000);

	it('1,000 clients come back after a SIGKILL spread over time by full jitter', async () => {
		const first = await spawnServer({quiet: true});
		const {port} = first;
		for (let index = 0; index < 1000; index++) {
			const client = new ChatClient({port, user: `p${index}`, refreshIntervalMs: 0});
			chatClients.push(client);
			client.start();
		}

		await waitUntil(() => chatClients.every(client => client.connected), 60_000, 'all connected');
		await first.kill('SIGKILL');
		await new Promise(resolve => setTimeout(resolve, 2000));
		const restarted = await spawnServer({quiet: false, port});
		await waitUntil(() => chatClients.every(client => client.connected), 120_000, 'all reconnected');
		const times = connectTimes(restarted.lines).map(entry => entry.time).sort((a, b) => a - b);
		expect(times).toHaveLength(1000);
		let busiest = 0;
		for (let start = 0, end = 0; start < times.length; start++) {
			while (end < times.length && times[end]! - times[start]! < 1000) end++;
			busiest = Math.max(busiest, end - start);
		}

		console.log(`reconnect spread (stress): 1000 clients over ${times.at(-1)! - times[0]!} ms; at most ${busiest} in any one second`);
		expect(busiest).toBeLessThanOrEqual(800);
	}, 300_000);
});
