// Many rooms on two nodes: one redis-server against a Redis Cluster of three
// masters (a replica each), the same load, to see whether the cluster spreads
// Redis's work. A room's log, counter and channel share one slot, so one room
// is one master's; many rooms should land on all three.
//
//   benchClusterRooms(): Promise<ClusterRoomsResult>
//
// `rooms` rooms of `members` members, spread over the two nodes; in each, one
// member pipelines `messages` messages and the others read them all. Figures:
// deliveries per second, CPU ms per 1,000 deliveries (nodes; Redis), and on
// the Redis Cluster each master's share of Redis's CPU.
import os from 'node:os';
import {Redis} from 'ioredis';
import {startRedis} from '../test/helpers/redis.js';
import {startRedisCluster} from '../test/helpers/redis-cluster.js';
import {openClient, redisCpuMs, send, startNode, until, type BenchClient, type Node} from './cluster-nodes.js';
import {cpuMs} from './proc.js';

export type ClusterRoomsOptions = {rooms: number; members: number; messages: number; timeoutMs: number};

export const DEFAULT_CLUSTER_ROOMS_BENCH: ClusterRoomsOptions = {rooms: 30, members: 6, messages: 1000, timeoutMs: 120_000};

export type ClusterRoomsRun = {deliveriesPerS: number; nodeCpuMsPer1000: number; redisCpuMsPer1000: number};

export type ClusterRoomsResult = {
	loadAverage: number;
	oneRedis: ClusterRoomsRun;
	redisCluster: ClusterRoomsRun & {
		/** Each master's share of the six servers' CPU, largest first (the replicas have the rest). */
		masterShares: number[];
	};
};

/** A Redis server as the bench reads it: its CPU so far, and whether it is a master now. */
type Server = {cpuMs(): Promise<number>; isMaster(): Promise<boolean>};

function serverOf(redis: Redis): Server {
	return {
		cpuMs: async () => redisCpuMs(redis),
		isMaster: async () => (await redis.info('replication')).includes('role:master'),
	};
}

type Room = {sender: BenchClient; receivers: BenchClient[]};

async function joinRoom(client: BenchClient, room: string): Promise<void> {
	const before = client.statuses;
	client.socket.write(JSON.stringify({cmd: 'join', room}) + '\n');
	await until(() => client.statuses > before, 30_000, `the join of ${room}`);
}

async function run(url: string, servers: Server[], prefix: string, options: ClusterRoomsOptions): Promise<{run: ClusterRoomsRun; serverMs: number[]}> {
	const nodes: Node[] = await Promise.all([0, 1].map(async () => startNode(['redis', url, prefix])));
	const rooms: Room[] = [];
	try {
		for (let index = 0; index < options.rooms; index++) {
			const members: BenchClient[] = [];
			// Alternating nodes, so every room has members on both and its messages cross Redis.
			for (let member = 0; member < options.members; member++) members.push(await openClient(nodes[(index + member) % 2]!.port, `m${index}x${member}`));
			for (const member of members) await joinRoom(member, `#room${index}`);
			rooms.push({sender: members[0]!, receivers: members.slice(1)});
		}

		const receivers = rooms.flatMap(room => room.receivers);
		for (const client of receivers) client.received = 0;
		const serverBefore = await Promise.all(servers.map(async server => server.cpuMs()));
		const nodesBefore = nodes.reduce((sum, node) => sum + cpuMs(node.pid), 0);
		const start = performance.now();
		await Promise.all(rooms.map(async ({sender}, index) => {
			for (let offset = 0; offset < options.messages; offset += 100) {
				let chunk = '';
				for (let message = offset; message < Math.min(options.messages, offset + 100); message++) chunk += JSON.stringify({cmd: 'msg', room: `#room${index}`, msg: `${message} of the rooms bench`}) + '\n';
				await send(sender, chunk);
			}
		}));
		await until(() => receivers.every(client => client.received >= options.messages), options.timeoutMs, 'every room message');
		const seconds = (performance.now() - start) / 1000;
		const nodesMs = nodes.reduce((sum, node) => sum + cpuMs(node.pid), 0) - nodesBefore;
		const serverMs = (await Promise.all(servers.map(async server => server.cpuMs()))).map((ms, index) => ms - serverBefore[index]!);
		const deliveries = options.messages * receivers.length;
		const redisMs = serverMs.reduce((sum, ms) => sum + ms, 0);
		return {
			run: {deliveriesPerS: deliveries / seconds, nodeCpuMsPer1000: (nodesMs / deliveries) * 1000, redisCpuMsPer1000: (redisMs / deliveries) * 1000},
			serverMs,
		};
	} finally {
		for (const room of rooms) for (const client of [room.sender, ...room.receivers]) client.socket.destroy();
		await Promise.all(nodes.map(async node => node.stop()));
	}
}

export async function benchClusterRooms(partial: Partial<ClusterRoomsOptions> = {}): Promise<ClusterRoomsResult> {
	const options = {...DEFAULT_CLUSTER_ROOMS_BENCH, ...partial};
	const server = await startRedis();
	const cluster = await startRedisCluster();
	const clients = [server, ...cluster.servers].map(each => new Redis(each.url));
	try {
		const [one, ...six] = clients.map(serverOf);
		const loadAverage = os.loadavg()[0]!;
		const oneRedis = await run(server.url, [one!], 'rooms1:', options);
		const onCluster = await run(cluster.url, six, 'rooms2:', options);
		const masters = await Promise.all(six.map(async each => each.isMaster()));
		const total = onCluster.serverMs.reduce((sum, ms) => sum + ms, 0);
		const masterShares = onCluster.serverMs.filter((_, index) => masters[index]).map(ms => ms / total).sort((a, b) => b - a);
		return {loadAverage, oneRedis: oneRedis.run, redisCluster: {...onCluster.run, masterShares}};
	} finally {
		for (const client of clients) client.disconnect();
		await Promise.all([server, ...cluster.servers].map(async each => each.kill()));
	}
}
