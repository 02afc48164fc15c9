// Two `serve --redis` nodes share one set of accounts: registered on one,
// logged in on the other, by password and by token; on one redis-server and
// on a Redis Cluster.
import {EventEmitter} from 'node:events';
import {afterAll, describe, expect, it} from 'vitest';
import type {ChatServer} from '../../source/server/index.js';
import {runServe} from '../../source/server/serve-command.js';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {REDIS_BACKENDS, useRedisBackend} from '../helpers/redis-backends.js';
import {stopRedisServers} from '../helpers/redis.js';

afterAll(async () => {
	await closeRawClients();
	await stopRedisServers();
});

async function node(url: string) {
	const signals = new EventEmitter();
	let onListening!: (server: ChatServer) => void;
	const listening = new Promise<ChatServer>(resolve => {
		onListening = resolve;
	});
	const finished = runServe({port: 0, listen: '127.0.0.1', redis: url}, {signals, log() {}, onListening, options: {quiet: true}});
	return {server: await listening, stop: async () => {
		signals.emit('SIGTERM');
		await finished;
	}};
}

describe.each(REDIS_BACKENDS)('accounts in a cluster, on %s', backend => {
	const redis = useRedisBackend(backend);
	it('an account registered on one node logs in on the other, by password and by token', async () => {
		const [a, b] = [await node(redis.url), await node(redis.url)];
		const password = 'shared by both nodes';
		const alice = await connectUser(a.server.port, 'alice');
		alice.sendFrame({cmd: 'register', password});
		const {token} = await alice.expectStatus(true);
		alice.sendFrame({cmd: 'exit'});
		await alice.waitClosed();

		const onB = await connectRaw(b.server.port);
		onB.sendFrame({cmd: 'connect', username: 'alice'});
		const refused = await onB.nextStatus();
		expect(refused).toMatchObject({success: false, code: 'auth-required'});
		expect(refused.features).toContain('accounts');
		onB.sendFrame({cmd: 'connect', username: 'alice', password});
		expect(await onB.nextStatus()).toMatchObject({success: true});
		onB.sendFrame({cmd: 'exit'});
		await onB.waitClosed();

		const backOnA = await connectRaw(a.server.port);
		backOnA.sendFrame({cmd: 'connect', username: 'alice', token});
		expect(await backOnA.nextStatus()).toMatchObject({success: true, token});
		await Promise.all([a.stop(), b.stop()]);
	});
});
