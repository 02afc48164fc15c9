import {describe, expect, it} from 'vitest';
import {MemoryLog} from '../../../source/server/store/memory-log.js';
import {fill, messageLogContract} from './contract.js';

messageLogContract('memory', async options => new MemoryLog(options));

describe('MemoryLog bounds', () => {
	it('trims the oldest message of the whole server past `total`', async () => {
		const log = new MemoryLog({perConversation: 100, total: 10});
		await fill(log, '#a', 6);
		await fill(log, '#b', 6);
		expect(log.size).toBe(10);
		expect(await log.history('#a', {after: 0})).toMatchObject({first: 3, last: 6});
		expect(await log.history('#b', {after: 0})).toMatchObject({first: 1, last: 6});
		await fill(log, '#b', 2);
		expect(await log.history('#a', {after: 0})).toMatchObject({first: 5, last: 6});
	});

	it('says first = last + 1 when a conversation lost every message to the server-wide cap', async () => {
		const log = new MemoryLog({perConversation: 100, total: 3});
		await fill(log, '#a', 2);
		await fill(log, '#b', 3);
		expect(await log.history('#a', {})).toMatchObject({messages: [], first: 3, last: 2, more: false});
	});

	it('forgets the oldest id past its cap, so a resend of it is stored again', async () => {
		const log = new MemoryLog({maxIds: 2});
		for (const id of ['id-number-one-000000', 'id-number-two-000000', 'id-number-three-0000']) {
			await log.append([{conversation: '#lobby', user: 'ann', msg: 'x', id}]);
		}

		const [oldest] = await log.append([{conversation: '#lobby', user: 'ann', msg: 'x', id: 'id-number-one-000000'}]);
		const [newer] = await log.append([{conversation: '#lobby', user: 'ann', msg: 'x', id: 'id-number-three-0000'}]);
		expect(oldest).toMatchObject({outcome: 'stored', seq: 4});
		expect(newer).toMatchObject({outcome: 'duplicate', seq: 3});
	});

	it('starts a new epoch per instance (each server start)', async () => {
		const [a, b] = [new MemoryLog(), new MemoryLog()];
		expect((await a.history('#lobby', {})).epoch).not.toBe((await b.history('#lobby', {})).epoch);
	});
});
