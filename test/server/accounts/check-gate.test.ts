import {describe, expect, it} from 'vitest';
import {CheckGate} from '../../../source/server/accounts/check-gate.js';

/** A task that finishes when told to. */
function held() {
	let finish!: () => void;
	const done = new Promise<void>(resolve => {
		finish = resolve;
	});
	return {task: async () => done, finish};
}

describe('the password-check gate', () => {
	it('runs two at once, queues a few in order, and refuses past the queue', async () => {
		const gate = new CheckGate(2, 2);
		const tasks = Array.from({length: 5}, () => held());
		const started: number[] = [];
		const runs = tasks.map(async ({task}, index) =>
			gate.run(async () => {
				started.push(index);
				await task();
				return index;
			}),
		);
		await Promise.resolve();
		expect(started).toEqual([0, 1]);
		expect([gate.running, gate.waiting]).toEqual([2, 2]);
		expect(await runs[4]).toEqual({ran: false});
		tasks[1]!.finish();
		expect(await runs[1]).toEqual({ran: true, value: 1});
		expect(started).toEqual([0, 1, 2]);
		for (const {finish} of tasks) finish();
		expect(await Promise.all(runs.slice(0, 4))).toEqual([0, 1, 2, 3].map(value => ({ran: true, value})));
		expect([gate.running, gate.waiting]).toEqual([0, 0]);
	});

	it('frees the slot of a task that throws', async () => {
		const gate = new CheckGate(1, 0);
		await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await gate.run(async () => 'next')).toEqual({ran: true, value: 'next'});
	});
});
