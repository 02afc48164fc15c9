// The in-process hub holding one account name for several connections
// (§11): one user to everyone else, in the roster, in rooms, and in what
// release and join tell the caller to announce.
import {describe, expect, it} from 'vitest';
import type {HubMember} from '../../source/server/hub.js';
import {LocalHub} from '../../source/server/local-hub.js';

const member = (): HubMember & {frames: string[]} => {
	const frames: string[] = [];
	return {frames, acceptsDirect: true, deliver: frame => frames.push(Buffer.from(frame).toString())};
};

describe('LocalHub: an account name held by several connections', () => {
	it('admits up to max connections of the account, then names the holders; guests stay one per name', async () => {
		const hub = new LocalHub();
		const [a, b, c, guest] = [member(), member(), member(), member()];
		expect(await hub.claimAccount('alice', a, 2)).toEqual({ok: true, first: true});
		expect(await hub.claimAccount('ALICE', b, 2)).toEqual({ok: true, first: false});
		expect(await hub.claimAccount('alice', c, 2)).toEqual({ok: false, reason: 'full', holders: [a, b]});
		expect(await hub.claim('alice', guest)).toBe(false);
		expect(await hub.claim('carol', guest)).toBe(true);
		expect(await hub.claimAccount('carol', c, 2)).toEqual({ok: false, reason: 'taken'});
		expect(await hub.roster()).toEqual(['alice', 'carol']);
	});

	it('makes a guest name an account name once its holder registers it', async () => {
		const hub = new LocalHub();
		const [first, second] = [member(), member()];
		await hub.claim('alice', first);
		expect(await hub.claimAccount('alice', second, 5)).toEqual({ok: false, reason: 'taken'});
		expect(await hub.claimAccount('alice', first, 5)).toEqual({ok: true, first: false});
		expect(await hub.claimAccount('alice', second, 5)).toEqual({ok: true, first: false});
	});

	it('tells the caller a room was left only when the last connection of the name in it goes', async () => {
		const hub = new LocalHub();
		const [a, b] = [member(), member()];
		await hub.claimAccount('alice', a, 5);
		await hub.claimAccount('alice', b, 5);
		expect(await hub.join('#both', a)).toMatchObject({ok: true, joined: true, members: ['alice']});
		expect(await hub.join('#both', b)).toMatchObject({ok: true, joined: false, members: ['alice']});
		expect(await hub.join('#only-a', a)).toMatchObject({ok: true, joined: true});
		expect((await hub.rooms()).find(room => room.room === '#both')).toEqual({room: '#both', users: 1});

		expect((await hub.release(a)).map(room => room.name)).toEqual(['#only-a']);
		expect(await hub.roster()).toEqual(['alice']);
		expect((await hub.release(b)).map(room => room.name)).toEqual(['#lobby', '#both']);
		expect(await hub.roster()).toEqual([]);
	});

	it('hands a direct message to every connection of the recipient and the sender\'s others, once each', async () => {
		const hub = new LocalHub();
		const [a1, a2, bob] = [member(), member(), member()];
		await hub.claimAccount('alice', a1, 5);
		await hub.claimAccount('alice', a2, 5);
		await hub.claimAccount('bob', bob, 5);
		expect(await hub.direct('alice', bob, () => Buffer.from('hi\n'))).toBe(true);
		expect([a1.frames, a2.frames, bob.frames]).toEqual([['hi\n'], ['hi\n'], []]);
	});
});
