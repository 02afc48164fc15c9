// PROTOCOL.md §13 over raw TCP against the real server: `/me` actions (live,
// stored and in history, in rooms and direct), `away` and `client-away`, and
// the away map on `get-clients` and `join`.
import {afterEach, describe, expect, it} from 'vitest';
import type {StatusFrame} from '../../source/protocol/types.js';
import {closeRawClients, connectRaw, type Frame, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

async function user(port: number, username: string): Promise<{client: RawClient; hello: StatusFrame & Frame}> {
	const client = await connectRaw(port);
	client.sendFrame({cmd: 'connect', username, features: ['codes', 'history', 'rooms', 'direct', 'presence']});
	const hello = (await client.expectStatus(true)) as StatusFrame & Frame;
	return {client, hello};
}

async function ask(client: RawClient, frame: Frame, success = true): Promise<StatusFrame & Frame> {
	client.sendFrame(frame);
	return (await client.expectStatus(success)) as StatusFrame & Frame;
}

async function eventsOf(client: RawClient): Promise<Frame[]> {
	await client.sync();
	const events = client.pendingEvents();
	client.inbox.length = 0;
	return events;
}

describe('actions', () => {
	it('relays action: true without a log, and never on a plain message', async () => {
		const server = await startTestServer({rate: 0, history: 0});
		const {client: alice, hello} = await user(server.port, 'alice');
		const {client: bob} = await user(server.port, 'bob');
		expect(hello.features).toContain('presence');
		await eventsOf(alice);
		await ask(bob, {cmd: 'msg', msg: 'waves', action: true});
		await ask(bob, {cmd: 'msg', msg: 'hello', action: false});
		expect(await eventsOf(alice)).toEqual([
			{cmd: 'message', user: 'bob', msg: 'waves', action: true},
			{cmd: 'message', user: 'bob', msg: 'hello'},
		]);
	});

	it('keeps the mark in the log: live, in history, in a room and in a live direct message', async () => {
		const server = await startTestServer({rate: 0});
		const {client: alice} = await user(server.port, 'alice');
		const {client: bob} = await user(server.port, 'bob');
		await ask(alice, {cmd: 'join', room: '#den'});
		await ask(bob, {cmd: 'join', room: '#den'});
		await eventsOf(alice);
		await ask(bob, {cmd: 'msg', msg: 'dances', room: '#den', action: true});
		await ask(bob, {cmd: 'msg', msg: 'plain', room: '#den'});
		await ask(bob, {cmd: 'msg', msg: 'whispers', to: 'alice', action: true});
		const events = await eventsOf(alice);
		expect(events[0]).toMatchObject({cmd: 'message', user: 'bob', msg: 'dances', room: '#den', action: true});
		expect(events[1]).not.toHaveProperty('action');
		expect(events[2]).toEqual({cmd: 'message', user: 'bob', to: 'alice', msg: 'whispers', action: true});
		const page = await ask(alice, {cmd: 'history', room: '#den'});
		const messages = page.messages as Frame[];
		expect(messages.map(message => [message.msg, message.action])).toEqual([['dances', true], ['plain', undefined]]);
	});

	it('refuses a non-boolean action with bad-field', async () => {
		const server = await startTestServer({rate: 0});
		const {client: bob} = await user(server.port, 'bob');
		expect(await ask(bob, {cmd: 'msg', msg: 'x', action: 'yes'}, false)).toMatchObject({code: 'bad-field'});
	});
});

describe('away', () => {
	it('tells everyone once, cleans the reason, and lists it on get-clients and join until back', async () => {
		const server = await startTestServer({rate: 0});
		const {client: alice} = await user(server.port, 'alice');
		const {client: bob} = await user(server.port, 'bob');
		await ask(alice, {cmd: 'join', room: '#den'});
		await ask(bob, {cmd: 'join', room: '#den'});
		await eventsOf(alice);

		const long = `lunch\r\nthen a walk ${'x'.repeat(400)}`;
		expect(await ask(bob, {cmd: 'away', msg: long})).toMatchObject({success: true});
		const reason = `lunch then a walk ${'x'.repeat(400)}`.slice(0, 256);
		// One event, though alice shares two rooms with bob.
		expect(await eventsOf(alice)).toEqual([{cmd: 'client-away', user: 'bob', msg: reason}]);
		expect(await eventsOf(bob)).toEqual([]);
		expect((await ask(alice, {cmd: 'get-clients'})).away).toEqual({bob: reason});
		expect((await ask(alice, {cmd: 'get-clients', room: '#den'})).away).toEqual({bob: reason});
		const {client: carol} = await user(server.port, 'carol');
		expect((await ask(carol, {cmd: 'join', room: '#den'})).away).toEqual({bob: reason});

		await eventsOf(alice);
		// Setting the same reason again changes nothing and tells nobody.
		await ask(bob, {cmd: 'away', msg: long});
		expect(await eventsOf(alice)).toEqual([]);

		expect(await ask(bob, {cmd: 'away'})).toMatchObject({success: true, 'success-msg': 'you are back'});
		expect(await eventsOf(alice)).toEqual([{cmd: 'client-away', user: 'bob', msg: ''}]);
		expect((await ask(alice, {cmd: 'get-clients'})).away).toEqual({});
		// A blank reason is back too.
		await ask(bob, {cmd: 'away', msg: 'brb'});
		await ask(bob, {cmd: 'away', msg: '  \n '});
		expect(await eventsOf(alice)).toEqual([{cmd: 'client-away', user: 'bob', msg: 'brb'}, {cmd: 'client-away', user: 'bob', msg: ''}]);
	});

	it('follows a rename, and is gone when the user leaves', async () => {
		const server = await startTestServer({rate: 0});
		const {client: alice} = await user(server.port, 'alice');
		const {client: bob} = await user(server.port, 'bob');
		await ask(bob, {cmd: 'away', msg: 'brb'});
		await ask(bob, {cmd: 'rename', oldname: 'bob', newname: 'rob'});
		expect((await ask(alice, {cmd: 'get-clients'})).away).toEqual({rob: 'brb'});
		await ask(bob, {cmd: 'exit'});
		await bob.closed;
		const {client: rob} = await user(server.port, 'rob');
		expect((await ask(rob, {cmd: 'get-clients'})).away).toEqual({});
	});

	it('gives the away map only to clients that listed presence, so a seed status keeps its shape', async () => {
		const server = await startTestServer({rate: 0});
		const {client: bob} = await user(server.port, 'bob');
		await ask(bob, {cmd: 'away', msg: 'brb'});
		const seed = await connectRaw(server.port);
		seed.sendFrame({cmd: 'connect', username: 'sam'});
		await seed.expectStatus(true);
		expect(await ask(seed, {cmd: 'get-clients'})).toEqual({success: true, 'error-msg': '', 'success-msg': 'bob, sam', clients: ['bob', 'sam']});
	});

	it('refuses a non-string reason, and before connect', async () => {
		const server = await startTestServer({rate: 0});
		const {client: bob} = await user(server.port, 'bob');
		expect(await ask(bob, {cmd: 'away', msg: 5}, false)).toMatchObject({code: 'bad-field'});
		const stranger = await connectRaw(server.port);
		expect(await ask(stranger, {cmd: 'away', msg: 'x'}, false)).toMatchObject({code: 'not-connected'});
	});
});
