// The server's decoder after a bad frame: the good frame after it is read
// whatever the TCP cut, and objects back to back resynchronise with no newline.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

describe('framing after a bad frame', () => {
	for (const broken of ['garbage', '{"cmd":"msg","msg":"hi"', '{"cmd":"msg",']) {
		it(`answers an exit whose "{" ends the chunk after the broken line ${JSON.stringify(broken)}, then closes`, async () => {
			const server = await startTestServer();
			const client = await connectUser(server.port, 'alice');
			client.send(`${broken}\n{`);
			// The failure proves the server has read the first chunk before the second is written.
			await client.expectStatus(false, /^malformed frame/);
			client.send('"cmd":"exit"}\n');
			await client.expectStatus(true, 'goodbye alice');
			await client.waitClosed();
			expect(client.inbox).toEqual([]);
		});
	}

	it('answers each of several objects back to back after one holding a raw control byte', async () => {
		const server = await startTestServer();
		const client = await connectUser(server.port, 'alice');
		client.send('{"cmd":"msg","msg":"ring\u0007}{"}{"cmd":"get-clients"}{"cmd":"msg","msg":"after"}{"cmd":"exit"}');
		await client.expectStatus(false, /^malformed frame/);
		await client.expectStatus(true, 'alice');
		await client.expectStatus(true, 'sent');
		await client.expectStatus(true, 'goodbye alice');
		await client.waitClosed();
	});
});
