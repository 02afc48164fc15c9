// PROTOCOL.md §10 on one node, over raw TCP against the real server: rooms
// (join, part, rooms, and the room forms of get-clients, msg, history and the
// file commands), who hears which event, the limits, the deletion of empty
// rooms, and direct messages.
import {afterEach, describe, expect, it} from 'vitest';
import {MAX_ROOMS_PER_CONNECTION} from '../../source/protocol/rooms.js';
import type {StatusFrame} from '../../source/protocol/types.js';
import {LocalHub} from '../../source/server/local-hub.js';
import {closeRawClients, connectRaw, type Frame, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

/** Connects listing `features` (rooms clients list both; a seed client lists none). */
async function user(port: number, username: string, features: string[] = ['codes', 'history', 'rooms', 'direct']): Promise<RawClient> {
	const client = await connectRaw(port);
	client.sendFrame(features.length === 0 ? {cmd: 'connect', username} : {cmd: 'connect', username, features});
	await client.expectStatus(true);
	return client;
}

async function ask(client: RawClient, frame: Frame, success = true): Promise<StatusFrame & Frame> {
	client.sendFrame(frame);
	return (await client.expectStatus(success)) as StatusFrame & Frame;
}

async function join(client: RawClient, room: string): Promise<StatusFrame & Frame> {
	return ask(client, {cmd: 'join', room});
}

/** The events that reached `client` so far (a round trip first), taken out of its inbox. */
async function eventsOf(client: RawClient): Promise<Frame[]> {
	await client.sync();
	const events = client.pendingEvents();
	client.inbox.length = 0;
	return events;
}

describe('join', () => {
	it('answers with the members in join order and the room as the server spells it; the room hears client-enter, nobody else', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		const carol = await user(server.port, 'carol');
		await eventsOf(alice);
		await eventsOf(bob);

		expect(await join(alice, '#Rust')).toMatchObject({clients: ['alice'], room: '#Rust', 'success-msg': 'joined #Rust'});
		// Any spelling finds the room; look-alikes are the same room (ѕ is Cyrillic).
		expect(await join(bob, '#RUѕT')).toMatchObject({clients: ['alice', 'bob'], room: '#Rust'});
		expect(await eventsOf(alice)).toEqual([{cmd: 'client-enter', user: 'bob', room: '#Rust'}]);
		expect(await eventsOf(carol)).toEqual([]);

		// Joining again changes nothing and tells nobody.
		expect(await join(bob, '#rust')).toMatchObject({success: true, clients: ['alice', 'bob'], room: '#Rust'});
		expect(await eventsOf(alice)).toEqual([]);
		// #lobby: every connection is in it already.
		expect(await join(carol, '#lobby')).toMatchObject({clients: ['alice', 'bob', 'carol'], room: '#lobby'});
	});

	it('refuses bad room names with invalid-room, and a room that is not a string with bad-field, changing nothing', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		for (const room of ['rust', '#', '#a b', `#${'x'.repeat(33)}`, '#a\u200Bb', '##']) {
			expect(await ask(alice, {cmd: 'join', room}, false), room).toMatchObject({code: 'invalid-room'});
		}

		for (const frame of [{cmd: 'join'}, {cmd: 'join', room: 7}, {cmd: 'part', room: null}, {cmd: 'msg', msg: 'x', room: 1}, {cmd: 'get-clients', room: []}, {cmd: 'part', room: '#a', msg: 5}, {cmd: 'msg', msg: 'x', to: 5}, {cmd: 'history', with: 5}]) {
			expect(await ask(alice, frame, false), JSON.stringify(frame)).toMatchObject({code: 'bad-field'});
		}

		expect((await ask(alice, {cmd: 'rooms'})).rooms).toEqual([{room: '#lobby', users: 1}]);
	});

	it('refuses a 51st room (#lobby counts) with too-many-rooms, and nothing changes', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		for (let index = 1; index < MAX_ROOMS_PER_CONNECTION; index++) alice.sendFrame({cmd: 'join', room: `#r${index}`});
		for (let index = 1; index < MAX_ROOMS_PER_CONNECTION; index++) await alice.expectStatus(true);
		expect(await ask(alice, {cmd: 'join', room: '#one-more'}, false)).toMatchObject({code: 'too-many-rooms'});
		expect(await ask(alice, {cmd: 'msg', room: '#one-more', msg: 'hi'}, false)).toMatchObject({code: 'not-in-room'});
		expect((await ask(alice, {cmd: 'rooms'})).rooms).toHaveLength(MAX_ROOMS_PER_CONNECTION);
		// A room one is in already is no new room.
		expect(await join(alice, '#r1')).toMatchObject({success: true});
		await ask(alice, {cmd: 'part', room: '#r1'});
		expect(await join(alice, '#one-more')).toMatchObject({success: true});
	});

	it('refuses a room past the server limit with too-many-rooms, deleting the longest-empty room early to make space', async () => {
		const server = await startTestServer({rate: 0, hub: new LocalHub({maxRooms: 3})});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		await join(alice, '#a');
		await join(alice, '#b');
		expect(await ask(bob, {cmd: 'join', room: '#c'}, false)).toMatchObject({code: 'too-many-rooms'});
		expect(await join(bob, '#b')).toMatchObject({clients: ['alice', 'bob']});

		await ask(alice, {cmd: 'msg', room: '#a', msg: 'gone with its room'});
		await ask(alice, {cmd: 'part', room: '#a'});
		// #a is empty: it goes early, with its log, so that #c can be.
		expect(await join(bob, '#c')).toMatchObject({room: '#c'});
		expect(await ask(alice, {cmd: 'join', room: '#a'}, false)).toMatchObject({code: 'too-many-rooms'});
		await ask(bob, {cmd: 'part', room: '#c'});
		expect(await join(alice, '#A')).toMatchObject({room: '#A', clients: ['alice']});
		expect(await ask(alice, {cmd: 'history', room: '#a'})).toMatchObject({messages: [], last: 0});
	});
});

describe('room messages and events', () => {
	it('delivers a room message to that room only, with `room` and the room\'s own seq; #lobby events carry no room', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		const carol = await user(server.port, 'carol');
		await join(alice, '#go');
		await join(bob, '#go');
		await eventsOf(alice);
		await eventsOf(bob);

		const sent = await ask(alice, {cmd: 'msg', room: '#GO', msg: 'in go'});
		expect(sent).toMatchObject({seq: 1});
		const event = await bob.nextEvent('message');
		expect(event).toMatchObject({user: 'alice', msg: 'in go', room: '#go', seq: 1, epoch: sent.epoch});
		await ask(alice, {cmd: 'msg', msg: 'in the lobby'});
		const lobby = await carol.nextEvent('message');
		expect(lobby).toMatchObject({user: 'alice', msg: 'in the lobby', seq: 1});
		expect(lobby).not.toHaveProperty('room');
		expect(await eventsOf(carol)).toEqual([]);
		expect((await eventsOf(bob)).map(frame => frame.msg)).toEqual(['in the lobby']);
		// The sender is not echoed, in a room as in #lobby.
		expect(await eventsOf(alice)).toEqual([]);
	});

	it('relays a room message to that room only when the server keeps no history (--history 0)', async () => {
		const server = await startTestServer({rate: 0, history: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		const carol = await user(server.port, 'carol');
		await join(alice, '#Relay');
		await join(bob, '#relay');
		await eventsOf(carol);
		expect(await ask(alice, {cmd: 'msg', room: '#RELAY', msg: 'passing through'})).toMatchObject({'success-msg': 'sent'});
		expect(await bob.nextEvent('message')).toEqual({cmd: 'message', user: 'alice', msg: 'passing through', room: '#Relay'});
		expect(await eventsOf(carol)).toEqual([]);
	});

	it('answers a command for a room one is not in with not-in-room, and nothing else happens', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		await join(bob, '#secret');
		await ask(bob, {cmd: 'update-file', room: '#secret', name: 'a.txt', msg: 'x', base: 0});
		await eventsOf(bob);
		for (const frame of [
			{cmd: 'msg', room: '#secret', msg: 'let me in'},
			{cmd: 'history', room: '#secret'},
			{cmd: 'get-clients', room: '#secret'},
			{cmd: 'get-file', room: '#secret'},
			{cmd: 'update-file', room: '#secret', name: 'a.txt', msg: 'mine', base: 1},
			{cmd: 'part', room: '#secret'},
			{cmd: 'msg', room: '#nowhere', msg: 'hello?'},
		]) {
			const status = await ask(alice, frame, false);
			expect(status, JSON.stringify(frame)).toMatchObject({code: 'not-in-room'});
			expect(status).not.toHaveProperty('messages');
			expect(status).not.toHaveProperty('clients');
			expect(status).not.toHaveProperty('file');
		}

		expect(await eventsOf(bob)).toEqual([]);
		expect(await ask(bob, {cmd: 'history', room: '#secret'})).toMatchObject({messages: [], last: 0});
		expect(await ask(bob, {cmd: 'get-file', room: '#secret'})).toMatchObject({file: {msg: 'x', version: 1}});
		expect((await ask(alice, {cmd: 'rooms'})).rooms).toEqual([{room: '#lobby', users: 2}, {room: '#secret', users: 1}]);
	});

	it('parts with a reason: the room hears client-exit with part: true, then nothing more of that room reaches the one who left', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		const carol = await user(server.port, 'carol');
		await join(alice, '#x');
		await join(bob, '#x');
		await eventsOf(alice);
		await eventsOf(bob);
		await eventsOf(carol);

		expect(await ask(bob, {cmd: 'part', room: '#X', msg: 'off to\nlunch'})).toMatchObject({'success-msg': 'left #x'});
		expect(await eventsOf(alice)).toEqual([{cmd: 'client-exit', user: 'bob', room: '#x', part: true, msg: 'off to lunch'}]);
		expect(await eventsOf(carol)).toEqual([]);
		await ask(alice, {cmd: 'msg', room: '#x', msg: 'after'});
		expect(await eventsOf(bob)).toEqual([]);
		expect(await ask(bob, {cmd: 'msg', room: '#x', msg: 'back?'}, false)).toMatchObject({code: 'not-in-room'});
		expect(await ask(alice, {cmd: 'get-clients', room: '#x'})).toMatchObject({clients: ['alice'], room: '#x', 'success-msg': 'alice'});
		expect(await ask(bob, {cmd: 'part', room: '#x'}, false)).toMatchObject({code: 'not-in-room'});
	});

	it('never parts #lobby (forbidden), in any spelling', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		await eventsOf(alice);
		for (const room of ['#lobby', '#LOBBY', '#Lobby']) {
			expect(await ask(bob, {cmd: 'part', room}, false)).toMatchObject({code: 'forbidden'});
		}

		expect(await eventsOf(alice)).toEqual([]);
		await ask(alice, {cmd: 'msg', msg: 'still here?'});
		expect(await bob.nextEvent('message')).toMatchObject({msg: 'still here?'});
	});

	it('sends one client-exit per room shared with the one who disconnects, with their reason', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		const carol = await user(server.port, 'carol');
		for (const room of ['#a', '#b', '#only-alice']) await join(alice, room);
		await join(bob, '#a');
		await join(bob, '#b');
		await eventsOf(bob);
		await eventsOf(carol);

		await ask(alice, {cmd: 'exit', msg: 'bye'});
		await alice.waitClosed();
		const exits = [await bob.nextEvent('client-exit'), await bob.nextEvent('client-exit'), await bob.nextEvent('client-exit')];
		expect(exits).toEqual([
			{cmd: 'client-exit', user: 'alice', msg: 'bye'},
			{cmd: 'client-exit', user: 'alice', room: '#a', msg: 'bye'},
			{cmd: 'client-exit', user: 'alice', room: '#b', msg: 'bye'},
		]);
		expect(await eventsOf(bob)).toEqual([]);
		expect(await eventsOf(carol)).toEqual([{cmd: 'client-exit', user: 'alice', msg: 'bye'}]);
		expect((await ask(bob, {cmd: 'rooms'})).rooms).toEqual([{room: '#lobby', users: 2}, {room: '#a', users: 1}, {room: '#b', users: 1}]);
	});

	it('sends client-rename once to each connection, however many rooms it shares with the renamer; rooms keep the join order', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		for (const room of ['#a', '#b']) {
			await join(alice, room);
			await join(bob, room);
		}

		await eventsOf(bob);
		await ask(alice, {cmd: 'rename', oldname: 'alice', newname: 'ally'});
		expect(await eventsOf(bob)).toEqual([{cmd: 'client-rename', user: 'ally', oldname: 'alice', newname: 'ally'}]);
		expect(await ask(bob, {cmd: 'get-clients', room: '#b'})).toMatchObject({clients: ['ally', 'bob']});
		await ask(bob, {cmd: 'msg', room: '#a', msg: 'hi ally'});
		expect(await alice.nextEvent('message')).toMatchObject({room: '#a', msg: 'hi ally'});
	});

	it('lists the rooms with member counts, #lobby first, leaving out empty rooms; get-clients without a room still means everyone', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		await user(server.port, 'carol');
		await join(bob, '#zeta');
		await join(alice, '#Alpha');
		await join(bob, '#alpha');
		await join(alice, '#empty');
		await ask(alice, {cmd: 'part', room: '#empty'});
		expect(await ask(alice, {cmd: 'rooms'})).toMatchObject({
			'success-msg': '3 rooms',
			rooms: [{room: '#lobby', users: 3}, {room: '#Alpha', users: 2}, {room: '#zeta', users: 1}],
		});
		expect(await ask(alice, {cmd: 'get-clients'})).toMatchObject({clients: ['alice', 'bob', 'carol'], 'success-msg': 'alice, bob, carol'});
		expect(await ask(alice, {cmd: 'get-clients'})).not.toHaveProperty('room');
		expect(await ask(alice, {cmd: 'get-clients', room: '#alpha'})).toMatchObject({clients: ['alice', 'bob'], room: '#Alpha'});
	});
});

describe('history and the file per room', () => {
	it('keeps each room\'s log apart; history {room} needs membership; history {with} is forbidden for live-only direct messages', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		await join(alice, '#a');
		await ask(alice, {cmd: 'msg', room: '#a', msg: 'one in a'});
		await ask(alice, {cmd: 'msg', room: '#a', msg: 'two in a'});
		await ask(alice, {cmd: 'msg', msg: 'one in lobby'});
		const inA = await ask(alice, {cmd: 'history', room: '#A'});
		expect(inA).toMatchObject({first: 1, last: 2});
		expect(inA.messages).toEqual([
			expect.objectContaining({cmd: 'message', user: 'alice', msg: 'one in a', room: '#a', seq: 1}),
			expect.objectContaining({msg: 'two in a', room: '#a', seq: 2}),
		]);
		const lobby = await ask(alice, {cmd: 'history'});
		expect((lobby.messages as Frame[]).map(message => [message.msg, message.room])).toEqual([['one in lobby', undefined]]);
		expect(await ask(alice, {cmd: 'history', with: 'bob'}, false)).toMatchObject({code: 'forbidden'});
		expect(await ask(alice, {cmd: 'history', with: 'bob', room: '#a'}, false)).toMatchObject({code: 'bad-field'});
	});

	it('gives each room its own file: join says whether there is one (without its text); updates reach the room only', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		const carol = await user(server.port, 'carol');
		expect(await join(alice, '#code')).toMatchObject({file: null});
		expect(await ask(alice, {cmd: 'update-file', room: '#CODE', name: 'main.go', msg: 'package main\n', base: 0})).toMatchObject({version: 1});
		const joined = await join(bob, '#code');
		expect(joined.file).toMatchObject({name: 'main.go', version: 1, user: 'alice'});
		expect(joined.file).not.toHaveProperty('msg');
		await eventsOf(carol);

		await ask(bob, {cmd: 'update-file', room: '#code', name: 'main.go', msg: 'package main\n\nfunc main() {}\n', base: 1});
		expect(await alice.nextEvent('update-file')).toMatchObject({user: 'bob', room: '#code', version: 2});
		expect(await eventsOf(carol)).toEqual([]);
		expect(await ask(carol, {cmd: 'get-file'})).toMatchObject({file: null});
		expect(await ask(alice, {cmd: 'get-file', room: '#code'})).toMatchObject({file: {msg: 'package main\n\nfunc main() {}\n', version: 2}});
		expect(await ask(alice, {cmd: 'update-file', room: 'code', name: 'a', msg: 'x', base: 0}, false)).toMatchObject({code: 'invalid-room'});
	});

	it('deletes an empty room 24 hours after its last member left, with its log and its file, and not a moment before', async () => {
		let now = Date.parse('2026-01-01T00:00:00Z');
		const server = await startTestServer({rate: 0, hub: new LocalHub({now: () => now})});
		const alice = await user(server.port, 'alice');
		await join(alice, '#Old');
		const first = await ask(alice, {cmd: 'msg', room: '#old', msg: 'remember me'});
		await ask(alice, {cmd: 'update-file', room: '#old', name: 'notes.txt', msg: 'notes', base: 0});
		await ask(alice, {cmd: 'part', room: '#old'});

		now += 24 * 60 * 60 * 1000 - 1;
		expect(await join(alice, '#OLD')).toMatchObject({room: '#Old', file: {name: 'notes.txt'}});
		expect(await ask(alice, {cmd: 'history', room: '#old'})).toMatchObject({epoch: first.epoch, last: 1});
		await ask(alice, {cmd: 'part', room: '#old'});
		expect((await ask(alice, {cmd: 'rooms'})).rooms).toEqual([{room: '#lobby', users: 1}]);

		now += 24 * 60 * 60 * 1000;
		expect(await join(alice, '#OLD')).toMatchObject({room: '#OLD', file: null});
		const fresh = await ask(alice, {cmd: 'history', room: '#old'});
		expect(fresh).toMatchObject({messages: [], last: 0});
		expect(fresh.epoch).not.toBe(first.epoch);
	});
});

describe('direct messages', () => {
	it('delivers msg {to} as message {user, to, msg} to that user alone, without seq; the recipient is named as they spell it', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'Bob');
		const carol = await user(server.port, 'carol');
		await eventsOf(alice);
		await eventsOf(carol);

		const status = await ask(alice, {cmd: 'msg', to: 'BOB', msg: 'psst'});
		expect(status).not.toHaveProperty('seq');
		expect(await bob.nextEvent('message')).toEqual({cmd: 'message', user: 'alice', to: 'Bob', msg: 'psst'});
		expect(await eventsOf(carol)).toEqual([]);
		expect(await eventsOf(alice)).toEqual([]);
		expect((await ask(alice, {cmd: 'history'})).messages).toEqual([]);
	});

	it('answers no-such-user for a name nobody holds and for a client that did not list direct; an invalid name is invalid-name', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await user(server.port, 'alice');
		const seed = await user(server.port, 'seed', []);
		await eventsOf(seed);
		expect(await ask(alice, {cmd: 'msg', to: 'nobody', msg: 'hello'}, false)).toMatchObject({code: 'no-such-user'});
		expect(await ask(alice, {cmd: 'msg', to: 'seed', msg: 'would look public'}, false)).toMatchObject({code: 'no-such-user'});
		expect(await ask(alice, {cmd: 'msg', to: 'not a name', msg: 'hello'}, false)).toMatchObject({code: 'invalid-name'});
		expect(await ask(alice, {cmd: 'msg', to: 'seed', room: '#lobby', msg: 'both'}, false)).toMatchObject({code: 'bad-field'});
		expect(await ask(alice, {cmd: 'msg', to: 'alice', msg: ' '}, false)).toMatchObject({code: 'bad-field'});
		expect(await eventsOf(seed)).toEqual([]);
		// To oneself: there is no other connection of that name to hand it to, but the user exists.
		expect(await ask(alice, {cmd: 'msg', to: 'alice', msg: 'note to self'})).toMatchObject({success: true});
	});
});

describe('a seed client in #lobby', () => {
	it('sees exactly the seed\'s behaviour while others use rooms and direct messages around it', async () => {
		const server = await startTestServer({rate: 0});
		const seed = await user(server.port, 'seed', []);
		const alice = await user(server.port, 'alice');
		const bob = await user(server.port, 'bob');
		await join(alice, '#side');
		await join(bob, '#side');
		await ask(alice, {cmd: 'msg', room: '#side', msg: 'side talk'});
		await ask(alice, {cmd: 'msg', to: 'bob', msg: 'private'});
		await ask(alice, {cmd: 'update-file', room: '#side', name: 'x.ts', msg: 'x', base: 0});
		await ask(bob, {cmd: 'part', room: '#side', msg: 'done'});
		const lobby = await ask(alice, {cmd: 'msg', msg: 'public'});
		await ask(alice, {cmd: 'rename', oldname: 'alice', newname: 'ann'});
		bob.destroy();
		await seed.nextEvent('client-exit');
		await seed.sync();
		expect(seed.received.filter(item => item.type === 'frame' && typeof item.frame.cmd === 'string').map(item => item.type === 'frame' && item.frame)).toEqual([
			{cmd: 'client-enter', user: 'alice'},
			{cmd: 'client-enter', user: 'bob'},
			{cmd: 'message', user: 'alice', msg: 'public', seq: 1, epoch: lobby.epoch, time: lobby.time},
			{cmd: 'client-rename', user: 'ann', oldname: 'alice', newname: 'ann'},
			{cmd: 'client-exit', user: 'bob'},
		]);
		expect(await ask(seed, {cmd: 'get-clients'})).toMatchObject({clients: ['seed', 'ann'], 'success-msg': 'seed, ann'});
	});
});

describe('connect', () => {
	it('lists rooms and direct among the features', async () => {
		const server = await startTestServer();
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'connect', username: 'alice'});
		expect((await client.expectStatus(true)).features).toEqual(expect.arrayContaining(['rooms', 'direct']));
	});
});
