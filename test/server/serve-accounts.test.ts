// `serve --data DIR` with accounts, in-process: an account made by the
// operator's command logs in; --accounts-only refuses guests; the accounts
// survive a restart; --accounts-only without storage is refused up front.
import {EventEmitter} from 'node:events';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {runAccountCommand} from '../../source/server/accounts/account-command.js';
import type {ChatServer} from '../../source/server/index.js';
import {runServe, type ServeFlags} from '../../source/server/serve-command.js';
import {closeRawClients, connectRaw} from '../helpers/raw-client.js';

const password = 'operator made this one';
let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'serve-accounts-'));
});
afterEach(async () => {
	await closeRawClients();
	rmSync(dir, {recursive: true, force: true});
});

async function startServe(flags: ServeFlags) {
	const signals = new EventEmitter();
	let onListening!: (server: ChatServer) => void;
	const listening = new Promise<ChatServer>(resolve => {
		onListening = resolve;
	});
	const finished = runServe({port: 0, listen: '127.0.0.1', ...flags}, {signals, log() {}, onListening});
	const server = await listening;
	return {server, stop: async () => {
		signals.emit('SIGTERM');
		await finished;
	}};
}

async function addAccount(name: string): Promise<void> {
	const input = new PassThrough();
	input.end(`${password}\n`);
	expect(await runAccountCommand({action: 'add', name, data: dir}, {input, prompt: new PassThrough()})).toMatchObject({code: 0});
}

describe('serve with accounts', () => {
	it('--data keeps accounts across restarts; --accounts-only refuses guests', async () => {
		await addAccount('alice');
		for (let run = 0; run < 2; run++) {
			const {server, stop} = await startServe({data: dir, accountsOnly: true});
			const client = await connectRaw(server.port);
			client.sendFrame({cmd: 'connect', username: 'guest1'});
			const refused = await client.nextStatus();
			expect(refused).toMatchObject({success: false, code: 'auth-required'});
			expect(refused.features).toContain('accounts');
			client.sendFrame({cmd: 'connect', username: 'alice', password});
			expect(await client.nextStatus()).toMatchObject({success: true});
			await stop();
		}
	});

	it('lists no accounts without --data, and refuses --accounts-only without storage', async () => {
		const {server, stop} = await startServe({});
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'connect', username: 'bob'});
		expect((await client.nextStatus()).features).not.toContain('accounts');
		await stop();
		await expect(runServe({port: 0, accountsOnly: true}, {signals: new EventEmitter(), log() {}})).rejects.toThrow(/--data DIR or --redis URL/);
	});
});
