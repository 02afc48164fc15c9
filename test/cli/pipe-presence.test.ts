// Pipe mode with presence (§13) against the reference server: /me sends an
// action and /away sets the reason; NDJSON carries `action` on messages and
// an `away` event for the others' changes.
import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/index.js';
import {runPipe} from '../../source/cli/pipe-mode.js';
import {closeRawClients, connectRaw} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

describe('pipe mode with presence', () => {
	it('sends /me as an action and /away as away; prints actions and away changes as NDJSON', async () => {
		const server = await startTestServer({rate: 0});
		const bob = await connectRaw(server.port);
		bob.sendFrame({cmd: 'connect', username: 'bob', features: ['rooms', 'direct', 'presence']});
		await bob.expectStatus(true);

		const input = new PassThrough();
		const output = new PassThrough();
		let text = '';
		output.setEncoding('utf8').on('data', (chunk: string) => {
			text += chunk;
		});
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'alice'});
		const done = runPipe({client, input, output, json: true});
		const events = () => text.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as Record<string, unknown>);
		await waitUntil(() => events().some(event => event.type === 'roster'));

		input.write('/me waves\n/away lunch\n');
		expect(await bob.nextEvent('message')).toEqual({cmd: 'message', user: 'alice', msg: 'waves', action: true, seq: expect.any(Number), epoch: expect.any(String), time: expect.any(Number), id: expect.any(String)});
		expect(await bob.nextEvent('client-away')).toEqual({cmd: 'client-away', user: 'alice', msg: 'lunch'});

		bob.sendFrame({cmd: 'msg', msg: 'bows', action: true});
		bob.sendFrame({cmd: 'away', msg: 'nap'});
		await waitUntil(() => events().some(event => event.type === 'away' && event.user === 'bob'));
		expect(events()).toContainEqual(expect.objectContaining({type: 'message', user: 'bob', text: 'bows', action: true}));
		expect(events()).toContainEqual({type: 'away', user: 'bob', msg: 'nap'});
		input.end();
		await done;
	});
});
