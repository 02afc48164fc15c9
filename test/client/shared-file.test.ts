// ChatClient's shared file (§12) against the reference server over TCP, and
// against the 2015 server stand-in.
import {afterEach, describe, expect, it} from 'vitest';
import {startFake2015Server, type Fake2015Server} from '../helpers/fake-2015-server.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeTestClients, roundTrip, roundTrip2015, testClient} from './recorder.js';
import {startScriptedServer} from './scripted-server.js';

const fakes: Fake2015Server[] = [];
afterEach(async () => {
	closeTestClients();
	await closeTestServers();
	await Promise.all(fakes.splice(0).map(async fake => fake.close()));
});

describe('the shared file with the reference server', () => {
	it('saves with a version, tells the other client, loads on connect, and reports a conflict with the current version', async () => {
		const server = await startTestServer();
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('roster');
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('roster');
		expect(a.client.sharesFile).toBe(true);

		a.client.updateFile('main.go', 'package main\n', 0);
		expect(await a.events.waitFor('file', event => event.kind === 'saved')).toEqual({kind: 'saved', room: '#lobby', name: 'main.go', text: 'package main\n', version: 1});
		expect(await b.events.waitFor('file', event => event.kind === 'updated')).toMatchObject({kind: 'updated', user: 'alice', name: 'main.go', text: 'package main\n', version: 1});

		// Both start from v1; bob's lands first, alice's is refused with v2.
		b.client.updateFile('main.go', 'package main // bob\n', 1);
		await b.events.waitFor('file', event => event.kind === 'saved' && event.version === 2);
		a.client.updateFile('main.go', 'package main // alice\n', 1);
		expect(await a.events.waitFor('file', event => event.kind === 'refused')).toMatchObject({kind: 'refused', code: 'conflict', version: 2, text: 'package main // alice\n'});

		// A newcomer is told there is a file, and the client fetches it.
		const c = testClient({port: server.port, user: 'carol'});
		expect(await c.events.waitFor('file')).toMatchObject({kind: 'loaded', file: {name: 'main.go', text: 'package main // bob\n', version: 2, user: 'bob'}});
	});

	it('refuses locally, sending nothing, a file over the server\'s limit, in the server\'s words', async () => {
		const server = await startTestServer({fileBytes: 100});
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('roster');
		a.client.updateFile('a.txt', 'x'.repeat(101), 0);
		expect(await a.events.waitFor('file')).toMatchObject({kind: 'refused', code: 'too-long', error: 'file is 101 bytes of UTF-8; the limit is 100'});
	});

	it('says a server without the feature keeps no file, and sends nothing', async () => {
		const server = await startTestServer({fileBytes: 0});
		const a = testClient({port: server.port, user: 'alice'});
		await a.events.waitFor('roster');
		expect(a.client.sharesFile).toBe(false);
		expect(a.client.getFile()).toBe(false);
		a.client.updateFile('a.txt', 'x', 0);
		expect(await a.events.waitFor('file')).toMatchObject({kind: 'refused', code: 'unsupported'});
		await roundTrip(a.client, a.events);
		expect(a.events.of('warning')).toEqual([]);
	});
});

describe('the shared file with a 2015 server', () => {
	it('loads it from the connect payload, sends update-file {msg} alone, and reads the others\' update-file as the new text', async () => {
		const fake = await startFake2015Server({sharedFile: 'package main\n'});
		fakes.push(fake);
		const a = testClient({port: fake.port, user: 'alice'});
		expect(await a.events.waitFor('file')).toEqual({kind: 'loaded', room: '#lobby', file: {name: '', text: 'package main\n'}});
		const b = testClient({port: fake.port, user: 'bob'});
		await b.events.waitFor('file');
		expect(a.client.sharesFile).toBe(true);

		a.client.updateFile('main.go', 'package main\n\nfunc main() {}\n', undefined);
		expect(await a.events.waitFor('file', event => event.kind === 'saved')).toEqual({kind: 'saved', room: '#lobby', name: 'main.go', text: 'package main\n\nfunc main() {}\n'});
		expect(await b.events.waitFor('file', event => event.kind === 'updated')).toMatchObject({kind: 'updated', user: 'alice', name: '', text: 'package main\n\nfunc main() {}\n'});
		expect(fake.received.find(entry => entry.frame.cmd === 'update-file')?.frame).toEqual({cmd: 'update-file', msg: 'package main\n\nfunc main() {}\n'});
		// The status that server gives update-file answers no command we wait for: the next one still gets its own.
		await roundTrip2015(a.client, a.events);
		expect(a.events.of('failed')).toEqual([]);
		expect(a.events.of('warning')).toEqual([]);

		// A newcomer gets the new text with its connect status.
		const c = testClient({port: fake.port, user: 'carol'});
		expect(await c.events.waitFor('file')).toMatchObject({kind: 'loaded', file: {text: 'package main\n\nfunc main() {}\n'}});
	});

	it('a refusal of update-file by that server is told, and the command after it still gets its own status', async () => {
		const server = await startScriptedServer(connection => {
			connection.onCommand(frame => {
				const answer = (command: string, ok: boolean) => connection.send(`{"cmd":"return-status","return-cmd":"${command}","status":${String(ok)},"payload":""}`);
				if (frame.cmd === 'connect') answer('client-connect', true);
				else if (frame.cmd === 'update-file') answer('update-file', false);
				else if (frame.cmd === 'msg') answer('msg', true);
			});
		});
		try {
			const a = testClient({port: server.port, user: 'alice'});
			await a.events.waitFor('connected');
			a.client.updateFile('a.go', 'x', undefined);
			await a.events.waitFor('file', event => event.kind === 'refused');
			await roundTrip2015(a.client, a.events);
			expect(a.events.of('failed')).toEqual([]);
		} finally {
			await server.close();
		}
	});
});

describe('the 2015 connect payload', () => {
	it('is the shared file when the status answers client-connect, as the real server does', async () => {
		const server = await startScriptedServer(connection => {
			connection.onCommand(frame => {
				if (frame.cmd === 'connect') {
					connection.send('{"cmd":"return-status","return-cmd":"client-connect","status":true,"payload":"package main\\n"}');
				}
			});
		});
		try {
			const a = testClient({port: server.port, user: 'alice'});
			expect(await a.events.waitFor('file')).toEqual({kind: 'loaded', room: '#lobby', file: {name: '', text: 'package main\n'}});
			expect((await a.events.waitFor('connected')).dialect).toBe('2015');
		} finally {
			await server.close();
		}
	});
});
