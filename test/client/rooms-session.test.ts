// ChatClient's side of rooms and direct messages (§10) against scripted
// servers: what it asks, what it refuses on its own (a seed server has one
// room; a direct message never goes to a server that would show it to
// everyone), how it reads the server's codes, what it keeps between runs,
// and the hostile values it drops with a warning.
import {afterEach, describe, expect, it} from 'vitest';
import type {ConversationKeeper} from '../../source/client/events.js';
import {ok, startScriptedServer, type ScriptedConnection, type ScriptedServer} from './scripted-server.js';
import {closeTestClients, testClient} from './recorder.js';

const servers: ScriptedServer[] = [];
afterEach(async () => {
	closeTestClients();
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

const fail = (text: string, code: string) => ({success: false, 'error-msg': text, 'success-msg': '', code});

type Script = (frame: Record<string, unknown>, connection: ScriptedConnection) => boolean;

/** A server that answers connect (with `features`), get-clients and history as ours would, and hands every other command to `script`. */
async function server(features: string[] | undefined, script: Script = () => false, seen: Array<Record<string, unknown>> = []): Promise<ScriptedServer> {
	const started = await startScriptedServer(connection => {
		connection.onCommand(frame => {
			seen.push(frame);
			if (script(frame, connection)) return;
			if (frame.cmd === 'connect') connection.send({...ok('welcome'), ...(features ? {features, server: 'test/1'} : {})});
			else if (frame.cmd === 'get-clients') connection.send(ok('alice', ['alice']));
			else if (frame.cmd === 'join') connection.send({...ok(''), room: frame.room, clients: ['carol', 'alice']});
			else if (frame.cmd === 'msg') connection.send(ok(''));
			else connection.send(fail('unknown command', 'unknown-command'));
		});
	});
	servers.push(started);
	return started;
}

function memoryKeeper(initial: string[]): ConversationKeeper & {saved: string[][]} {
	const saved: string[][] = [];
	return {
		saved,
		read: () => initial,
		save(_name, names) {
			saved.push([...names]);
		},
	};
}

const ROOMS = ['rooms', 'direct', 'codes'];

describe('rooms, client side', () => {
	it('rejoins what the last run left open, in order, and keeps the set as it changes', async () => {
		const seen: Array<Record<string, unknown>> = [];
		const scripted = await server(ROOMS, (frame, connection) => {
			if (frame.cmd === 'join' && frame.room === '#gone') {
				connection.send(fail('too many rooms', 'too-many-rooms'));
				return true;
			}

			if (frame.cmd === 'part') {
				connection.send(ok(''));
				return true;
			}

			return false;
		}, seen);
		const keeper = memoryKeeper(['#dev', 'bob', '#gone', '#bad name', '#Lobby']);
		const a = testClient({port: scripted.port, user: 'alice', conversations: keeper});
		// Shown before the connection answers; a bad name and #lobby are not rooms to join.
		expect(a.events.of('conversation')).toEqual([
			{kind: 'joining', room: '#dev', restored: true},
			{kind: 'joining', room: '#gone', restored: true},
			{kind: 'opened', with: 'bob', restored: true},
		]);
		await a.events.waitFor('conversation', event => event.kind === 'joined');
		expect(await a.events.waitFor('conversation', event => event.kind === 'refused')).toEqual({kind: 'refused', action: 'join', room: '#gone', error: 'cannot join #gone: too many rooms', code: 'too-many-rooms'});
		expect(seen.filter(frame => frame.cmd === 'join').map(frame => frame.room)).toEqual(['#dev', '#gone']);
		expect(a.client.rosterOf('#dev')?.users.map(user => user.name)).toEqual(['carol', 'alice']);
		expect(a.client.conversations).toEqual(['#dev', 'bob']);
		expect(keeper.saved.at(-1)).toEqual(['#dev', 'bob']);
		a.client.part('#dev', 'bye\nnow');
		expect(await a.events.waitFor('conversation', event => event.kind === 'parted')).toEqual({kind: 'parted', room: '#dev', reason: 'bye now'});
		expect(seen.find(frame => frame.cmd === 'part')).toEqual({cmd: 'part', room: '#dev', msg: 'bye now'});
		expect(keeper.saved.at(-1)).toEqual(['bob']);
	});

	it('sends a message to its room, #lobby without a room, and a direct one with `to`', async () => {
		const seen: Array<Record<string, unknown>> = [];
		const scripted = await server(ROOMS, () => false, seen);
		const a = testClient({port: scripted.port, user: 'alice', rooms: ['#dev']});
		await a.events.waitFor('conversation', event => event.kind === 'joined');
		a.client.send('one', {room: '#DEV'});
		a.client.send('two', {room: '#lobby'});
		a.client.send('three');
		a.client.send('four', {to: 'bob'});
		await a.events.waitFor('sent', () => a.events.of('sent').length === 4);
		expect(seen.filter(frame => frame.cmd === 'msg')).toEqual([
			{cmd: 'msg', msg: 'one', room: '#DEV'},
			{cmd: 'msg', msg: 'two'},
			{cmd: 'msg', msg: 'three'},
			{cmd: 'msg', msg: 'four', to: 'bob'},
		]);
		expect(a.events.of('sent').map(sent => sent.conversation)).toEqual(['#dev', '#lobby', '#lobby', 'bob']);
		// A room not joined, or a bad one, is refused here with the server's code for it.
		a.client.send('five', {room: '#elsewhere'});
		a.client.send('six', {room: 'nohash'});
		await a.events.waitFor('failed', () => a.events.of('failed').length === 2);
		expect(a.events.of('failed').map(failed => failed.code)).toEqual(['not-in-room', 'invalid-room']);
	});

	it('against a seed server: one room, refused in one line, and a queued direct message never goes out', async () => {
		const seen: Array<Record<string, unknown>> = [];
		const scripted = await server(undefined, () => false, seen);
		const keeper = memoryKeeper(['#dev']);
		const a = testClient({port: scripted.port, user: 'alice', conversations: keeper, start: false});
		// Typed before the first connection, when what the server speaks is not known yet.
		a.client.send('secret', {to: 'bob'});
		a.client.send('to dev', {room: '#dev'});
		a.client.start();
		await a.events.waitFor('connected');
		await a.events.waitFor('failed', () => a.events.of('failed').length === 2);
		expect(a.events.of('failed').map(failed => failed.code)).toEqual(['unsupported', 'unsupported']);
		expect(a.events.of('conversation')).toContainEqual(expect.objectContaining({kind: 'refused', room: '#dev', code: 'unsupported'}));
		a.client.join('#other');
		a.client.listRooms();
		expect(await a.events.waitFor('conversation', event => event.kind === 'refused' && event.room === '#other')).toMatchObject({code: 'unsupported', error: expect.stringContaining('single room')});
		expect(await a.events.waitFor('roomList')).toMatchObject({ok: false, code: 'unsupported'});
		a.client.send('hello all');
		await a.events.waitFor('sent');
		// Nothing of rooms reached the seed server: only the plain message.
		expect(seen.filter(frame => !['connect', 'get-clients'].includes(String(frame.cmd)))).toEqual([{cmd: 'msg', msg: 'hello all'}]);
	});

	it('drops hostile room and recipient values with a warning', async () => {
		const scripted = await server(ROOMS, (frame, connection) => {
			if (frame.cmd !== 'get-clients') return false;
			connection.send(ok('alice, bob', ['alice', 'bob']));
			connection.send({cmd: 'message', user: 'bob', msg: 'bad room', room: '#no such room'});
			connection.send({cmd: 'message', user: 'bob', msg: 'bad to', to: 42});
			connection.send({cmd: 'message', user: 'bob', msg: 'not mine', to: 'carol'});
			connection.send({cmd: 'message', user: 'bob', msg: 'not joined', room: '#elsewhere'});
			connection.send({cmd: 'client-enter', user: 'bob', room: ['#x']});
			connection.send({cmd: 'message', user: 'bob', msg: 'fine'});
			return true;
		});
		const a = testClient({port: scripted.port, user: 'alice'});
		await a.events.waitFor('message');
		expect(a.events.of('message').map(message => message.text)).toEqual(['fine']);
		const warnings = a.events.of('warning').map(warning => warning.message);
		expect(warnings).toHaveLength(5);
		expect(warnings[0]).toContain('bad room');
		expect(warnings[1]).toContain('bad recipient');
		expect(warnings[2]).toContain('which is not you');
		expect(warnings[3]).toContain('#elsewhere, a room you are not in');
		expect(warnings[4]).toContain('client-enter event with a bad room');
	});

	it('opens the direct conversation on the first message from someone, and on our own from another connection', async () => {
		const scripted = await server(ROOMS, (frame, connection) => {
			if (frame.cmd !== 'get-clients') return false;
			connection.send(ok('alice, bob', ['alice', 'bob']));
			connection.send({cmd: 'message', user: 'bob', to: 'alice', msg: 'psst'});
			connection.send({cmd: 'message', user: 'alice', to: 'carol', msg: 'from my phone'});
			return true;
		});
		const keeper = memoryKeeper([]);
		const a = testClient({port: scripted.port, user: 'alice', conversations: keeper});
		await a.events.waitFor('message', () => a.events.of('message').length === 2);
		expect(a.events.of('message').map(({conversation, user, to}) => ({conversation, user, to}))).toEqual([
			{conversation: 'bob', user: 'bob', to: 'alice'},
			{conversation: 'carol', user: 'alice', to: 'carol'},
		]);
		expect(a.events.of('warning')).toEqual([]);
		expect(keeper.saved.at(-1)).toEqual(['bob', 'carol']);
	});

	it('a keeper that cannot be read is a warning at start, not a crash', async () => {
		const scripted = await server(ROOMS);
		const a = testClient({
			port: scripted.port,
			user: 'alice',
			conversations: {
				read() {
					throw new Error('the file is damaged; starting in #lobby only');
				},
				save() {},
			},
		});
		expect(await a.events.waitFor('warning')).toEqual({message: 'the file is damaged; starting in #lobby only'});
		await a.events.waitFor('connected');
	});
});
