// A node's own stored messages wait for their copy on the room's channel
// (redis-hub.ts): whichever of the append's reply and the copy comes first
// waits for the other, per room and seq.
import {describe, expect, it} from 'vitest';
import type {HubMember} from '../../source/server/hub.js';
import {MAX_UNMATCHED, OwnSends} from '../../source/server/redis/own-sends.js';

const member = {deliver() {}} as unknown as HubMember;

describe('OwnSends', () => {
	it('lets a reply that comes first wait for its copy, and hands the copy its sender once', () => {
		const sends = new OwnSends(60_000);
		const passed: number[] = [];
		sends.replied('#a', 7, member, () => passed.push(7));
		expect(sends.room('#b').copyCame(7)).toBeUndefined();
		expect(passed).toEqual([]);
		const waiting = sends.room('#a').copyCame(7)!;
		expect(waiting.member).toBe(member);
		waiting.passed();
		expect(passed).toEqual([7]);
		// Taken out as it was handed over: neither a second copy nor the channel going away passes it again.
		expect(sends.room('#a').copyCame(7)).toBeUndefined();
		sends.clear();
		expect(passed).toEqual([7]);
		sends.close();
	});

	it('remembers a copy that comes first, so its reply passes at once', () => {
		const sends = new OwnSends(60_000);
		expect(sends.room('#a').copyCame(3)).toBeUndefined();
		const passed: number[] = [];
		sends.replied('#a', 3, member, () => passed.push(3));
		expect(passed).toEqual([3]);
		// Remembered once: a later reply of the same seq (a new epoch) waits again.
		sends.replied('#a', 3, member, () => passed.push(-3));
		expect(passed).toEqual([3]);
		sends.close();
	});

	it('lets every waiting sender go when the channel goes away, and past the bound the oldest', () => {
		const sends = new OwnSends(60_000);
		const passed: number[] = [];
		for (let seq = 1; seq <= MAX_UNMATCHED + 1; seq++) sends.replied('#a', seq, member, () => passed.push(seq));
		expect(passed).toEqual([1]);
		sends.replied('#b', 1, member, () => passed.push(-1));
		sends.clear();
		expect(passed).toHaveLength(MAX_UNMATCHED + 2);
		expect(sends.room('#a').copyCame(2)).toBeUndefined();
		sends.close();
	});

	it('lets a sender go when its copy does not come within the timeout', async () => {
		const sends = new OwnSends(5);
		await new Promise<void>(resolve => {
			sends.replied('#a', 1, member, resolve);
		});
		expect(sends.room('#a').copyCame(1)).toBeUndefined();
		sends.close();
	});
});
