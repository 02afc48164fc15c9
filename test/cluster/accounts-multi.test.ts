// PROTOCOL.md §11 "up to 5 connections at once" across a cluster: one account
// logged in on two nodes (real redis-server, raw TCP clients) is one user to
// the others, counts its connections cluster-wide, and loses a crashed
// node's connections from the count; in a room it joined from both nodes it
// enters once and leaves with the last node's connection (part or crash).
import {Redis} from 'ioredis';
import type {StatusFrame} from '../../source/protocol/types.js';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {Accounts} from '../../source/server/accounts/accounts.js';
import {openAccounts} from '../../source/server/accounts/open-accounts.js';
import {PasswordHasher} from '../../source/server/accounts/password-hash.js';
import {closeRawClients, connectRaw, connectUser, type Frame, type RawClient} from '../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {closeTestServers} from '../helpers/server.js';
import {killChildNodes, startChildNode} from './child-node.js';
import {closeNodes, FAST_HUB, startNode} from './nodes.js';

const password = 'five terminals, two nodes';
let redis: RedisServer;
let accountsRedis: Redis;
let accounts: Accounts;
let prefixCount = 0;

beforeAll(async () => {
	redis = await startRedis();
	accountsRedis = new Redis(redis.url);
	// The default prefix, which a child node (serve --redis) uses too.
	accounts = await openAccounts({kind: 'redis', redis: accountsRedis}, {hasher: new PasswordHasher({ln: 4, r: 8, p: 1})});
	await accounts.addAccount('alice', password);
});
afterEach(async () => {
	await closeRawClients();
	await killChildNodes();
	await closeNodes();
	await closeTestServers();
});
afterAll(async () => {
	await accounts.close();
	accountsRedis.disconnect();
	await stopRedisServers();
});

const features = ['codes', 'history', 'rooms', 'direct'];

async function login(port: number): Promise<RawClient> {
	const client = await connectRaw(port);
	client.sendFrame({cmd: 'connect', username: 'alice', password, features});
	await client.expectStatus(true);
	return client;
}

function count(client: RawClient, cmd: string, user: string, room?: string): number {
	return client.received.filter(item => item.type === 'frame' && item.frame.cmd === cmd && item.frame.user === user && (room === undefined || item.frame.room === room)).length;
}

async function ask(client: RawClient, frame: Frame): Promise<StatusFrame & Frame> {
	client.sendFrame(frame);
	return (await client.expectStatus(true)) as StatusFrame & Frame;
}

/**
 * Alice says `text` in #rust from `terminal`, and `listener` hears it. A
 * room's events from one node reach the others in order, so whatever that
 * node announced in #rust before has reached `listener` by then.
 */
async function heardFrom(terminal: RawClient, listener: RawClient, text: string): Promise<void> {
	await ask(terminal, {cmd: 'msg', room: '#rust', msg: text});
	await waitFor(() => listener.received.some(item => item.type === 'frame' && item.frame.cmd === 'message' && item.frame.msg === text), `"${text}" to reach bob`, 15_000);
}

async function exit(client: RawClient): Promise<void> {
	client.sendFrame({cmd: 'exit'});
	await client.waitClosed();
}

async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('one account on several nodes (§11)', () => {
	it('is one user: one enter, one roster entry, one exit after the last terminal, at most five terminals', async () => {
		const prefix = `accounts${++prefixCount}:`;
		const [a, b] = await Promise.all([startNode(redis.url, {prefix}, {accounts}), startNode(redis.url, {prefix}, {accounts})]);
		const bob = await connectUser(a.port, 'bob');
		const carol = await connectUser(b.port, 'carol');
		await bob.nextEvent('client-enter');
		const first = await login(a.port);
		// A guest cannot take the name an account holds, on any node.
		expect(await b.hub.claim('ALICE', {deliver() {}})).toBe(false);
		const second = await login(b.port);
		for (const other of [bob, carol]) {
			expect((await other.sync()).clients).toEqual(['bob', 'carol', 'alice']);
			expect(count(other, 'client-enter', 'alice')).toBe(1);
		}

		// A direct message reaches every terminal of the account, on both nodes.
		bob.sendFrame({cmd: 'msg', to: 'alice', msg: 'to all of you'});
		await bob.expectStatus(true);
		for (const terminal of [first, second]) expect(await terminal.nextEvent('message')).toMatchObject({user: 'bob', to: 'alice', msg: 'to all of you'});

		// Five across the cluster (three on A, two on B); the sixth is refused on either node.
		const more = [await login(a.port), await login(a.port), await login(b.port)];
		for (const port of [a.port, b.port]) {
			const sixth = await connectRaw(port);
			sixth.sendFrame({cmd: 'connect', username: 'alice', password, features});
			expect(await sixth.nextStatus()).toMatchObject({success: false, code: 'forbidden'});
		}

		for (const terminal of [first, ...more]) await exit(terminal);
		for (const other of [bob, carol]) {
			expect((await other.sync()).clients).toEqual(['bob', 'carol', 'alice']);
			expect(count(other, 'client-exit', 'alice')).toBe(0);
		}

		await exit(second);
		for (const other of [bob, carol]) {
			expect(await other.nextEvent('client-exit')).toMatchObject({user: 'alice'});
			expect((await other.sync()).clients).toEqual(['bob', 'carol']);
			expect(count(other, 'client-exit', 'alice')).toBe(1);
		}
	});

	it('subtracts a crashed node\'s terminals: the user stays, and leaves with the last terminal left', async () => {
		const prefix = `crashed${++prefixCount}:`;
		const a = await startNode(redis.url, {prefix}, {accounts});
		const c = await startChildNode(redis.url, {...FAST_HUB, prefix}, {accounts: true});
		const bob = await connectUser(a.port, 'bob');
		const onA = await login(a.port);
		await login(c.port);
		await login(c.port);
		expect((await bob.sync()).clients).toEqual(['bob', 'alice']);

		await c.signal('SIGKILL');
		await waitFor(() => a.log.some(line => line.includes(`node ${c.nodeId} stopped its heartbeat`)), 'the crashed node swept', 15_000);
		expect((await bob.sync()).clients).toEqual(['bob', 'alice']);
		expect(count(bob, 'client-exit', 'alice')).toBe(0);
		// Its two are no longer counted: four more fit beside the one on A.
		const four = [await login(a.port), await login(a.port), await login(a.port), await login(a.port)];
		for (const terminal of [onA, ...four]) await exit(terminal);
		expect(await bob.nextEvent('client-exit')).toMatchObject({user: 'alice'});
		expect((await bob.sync()).clients).toEqual(['bob']);
	});

	it('counts a paused node\'s terminal again once it is back, without telling anyone', async () => {
		const prefix = `paused${++prefixCount}:`;
		const a = await startNode(redis.url, {prefix}, {accounts});
		const c = await startChildNode(redis.url, {...FAST_HUB, prefix}, {accounts: true});
		const bob = await connectUser(a.port, 'bob');
		const onA = [await login(a.port)];
		await login(c.port);
		await c.signal('SIGSTOP');
		await waitFor(() => a.log.some(line => line.includes(`node ${c.nodeId} stopped its heartbeat`)), 'the paused node swept', 15_000);
		await c.signal('SIGCONT');
		// Back, whether its heartbeat or a command timed out by the pause finds it out first.
		await waitFor(() => c.stderr().includes('redis: back'), 'the paused node reconciled', 15_000);
		// Its terminal counts again: four on A beside it, and no sixth.
		for (let index = 0; index < 3; index++) onA.push(await login(a.port));
		const sixth = await connectRaw(a.port);
		sixth.sendFrame({cmd: 'connect', username: 'alice', password, features});
		expect(await sixth.nextStatus()).toMatchObject({success: false, code: 'forbidden'});
		expect((await bob.sync()).clients).toEqual(['bob', 'alice']);
		expect(count(bob, 'client-enter', 'alice')).toBe(1);
		expect(count(bob, 'client-exit', 'alice')).toBe(0);
	});

	it('is in a room once from two nodes: one enter, one member, no exit until its last node parts', async () => {
		const prefix = `room${++prefixCount}:`;
		const [a, b] = await Promise.all([startNode(redis.url, {prefix}, {accounts}), startNode(redis.url, {prefix}, {accounts})]);
		const bob = await connectUser(a.port, 'bob');
		await ask(bob, {cmd: 'join', room: '#rust'});
		const onA = await login(a.port);
		const onB = await login(b.port);
		await ask(onA, {cmd: 'join', room: '#rust'});
		await heardFrom(onA, bob, 'from a');
		await ask(onB, {cmd: 'join', room: '#rust'});
		await heardFrom(onB, bob, 'from b');
		expect(count(bob, 'client-enter', 'alice', '#rust')).toBe(1);
		expect((await ask(bob, {cmd: 'get-clients', room: '#rust'})).clients).toEqual(['bob', 'alice']);

		await ask(onA, {cmd: 'part', room: '#rust'});
		// A's terminal runs one command at a time: its part is fully handled once this answers.
		await onA.sync();
		await heardFrom(onB, bob, 'still here on b');
		expect(count(bob, 'client-exit', 'alice', '#rust')).toBe(0);
		expect((await ask(bob, {cmd: 'get-clients', room: '#rust'})).clients).toEqual(['bob', 'alice']);

		await ask(onB, {cmd: 'part', room: '#rust'});
		expect(await bob.nextEvent('client-exit')).toMatchObject({user: 'alice', room: '#rust', part: true});
		expect((await ask(bob, {cmd: 'get-clients', room: '#rust'})).clients).toEqual(['bob']);
		expect(count(bob, 'client-exit', 'alice', '#rust')).toBe(1);
	});

	it('stays in a room it joined from two nodes when one crashes, and leaves it with the other', async () => {
		const prefix = `roomcrash${++prefixCount}:`;
		const a = await startNode(redis.url, {...FAST_HUB, prefix}, {accounts});
		const c = await startChildNode(redis.url, {...FAST_HUB, prefix}, {accounts: true});
		const bob = await connectUser(a.port, 'bob');
		await ask(bob, {cmd: 'join', room: '#rust'});
		const onA = await login(a.port);
		const onC = await login(c.port);
		await ask(onC, {cmd: 'join', room: '#rust'});
		await heardFrom(onC, bob, 'from c');
		await ask(onA, {cmd: 'join', room: '#rust'});
		await heardFrom(onA, bob, 'from a');
		expect(count(bob, 'client-enter', 'alice', '#rust')).toBe(1);

		await c.signal('SIGKILL');
		await waitFor(() => a.log.some(line => line.includes(`node ${c.nodeId} stopped its heartbeat`)), 'the crashed node swept', 15_000);
		await heardFrom(onA, bob, 'still here on a');
		expect(count(bob, 'client-exit', 'alice', '#rust')).toBe(0);
		expect((await ask(bob, {cmd: 'get-clients', room: '#rust'})).clients).toEqual(['bob', 'alice']);

		await exit(onA);
		// One exit in #lobby, one in #rust.
		await waitFor(() => count(bob, 'client-exit', 'alice', '#rust') === 1, 'alice to leave #rust', 15_000);
		expect((await ask(bob, {cmd: 'get-clients', room: '#rust'})).clients).toEqual(['bob']);
	});
});
