import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/index.js';
import {EventBuffer} from '../../source/client/event-buffer.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(closeTestServers);

describe('EventBuffer', () => {
	it('holds what a started client reports until drained, in order, then lets go', async () => {
		const server = await startTestServer();
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'early'});
		const buffer = new EventBuffer(client);
		const filled = new Promise(resolve => client.once('roster', resolve));
		client.start();
		await filled;
		const held = buffer.drain();
		expect(held.map(event => event.name)).toEqual(expect.arrayContaining(['connected', 'roster']));
		expect(held.findIndex(event => event.name === 'connected')).toBeLessThan(held.findIndex(event => event.name === 'roster'));
		expect(held.find(event => event.name === 'connected')?.payload).toMatchObject({user: 'early'});
		// Drained once: no listeners left behind, and nothing more is held.
		const listenersAfter = client.listenerCount();
		expect(listenersAfter).toBe(0);
		const answered = new Promise(resolve => client.once('roster', resolve));
		client.who();
		await answered;
		expect(buffer.drain()).toEqual([]);
		client.close();
	});
});
