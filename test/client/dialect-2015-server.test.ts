// Our own ChatClient against our server in `--dialect 2015`: it must take it
// for the original 2015 server (PROTOCOL.md §5) and work both ways.
import {afterEach, describe, expect, it} from 'vitest';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeTestClients, roundTrip2015, testClient} from './recorder.js';

afterEach(async () => {
	closeTestClients();
	await closeTestServers();
});

describe('ChatClient against serve --dialect 2015', () => {
	it('detects the dialect, and messages, renames and exits travel both ways', async () => {
		const server = await startTestServer({dialect: '2015', rate: 0});
		const a = testClient({port: server.port, user: 'alice'});
		expect(await a.events.waitFor('connected')).toMatchObject({user: 'alice', dialect: '2015'});
		expect(await a.events.waitFor('roster')).toEqual({users: ['alice'], complete: false, source: 'connect', conversation: '#lobby'});
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('connected');
		expect(await a.events.waitFor('enter')).toEqual({user: 'bob', conversation: '#lobby'});

		a.client.send('héllo 👋 bob');
		expect(await b.events.waitFor('message')).toMatchObject({user: 'alice', text: 'héllo 👋 bob'});
		b.client.send('hi alice');
		expect(await a.events.waitFor('message')).toMatchObject({user: 'bob', text: 'hi alice'});

		b.client.rename('robert');
		expect(await b.events.waitFor('renamed')).toEqual({oldname: 'bob', newname: 'robert'});
		expect(await a.events.waitFor('rename')).toEqual({oldname: 'bob', newname: 'robert', conversations: ['#lobby']});
		a.client.who();
		expect(await a.events.waitFor('roster', roster => roster.source === 'who')).toEqual({users: ['alice', 'robert'], complete: false, source: 'who', conversation: '#lobby'});

		await b.client.exit('bye');
		expect(await a.events.waitFor('exit')).toEqual({user: 'robert', conversation: '#lobby', msg: 'bye'});
		await roundTrip2015(a.client, a.events);
		expect(a.events.of('failed')).toEqual([]);
		expect(a.events.of('warning')).toEqual([]);
	});

	it('shares the file: loaded from the connect payload, sent as update-file {msg}, read from the others\' update-file', async () => {
		const server = await startTestServer({dialect: '2015', rate: 0});
		const a = testClient({port: server.port, user: 'alice'});
		expect(await a.events.waitFor('file')).toEqual({kind: 'loaded', room: '#lobby', file: {name: '', text: ''}});
		const b = testClient({port: server.port, user: 'bob'});
		await b.events.waitFor('file');

		a.client.updateFile('main.go', 'package main\n', undefined);
		expect(await a.events.waitFor('file', event => event.kind === 'saved')).toMatchObject({kind: 'saved', text: 'package main\n'});
		expect(await b.events.waitFor('file', event => event.kind === 'updated')).toMatchObject({kind: 'updated', user: 'alice', text: 'package main\n'});
		await roundTrip2015(a.client, a.events);
		expect(a.events.of('failed')).toEqual([]);

		const c = testClient({port: server.port, user: 'carol'});
		expect(await c.events.waitFor('file')).toMatchObject({kind: 'loaded', file: {text: 'package main\n'}});
		expect(c.events.of('warning')).toEqual([]);
	});
});
