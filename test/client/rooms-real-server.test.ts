// ChatClient with the reference server's rooms and direct messages (§10),
// over real TCP: messages routed to their rooms, direct messages to their
// partner, and a client cut off (through the fault proxy) that rejoins each
// room and resumes each log, ending with exactly the server's seqs per room.
// A seed-style use (no rooms asked for) still lives in #lobby as before.
import {afterEach, describe, expect, it} from 'vitest';
import type {ChatClient} from '../../source/client/index.js';
import {NO_FAULTS, startFaultProxy, type FaultProxy} from '../helpers/fault-proxy.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeTestClients, testClient, type Recorder} from './recorder.js';

const proxies: FaultProxy[] = [];
afterEach(async () => {
	closeTestClients();
	await closeRawClients();
	await Promise.all(proxies.splice(0).map(async proxy => proxy.close()));
	await closeTestServers();
});

/** The seqs of a room's whole log, as a fresh raw client in that room reads them. */
async function serverSeqs(port: number, room: string): Promise<number[]> {
	const raw = await connectUser(port, `reader${Math.floor(Math.random() * 1e6)}`);
	raw.sendFrame({cmd: 'join', room});
	await raw.expectStatus(true);
	raw.sendFrame({cmd: 'history', room, after: 0, limit: 1000});
	const page: Record<string, unknown> = await raw.expectStatus(true);
	raw.destroy();
	return (page.messages as Array<{seq: number}>).map(message => message.seq);
}

async function joined(client: ChatClient, events: Recorder, room: string): Promise<void> {
	client.join(room);
	await events.waitFor('conversation', event => event.kind === 'joined' && event.room === room);
	await events.waitFor('caughtUp', event => event.conversation === room);
}

const inRoom = (events: Recorder, room: string) => events.of('message').filter(message => message.conversation === room);

describe('rooms with the reference server', () => {
	it('routes messages to their rooms and direct messages to their partner; a reconnect rejoins and resumes every room', async () => {
		const server = await startTestServer({rate: 0});
		let up = true;
		const proxy = await startFaultProxy(() => (up ? server.port : undefined), NO_FAULTS, 14);
		proxies.push(proxy);
		const alice = testClient({port: proxy.port, user: 'alice'});
		const bob = testClient({port: server.port, user: 'bob', sendRate: false});
		await alice.events.waitFor('caughtUp');
		await bob.events.waitFor('caughtUp');
		for (const room of ['#dev', '#ops']) {
			await joined(alice.client, alice.events, room);
			await joined(bob.client, bob.events, room);
		}

		expect(alice.client.rosterOf('#dev')?.users.map(user => user.name)).toEqual(['alice', 'bob']);
		expect(await alice.events.waitFor('enter', event => event.conversation === '#ops')).toEqual({user: 'bob', conversation: '#ops'});
		bob.client.send('to dev', {room: '#dev'});
		bob.client.send('to ops', {room: '#ops'});
		bob.client.send('to lobby');
		bob.client.send('just you', {to: 'alice'});
		await alice.events.waitFor('message', () => alice.events.of('message').length === 4);
		// Each in its own conversation; the order across conversations is the server's to choose.
		expect(alice.events.of('message').map(({conversation, text, room, to}) => ({conversation, text, room, to})).sort((a, b) => a.text.localeCompare(b.text))).toEqual([
			{conversation: 'bob', text: 'just you', room: undefined, to: 'alice'},
			{conversation: '#dev', text: 'to dev', room: '#dev', to: undefined},
			{conversation: '#lobby', text: 'to lobby', room: '#lobby', to: undefined},
			{conversation: '#ops', text: 'to ops', room: '#ops', to: undefined},
		]);
		// The first direct message opened the conversation with bob.
		expect(alice.events.of('conversation')).toContainEqual({kind: 'opened', with: 'bob', restored: false});
		expect(alice.client.conversations).toEqual(['#dev', '#ops', 'bob']);

		// Cut alice off at the next chunk, and keep her out while bob talks in both rooms.
		up = false;
		proxy.setFaults({...NO_FAULTS, drop: 1});
		bob.client.send('cut', {room: '#dev'});
		await alice.events.waitFor('disconnected');
		proxy.setFaults(NO_FAULTS);
		for (let index = 0; index < 5; index++) bob.client.send(`dev away ${index}`, {room: '#dev'});
		for (let index = 0; index < 3; index++) bob.client.send(`ops away ${index}`, {room: '#ops'});
		await bob.events.waitFor('sent', () => bob.events.of('sent').length === 13);
		// Typed while away: it must go to #ops once the room is joined again, not to #lobby.
		alice.client.send('back in ops', {room: '#ops'});
		up = true;

		await alice.events.waitFor('caughtUp', event => event.conversation === '#dev' && event.recovered > 0, 10_000);
		await alice.events.waitFor('caughtUp', event => event.conversation === '#ops' && event.recovered > 0, 10_000);
		expect(alice.events.of('conversation').filter(event => event.kind === 'joined' && event.again).map(event => event.kind === 'joined' && event.room)).toEqual(['#dev', '#ops']);
		expect(await bob.events.waitFor('message', message => message.text === 'back in ops')).toMatchObject({conversation: '#ops', user: 'alice'});

		for (const room of ['#dev', '#ops']) {
			// What she was shown and what she sent herself: the room's whole log, each seq once.
			const own = alice.events.of('sent').filter(sent => sent.conversation === room).map(sent => sent.seq);
			const seqs = [...inRoom(alice.events, room).map(message => message.seq), ...own].sort((a, b) => a! - b!);
			expect(seqs).toEqual(await serverSeqs(server.port, room));
		}

		expect(inRoom(alice.events, '#dev').filter(message => message.recovered).map(message => message.text)).toEqual(['cut', ...Array.from({length: 5}, (_, index) => `dev away ${index}`)]);
	});

	it('refuses on the server\'s codes: a room not joined, #lobby parted, a user who is not there', async () => {
		const server = await startTestServer({rate: 0});
		const alice = testClient({port: server.port, user: 'alice'});
		await alice.events.waitFor('caughtUp');
		alice.client.part('#lobby');
		expect(await alice.events.waitFor('conversation', event => event.kind === 'refused')).toMatchObject({action: 'part', code: 'forbidden'});
		alice.client.send('hello?', {room: '#nowhere'});
		expect(await alice.events.waitFor('failed')).toMatchObject({conversation: '#nowhere', code: 'not-in-room'});
		alice.client.send('anyone', {to: 'nobody'});
		expect(await alice.events.waitFor('failed', event => event.conversation === 'nobody')).toMatchObject({code: 'no-such-user'});
		await joined(alice.client, alice.events, '#dev');
		alice.client.part('#dev', 'done here');
		expect(await alice.events.waitFor('conversation', event => event.kind === 'parted')).toEqual({kind: 'parted', room: '#dev', reason: 'done here'});
		alice.client.listRooms();
		const list = await alice.events.waitFor('roomList');
		expect(list.ok && list.rooms.map(row => row.room)).toContain('#lobby');
	});
});
