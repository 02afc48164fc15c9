// ChatClient's decoder after a bad frame from the server: the connect status
// after it arrives whatever the TCP cut, and frames written back to back
// resynchronise with no newline.
import {afterEach, describe, expect, it} from 'vitest';
import {closeTestClients, testClient} from './recorder.js';
import {ok, startScriptedServer, type ScriptedConnection, type ScriptedServer} from './scripted-server.js';

const servers: ScriptedServer[] = [];
afterEach(async () => {
	closeTestClients();
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

/** A server that hands each connect to the test instead of answering it. */
async function serverHandingOverConnects(): Promise<{port: number; connects: ScriptedConnection[]}> {
	const connects: ScriptedConnection[] = [];
	const server = await startScriptedServer(connection => {
		connection.onCommand(frame => {
			if (frame.cmd === 'connect') connects.push(connection);
			else if (frame.cmd === 'get-clients') connection.send(ok('alice', ['alice']));
		});
	});
	servers.push(server);
	return {port: server.port, connects};
}

describe('ChatClient after a bad frame from the server', () => {
	it('gets its connect status when its "{" ends the chunk after a broken line', async () => {
		const server = await serverHandingOverConnects();
		const a = testClient({port: server.port, user: 'alice', reconnect: false});
		await expect.poll(() => server.connects.length).toBe(1);
		const [connection] = server.connects;
		connection.send('{"cmd":"message","user":"bob"\n{');
		// The warning proves the client has read the first chunk before the second is written.
		expect((await a.events.waitFor('warning')).message).toMatch(/^bad frame from the server \(malformed frame/);
		connection.send(JSON.stringify(ok('welcome alice')).slice(1) + '\n');
		await a.events.waitFor('connected');
		expect(a.events.of('warning')).toHaveLength(1);
	});

	it('gets its connect status and later frames after a frame with a raw control byte, all back to back', async () => {
		const server = await serverHandingOverConnects();
		const a = testClient({port: server.port, user: 'alice', reconnect: false});
		await expect.poll(() => server.connects.length).toBe(1);
		server.connects[0].send([
			'{"cmd":"message","user":"bob","msg":"ring\u0007}{"}',
			JSON.stringify(ok('welcome alice')),
			JSON.stringify({cmd: 'message', user: 'bob', msg: 'after'}),
		].join(''));
		await a.events.waitFor('connected');
		expect(await a.events.waitFor('message')).toMatchObject({user: 'bob', text: 'after'});
		expect(a.events.of('warning').map(warning => warning.message)).toEqual([expect.stringMatching(/^bad frame from the server \(malformed frame/)]);
	});
});
