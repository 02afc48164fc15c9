import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/index.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {record} from './recorder.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

describe('ChatClient renames and closing', () => {
	it('takes two renames in a row, the second before the first is answered', async () => {
		const server = await startTestServer();
		const watcher = await connectUser(server.port, 'watcher');
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'a'});
		const events = record(client);
		client.start();
		await events.waitFor('connected');
		client.rename('b');
		client.rename('c');
		await events.waitFor('renamed', event => event.newname === 'c');
		expect(events.of('renamed')).toEqual([{oldname: 'a', newname: 'b'}, {oldname: 'b', newname: 'c'}]);
		expect(events.of('renameFailed')).toEqual([]);
		expect(client.user).toBe('c');
		expect(await watcher.nextEvent('client-rename')).toMatchObject({oldname: 'a', newname: 'b'});
		expect(await watcher.nextEvent('client-rename')).toMatchObject({oldname: 'b', newname: 'c'});
		client.close();
	});

	it('still reports a refusal decided just before close()', async () => {
		const client = new ChatClient({host: '127.0.0.1', port: 9, user: 'a', reconnect: false});
		const events = record(client);
		const localId = client.send('   ');
		client.close();
		const failed = await events.waitFor('failed');
		expect(failed).toMatchObject({localId, error: 'message is empty'});
	});
});
