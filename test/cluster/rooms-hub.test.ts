// The Redis hub's room contract on its own, two hubs on one real
// redis-server: what raw TCP cannot time, such as a join on one node that
// meets the room's deletion running on the other.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {HubMember, RoomName} from '../../source/server/hub.js';
import {RedisHub} from '../../source/server/redis/redis-hub.js';
import {startRedis, stopRedisServers, type RedisServer} from '../helpers/redis.js';
import {FAST_HUB} from './nodes.js';

let redis: RedisServer;
const hubs: RedisHub[] = [];
let prefixes = 0;

beforeAll(async () => {
	redis = await startRedis();
});
afterAll(stopRedisServers);
afterEach(async () => {
	await Promise.all(hubs.splice(0).map(async hub => hub.close()));
});

const member = (): HubMember & {frames: string[]} => {
	const frames: string[] = [];
	return {frames, acceptsDirect: true, deliver: (frame: Uint8Array) => frames.push(Buffer.from(frame).toString())};
};

async function hub(prefix: string): Promise<RedisHub> {
	const opened = await RedisHub.connect(redis.url, {...FAST_HUB, prefix, emptyRoomTtlMs: 200, log() {}});
	hubs.push(opened);
	return opened;
}

describe('RedisHub rooms', () => {
	it('deletes an empty room on one node only, and a join elsewhere waits for it, then creates the room afresh', async () => {
		const prefix = `rhub${++prefixes}:`;
		const [a, b] = [await hub(prefix), await hub(prefix)];
		const deletions: Array<{node: string; room: RoomName}> = [];
		let open!: () => void;
		const gate = new Promise<void>(resolve => {
			open = resolve;
		});
		for (const node of [a, b]) {
			node.onRoomDeleted(async room => {
				deletions.push({node: node.nodeId, room});
				await gate;
			});
		}

		const [ann, bob] = [member(), member()];
		await a.claim('ann', ann);
		await b.claim('bob', bob);
		expect(await a.join('#Doomed', ann)).toMatchObject({ok: true, room: {name: '#Doomed', key: '#doomed'}, joined: true});
		await a.part('#doomed', ann);
		const deadline = Date.now() + 10_000;
		while (deletions.length === 0 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
		expect(deletions.map(deletion => deletion.room)).toEqual([{name: '#Doomed', key: '#doomed'}]);

		let joined = false;
		const joining = b.join('#DOOMED', bob).then(outcome => {
			joined = true;
			return outcome;
		});
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(joined).toBe(false);
		open();
		expect(await joining).toEqual({ok: true, room: {name: '#DOOMED', key: '#doomed'}, members: ['bob'], joined: true});
		// Several heartbeats later the other node has not run a deletion of its own.
		await new Promise(resolve => setTimeout(resolve, 4 * FAST_HUB.heartbeatMs!));
		expect(deletions).toHaveLength(1);
	});

	it('refuses a join for a member without a name, and never parts #lobby', async () => {
		const a = await hub(`rhub${++prefixes}:`);
		const [ann, ghost] = [member(), member()];
		await a.claim('ann', ann);
		expect(await a.join('#x', ghost)).toEqual({ok: false, refusal: 'gone'});
		expect(await a.part('#lobby', ann)).toBeUndefined();
		expect(await a.release(ann)).toEqual([{name: '#lobby', key: '#lobby'}]);
		expect(await a.join('#x', ann)).toEqual({ok: false, refusal: 'gone'});
	});
});
