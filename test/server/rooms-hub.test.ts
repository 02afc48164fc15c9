// The in-process hub's room contract (source/server/hub.ts) on its own: what
// raw TCP cannot time, such as a join that meets a room being deleted.
import {describe, expect, it} from 'vitest';
import type {RoomName} from '../../source/server/hub.js';
import {LocalHub} from '../../source/server/local-hub.js';

const member = (acceptsDirect = false) => {
	const frames: string[] = [];
	return {frames, acceptsDirect, deliver: (frame: Uint8Array) => frames.push(Buffer.from(frame).toString())};
};

describe('LocalHub rooms', () => {
	it('makes a join wait while the room\'s deletion runs, then creates it afresh in the joiner\'s spelling', async () => {
		let now = 0;
		const hub = new LocalHub({now: () => now});
		let finishDrop!: () => void;
		const dropped: RoomName[] = [];
		hub.onRoomDeleted(async room => {
			dropped.push(room);
			await new Promise<void>(resolve => {
				finishDrop = resolve;
			});
		});
		const [a, b] = [member(), member()];
		await hub.claim('a', a);
		await hub.claim('b', b);
		await hub.join('#Room', a);
		await hub.part('#room', a);
		now = 24 * 60 * 60 * 1000;

		let joined = false;
		const joining = hub.join('#ROOM', b).then(outcome => {
			joined = true;
			return outcome;
		});
		await new Promise(resolve => setImmediate(resolve));
		expect(dropped).toEqual([{name: '#Room', key: '#room'}]);
		expect(joined).toBe(false);
		finishDrop();
		expect(await joining).toEqual({ok: true, room: {name: '#ROOM', key: '#room'}, members: ['b'], joined: true});
	});

	it('deletes an expired empty room on its own timer, with nobody joining', async () => {
		const hub = new LocalHub({emptyRoomTtlMs: 20});
		const deleted = new Promise<RoomName>(resolve => {
			hub.onRoomDeleted(async room => resolve(room));
		});
		const a = member();
		await hub.claim('a', a);
		await hub.join('#brief', a);
		expect(await hub.release(a)).toEqual([{name: '#lobby', key: '#lobby'}, {name: '#brief', key: '#brief'}]);
		expect(await deleted).toEqual({name: '#brief', key: '#brief'});
	});

	it('never deletes #lobby, never parts it, and joins nothing for a member without a name', async () => {
		const hub = new LocalHub({emptyRoomTtlMs: 0});
		const drops: string[] = [];
		hub.onRoomDeleted(async room => {
			drops.push(room.key);
		});
		const a = member();
		await hub.claim('a', a);
		expect(await hub.part('#LOBBY', a)).toBeUndefined();
		await hub.release(a);
		expect(await hub.join('#x', a)).toEqual({ok: false, refusal: 'gone'});
		expect(await hub.rooms()).toEqual([]);
		expect(drops).toEqual([]);
	});

	it('hands a direct message only to holders of the name that accept direct messages, and names the recipient as held', async () => {
		const hub = new LocalHub();
		const [sender, bob, seed] = [member(true), member(true), member(false)];
		await hub.claim('sender', sender);
		await hub.claim('Bob', bob);
		await hub.claim('seed', seed);
		const names: string[] = [];
		const frame = (name: string) => {
			names.push(name);
			return Buffer.from(`to ${name}`);
		};

		expect(await hub.direct('bob', sender, frame)).toBe(true);
		expect(await hub.direct('seed', sender, frame)).toBe(false);
		expect(await hub.direct('nobody', sender, frame)).toBe(false);
		expect(names).toEqual(['Bob']);
		expect(bob.frames).toEqual(['to Bob']);
		expect(seed.frames).toEqual([]);
		expect(sender.frames).toEqual([]);
	});
});
