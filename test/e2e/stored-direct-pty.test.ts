// The built CLI in a pty against a real server with --data: the sidebar of
// an account that was offline lists its stored direct conversation after
// login with what came while it was offline unread, and on the next start
// counts what came meanwhile as unread, with @.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {configDirectory, OpenRoomsStore} from '../../source/cli/open-rooms.js';
import {closePtys, spawnCli} from '../helpers/pty.js';
import {closeRawClients, connectRaw, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const password = 'lantern-orchid-velvet';
let dir: string;

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'stored-direct-pty-'));
});
afterEach(async () => {
	// Every client has exited before its folder goes: one still shutting down writes its state files there.
	await closePtys();
	await closeRawClients();
	await closeTestServers();
	rmSync(dir, {recursive: true, force: true});
});

async function ask(client: RawClient, frame: Record<string, unknown>) {
	client.sendFrame(frame);
	return client.nextStatus();
}

async function account(port: number, name: string): Promise<RawClient> {
	const raw = await connectRaw(port);
	expect(await ask(raw, {cmd: 'connect', username: name, features: ['direct']})).toMatchObject({success: true});
	expect(await ask(raw, {cmd: 'register', password})).toMatchObject({success: true});
	return raw;
}

describe('stored direct conversations in the TUI', () => {
	it('lists the conversation stored while offline with its message unread, and on the next start counts what came meanwhile', async () => {
		const server = await startTestServer({rate: 0, dataDir: path.join(dir, 'data')});
		const alice = await account(server.port, 'alice');
		const bob = await account(server.port, 'bob');
		bob.sendFrame({cmd: 'exit'});
		await bob.closed;
		expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: 'are you there?'})).toMatchObject({success: true, seq: 1});

		const env = {XDG_STATE_HOME: path.join(dir, 'state'), XDG_CONFIG_HOME: path.join(dir, 'config'), CODECHAT_PASSWORD: password};
		const args = ['--host', `127.0.0.1:${server.port}`, '--user', 'bob'];
		const first = spawnCli(args, {env});
		// Never seen here, and bob has not written in it: alice's message is unread, not backlog.
		await first.waitFor(() => / \d alice\s+1 @1/.test(first.text()), 10_000, 'alice listed with the message that came while bob was offline, unread, a mention');
		// Listed before its history has come: killed then, the client would not yet have kept how far it saw.
		const seen = () => new OpenRoomsStore(configDirectory(env), {host: '127.0.0.1', port: server.port, tls: false}).readSeen('bob');
		await first.waitFor(() => seen().get('alice')?.seq === 1, 15_000, 'the client to keep how far it saw alice\'s messages');
		first.kill();
		await first.exited;

		expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: 'hello again'})).toMatchObject({success: true, seq: 2});
		const second = spawnCli(args, {env});
		await second.waitFor(() => / \d alice\s+1 @1/.test(second.text()), 10_000, 'alice listed with one unread, a mention');
		second.kill();
		await second.exited;
	});
});
