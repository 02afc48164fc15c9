// PROTOCOL.md §13 across two nodes on one real redis-server, over raw TCP:
// the away reason set on one node reaches the other's users as client-away,
// lands in their get-clients and join statuses, follows a rename and is
// gone once its user leaves; an action crosses nodes with its mark.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {StatusFrame} from '../../source/protocol/types.js';
import {closeRawClients, connectRaw, type Frame, type RawClient} from '../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {closeTestServers} from '../helpers/server.js';
import {closeNodes, startNode} from './nodes.js';

let redis: RedisServer;
let prefixes = 0;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);
afterEach(async () => {
	await closeRawClients();
	await closeNodes();
	await closeTestServers();
});

async function user(port: number, username: string): Promise<RawClient> {
	const client = await connectRaw(port);
	client.sendFrame({cmd: 'connect', username, features: ['codes', 'history', 'rooms', 'direct', 'presence']});
	await client.expectStatus(true);
	return client;
}

async function ask(client: RawClient, frame: Frame): Promise<StatusFrame & Frame> {
	client.sendFrame(frame);
	return (await client.expectStatus(true)) as StatusFrame & Frame;
}

/** The first event of `cmd` that `matches`, skipping the others of that cmd. */
async function eventWhere(client: RawClient, cmd: string, matches: (event: Frame) => boolean = () => true): Promise<Frame> {
	for (;;) {
		const event = await client.nextEvent(cmd);
		if (matches(event)) return event;
	}
}

describe('presence in a cluster', () => {
	it('shares away reasons and client-away between nodes', async () => {
		const prefix = `presence${++prefixes}:`;
		const [a, b] = await Promise.all([startNode(redis.url, {prefix}), startNode(redis.url, {prefix})]);
		const alice = await user(a.port, 'alice');
		const bob = await user(b.port, 'bob');
		await eventWhere(alice, 'client-enter', event => event.user === 'bob');
		await ask(bob, {cmd: 'away', msg: 'lunch'});
		expect(await eventWhere(alice, 'client-away')).toEqual({cmd: 'client-away', user: 'bob', msg: 'lunch'});
		expect((await ask(alice, {cmd: 'get-clients'})).away).toEqual({bob: 'lunch'});
		await ask(bob, {cmd: 'join', room: '#den'});
		expect((await ask(alice, {cmd: 'join', room: '#den'})).away).toEqual({bob: 'lunch'});

		await ask(bob, {cmd: 'rename', oldname: 'bob', newname: 'rob'});
		expect((await ask(alice, {cmd: 'get-clients'})).away).toEqual({rob: 'lunch'});

		await ask(bob, {cmd: 'msg', msg: 'waves', room: '#den', action: true});
		expect(await eventWhere(alice, 'message')).toMatchObject({user: 'rob', msg: 'waves', room: '#den', action: true});

		await ask(bob, {cmd: 'exit'});
		await eventWhere(alice, 'client-exit', event => event.user === 'rob' && event.room === undefined);
		const again = await user(b.port, 'rob');
		expect((await ask(again, {cmd: 'get-clients'})).away).toEqual({});
	});
});
