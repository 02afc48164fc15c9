// The output path of a large room (outbox.ts, turn-flush.ts): a room of at
// least BATCHED_ROOM_MEMBERS members hands a broadcast to one batch per
// flush round instead of to each member. What that must not change, on a
// real server over real sockets: every announcement arrives, once, in the
// server's order, never to its own sender, and each connection's frames
// keep their order across its rooms and its own statuses.
import {afterEach, describe, expect, it} from 'vitest';
import {BATCHED_ROOM_MEMBERS} from '../../source/server/outbox.js';
import {closeRawClients, connectRaw, type Frame, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

const features = ['codes', 'history', 'rooms', 'direct'];

async function user(port: number, username: string): Promise<RawClient> {
	const client = await connectRaw(port);
	client.sendFrame({cmd: 'connect', username, features});
	await client.expectStatus(true);
	return client;
}

/** The events that reached `client` so far (a round trip first), taken out of its inbox. */
async function eventsOf(client: RawClient): Promise<Frame[]> {
	await client.sync();
	const events = client.pendingEvents();
	client.inbox.length = 0;
	return events;
}

describe('a large room batches its broadcasts', () => {
	it('announces a burst of joins to everyone once each, in join order, and each joiner hears only those after it', async () => {
		const server = await startTestServer({rate: 0});
		const observers: RawClient[] = [];
		for (let index = 0; index < BATCHED_ROOM_MEMBERS; index++) observers.push(await user(server.port, `watcher${index}`));
		for (const observer of observers) await eventsOf(observer);

		// Sixty connects at once: they land in few turns, so one batch carries many of them.
		const joiners = await Promise.all(Array.from({length: 60}, async (_, index) => user(server.port, `joiner${index}`)));
		const rosterStatus = (await (async () => {
			observers[0]!.sendFrame({cmd: 'get-clients'});
			return observers[0]!.expectStatus(true);
		})()) as Frame;
		const joinOrder = (rosterStatus.clients as string[]).filter(name => name.startsWith('joiner'));
		expect(joinOrder).toHaveLength(60);

		const entered = (events: Frame[]) => events.map(event => {
			expect(event.cmd).toBe('client-enter');
			return event.user;
		});
		for (const observer of observers) expect(entered(await eventsOf(observer))).toEqual(joinOrder);
		for (const [index, joiner] of joiners.entries()) {
			const place = joinOrder.indexOf(`joiner${index}`);
			expect(entered(await eventsOf(joiner))).toEqual(joinOrder.slice(place + 1));
		}
	});

	it("keeps each connection's order across a large room, a small room and its own statuses", async () => {
		for (const history of [0, undefined]) {
			const server = await startTestServer({rate: 0, ...(history === 0 && {history: 0})});
			const talker = await user(server.port, 'talker');
			const both = await user(server.port, 'both');
			const crowd: RawClient[] = [];
			for (let index = 0; index < BATCHED_ROOM_MEMBERS; index++) crowd.push(await user(server.port, `crowd${index}`));
			for (const client of [talker, both]) {
				client.sendFrame({cmd: 'join', room: '#small'});
				await client.expectStatus(true);
			}

			for (const client of [talker, both, ...crowd]) await eventsOf(client);
			// One write: the server reads it in one turn, so lobby and #small frames share a flush round.
			const burst: Frame[] = [];
			for (let index = 0; index < 20; index++) burst.push({cmd: 'msg', msg: `lobby ${index}`}, {cmd: 'msg', room: '#small', msg: `small ${index}`});
			talker.send(burst.map(frame => JSON.stringify(frame) + '\n').join(''));
			// And `both` asks something in the middle of it: its status sits between the others' frames.
			both.sendFrame({cmd: 'get-clients', room: '#small'});

			const said = burst.map(frame => frame.msg);
			for (const frame of burst) expect(await talker.nextStatus()).toMatchObject({success: true});
			const bothItems: Frame[] = [];
			const done = () => bothItems.filter(item => item.cmd === 'message').length === burst.length && bothItems.some(item => item.cmd !== 'message');
			while (!done()) bothItems.push(await both.nextFrame());
			expect(await eventsOf(both)).toEqual([]);
			expect(bothItems.filter(item => item.cmd === 'message').map(item => item.msg)).toEqual(said);
			expect(bothItems.filter(item => item.cmd !== 'message')).toMatchObject([{success: true, room: '#small', clients: ['talker', 'both']}]);
			for (const client of crowd) expect((await eventsOf(client)).map(event => event.msg)).toEqual(said.filter(text => String(text).startsWith('lobby')));
			expect(await eventsOf(talker)).toEqual([]);
			await closeRawClients();
			await closeTestServers();
		}
	});

	it('stops a member that leaves mid-burst, and starts one that joins, at its own place', async () => {
		const server = await startTestServer({rate: 0, history: 0});
		const talker = await user(server.port, 'talker');
		const crowd: RawClient[] = [];
		for (let index = 0; index < BATCHED_ROOM_MEMBERS; index++) crowd.push(await user(server.port, `crowd${index}`));
		for (const client of [talker, ...crowd]) {
			client.sendFrame({cmd: 'join', room: '#big'});
			await client.expectStatus(true);
		}

		const mover = await user(server.port, 'mover');
		for (const client of [talker, mover, ...crowd]) await eventsOf(client);
		// The talker's messages and the mover's join and part race; whatever the interleaving,
		// the mover gets exactly the messages between its joined status and its part status.
		const messages = Array.from({length: 200}, (_, index) => JSON.stringify({cmd: 'msg', room: '#big', msg: `m${index}`}) + '\n');
		talker.send(messages.slice(0, 100).join(''));
		mover.send(JSON.stringify({cmd: 'join', room: '#big'}) + '\n' + JSON.stringify({cmd: 'part', room: '#big'}) + '\n');
		talker.send(messages.slice(100).join(''));

		const seen: Frame[] = [];
		for (;;) {
			const frame = await mover.nextFrame();
			seen.push(frame);
			if (frame['success-msg'] === 'left #big') break;
		}

		const joinedAt = seen.findIndex(frame => frame['success-msg'] === 'joined #big');
		expect(joinedAt).toBeGreaterThanOrEqual(0);
		// Nothing of #big before it joined; after, an unbroken run of the talker's messages in order.
		expect(seen.slice(0, joinedAt).filter(frame => frame.room === '#big')).toEqual([]);
		const got = seen.slice(joinedAt + 1, -1).filter(frame => frame.cmd === 'message').map(frame => Number(String(frame.msg).slice(1)));
		for (let index = 1; index < got.length; index++) expect(got[index]).toBe(got[index - 1]! + 1);
		// After its part, no more of #big (a round trip later).
		expect((await eventsOf(mover)).filter(frame => frame.room === '#big' && frame.cmd === 'message')).toEqual([]);
		for (const client of crowd) {
			for (let index = 0; index < 200; index++) expect((await client.nextEvent('message')).msg).toBe(`m${index}`);
		}
	});
});
