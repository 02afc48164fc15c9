// The behaviour every MessageLog backend promises (PROTOCOL.md §9), run
// against each real backend by its own test file.
import {afterEach, describe, expect, it} from 'vitest';
import {encodeMessageArray, encodeMessageEvent, HISTORY_REPLY_MAX_BYTES} from '../../../source/server/store/message-event.js';
import type {AppendOutcome, HistoryPage, HistoryQuery, MessageLog, NewMessage} from '../../../source/server/store/message-log.js';

export type LogFactory = (options: {perConversation?: number}) => Promise<MessageLog>;

const lobby = '#lobby';
const says = (user: string, msg: string, extra: Partial<NewMessage> = {}): NewMessage => ({conversation: lobby, user, msg, ...extra});
const seqs = (page: HistoryPage) => page.messages.map(message => message.seq);

function stored(outcome: AppendOutcome | undefined) {
	if (outcome?.outcome !== 'stored') throw new Error(`expected stored, got ${JSON.stringify(outcome)}`);
	return outcome;
}

/** Appends `count` messages to `conversation` in batches of 100. */
export async function fill(log: MessageLog, conversation: string, count: number, text = (index: number) => `message ${index}`): Promise<void> {
	for (let start = 1; start <= count; start += 100) {
		const batch: NewMessage[] = [];
		for (let index = start; index < Math.min(count + 1, start + 100); index++) batch.push({conversation, user: 'ann', msg: text(index)});
		await log.append(batch);
	}
}

/** Bytes of the `history` reply a server would send for this page. */
export function replyBytes(page: HistoryPage, room: string): number {
	const messages = page.messages.map(message => encodeMessageEvent(message, room).trimEnd()).join(',');
	const envelope = JSON.stringify({success: true, 'error-msg': '', 'success-msg': 'history', messages: [], epoch: page.epoch, first: page.first, last: page.last, more: page.more});
	return Buffer.byteLength(envelope) + Buffer.byteLength(messages);
}

export function messageLogContract(name: string, make: LogFactory): void {
	describe(`${name}: the MessageLog contract`, () => {
		const open: MessageLog[] = [];
		const log = async (options: {perConversation?: number} = {}) => {
			const made = await make(options);
			open.push(made);
			return made;
		};

		afterEach(async () => {
			await Promise.all(open.splice(0).map(async made => made.close()));
		});

		it('numbers each conversation 1, 2, 3… under one epoch, with non-decreasing times', async () => {
			const store = await log();
			const outcomes = await store.append([says('ann', 'a'), says('bob', 'b'), {conversation: '#other', user: 'ann', msg: 'c'}, says('ann', 'd')]);
			const [first, second, other, third] = outcomes.map(stored);
			expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
			expect(other.seq).toBe(1);
			expect(second.epoch).toBe(first.epoch);
			expect(third.epoch).toBe(first.epoch);
			expect(other.epoch).not.toBe(first.epoch);
			expect(second.time).toBeGreaterThanOrEqual(first.time);
			expect(third.time).toBeGreaterThanOrEqual(second.time);
			expect(Math.abs(first.time - Date.now())).toBeLessThan(60_000);
		});

		it('resolves appends made in one tick in seq order', async () => {
			const store = await log();
			const resolved: number[] = [];
			await Promise.all(
				Array.from({length: 20}, async (_, index) => {
					const [outcome] = await store.append([says('ann', `m${index}`)]);
					resolved.push(stored(outcome).seq);
				}),
			);
			expect(resolved).toEqual(Array.from({length: 20}, (_, index) => index + 1));
		});

		it('gives back what was stored, with seq, epoch, time and id', async () => {
			const store = await log();
			const [outcome] = await store.append([says('zoë', 'héllo 👋', {id: 'abcdefghijklmnop1234'})]);
			const {seq, epoch, time} = stored(outcome);
			const page = await store.history(lobby, {});
			expect(page.messages).toEqual([{seq, epoch, time, user: 'zoë', msg: 'héllo 👋', id: 'abcdefghijklmnop1234'}]);
			expect(page).toMatchObject({epoch, first: 1, last: 1, more: false});
		});

		it('keeps the action mark of a `/me` message, with or without an id', async () => {
			const store = await log();
			await store.append([says('ann', 'waves', {action: true}), says('ann', 'plain'), says('bob', 'bows', {action: true, id: 'abcdefghijklmnop5678'})]);
			const page = await store.history(lobby, {});
			expect(page.messages.map(({msg, action, id}) => ({msg, action, id}))).toEqual([
				{msg: 'waves', action: true, id: undefined},
				{msg: 'plain', action: undefined, id: undefined},
				{msg: 'bows', action: true, id: 'abcdefghijklmnop5678'},
			]);
		});

		it('answers an empty log with first = last = 0 and an epoch its first message keeps', async () => {
			const store = await log();
			const empty = await store.history('#new', {});
			expect(empty).toMatchObject({messages: [], first: 0, last: 0, more: false});
			expect(empty.epoch).toMatch(/^[\w-]+$/);
			const [outcome] = await store.append([{conversation: '#new', user: 'ann', msg: 'hi'}]);
			expect(stored(outcome).epoch).toBe(empty.epoch);
		});

		it('pages with after, before and neither, and says whether there is more', async () => {
			const store = await log();
			await fill(store, lobby, 150);
			const newest = await store.history(lobby, {});
			expect(seqs(newest)).toEqual(range(51, 150));
			expect(newest).toMatchObject({first: 1, last: 150, more: true});
			expect(newest.messages[0].msg).toBe('message 51');

			const after = await store.history(lobby, {after: 140});
			expect(seqs(after)).toEqual(range(141, 150));
			expect(after.more).toBe(false);
			expect(seqs(await store.history(lobby, {after: 0}, 10))).toEqual(range(1, 10));
			expect((await store.history(lobby, {after: 0}, 10)).more).toBe(true);
			expect(seqs(await store.history(lobby, {after: 150}))).toEqual([]);

			const before = await store.history(lobby, {before: 11}, 5);
			expect(seqs(before)).toEqual(range(6, 10));
			expect(before.more).toBe(true);
			const oldest = await store.history(lobby, {before: 4}, 5);
			expect(seqs(oldest)).toEqual([1, 2, 3]);
			expect(oldest.more).toBe(false);
			expect(seqs(await store.history(lobby, {before: 1}))).toEqual([]);
		});

		it('clamps limit to 1..1000', async () => {
			const store = await log();
			await fill(store, lobby, 1100, index => `m${index}`);
			expect((await store.history(lobby, {after: 0}, 5000)).messages).toHaveLength(1000);
			expect((await store.history(lobby, {after: 0}, 0)).messages).toHaveLength(1);
		});

		it('stops early to keep the reply under 256 KiB, keeping the side next to the anchor', async () => {
			const store = await log();
			// 2,000 characters of two bytes each: about 4 KiB a message, so ~63 fit.
			await fill(store, lobby, 100, index => `${index} ${'é'.repeat(2000)}`);
			const forward = await store.history(lobby, {after: 0});
			expect(forward.messages.length).toBeGreaterThan(50);
			expect(forward.messages.length).toBeLessThan(100);
			expect(forward.messages[0].seq).toBe(1);
			expect(forward.more).toBe(true);
			expect(replyBytes(forward, lobby)).toBeLessThan(HISTORY_REPLY_MAX_BYTES);

			const newest = await store.history(lobby, {});
			expect(newest.messages.at(-1)!.seq).toBe(100);
			expect(newest.messages.length).toBe(forward.messages.length);
			expect(newest.more).toBe(true);
			expect(replyBytes(newest, lobby)).toBeLessThan(HISTORY_REPLY_MAX_BYTES);
		});

		it('keeps the newest N per conversation, moving first up', async () => {
			const store = await log({perConversation: 5});
			await fill(store, lobby, 8);
			const page = await store.history(lobby, {after: 0});
			expect(seqs(page)).toEqual([4, 5, 6, 7, 8]);
			expect(page).toMatchObject({first: 4, last: 8, more: false});
			const [next] = await store.append([says('ann', 'nine')]);
			expect(stored(next).seq).toBe(9);
			expect((await store.history(lobby, {})).first).toBe(5);
		});

		it('answers a resent id with the original seq and duplicate, and stores it once', async () => {
			const store = await log();
			const id = 'Rk3-x_9QpL2mVb7Tz0Yw';
			const [original] = await store.append([says('ann', 'once', {id})]);
			await store.append([says('bob', 'between')]);
			const [again] = await store.append([says('ann', 'once', {id})]);
			const first = stored(original);
			expect(again).toEqual({outcome: 'duplicate', seq: first.seq, epoch: first.epoch, time: first.time});
			const page = await store.history(lobby, {});
			expect(seqs(page)).toEqual([1, 2]);
			expect(page.messages.filter(message => message.id === id)).toHaveLength(1);
		});

		it('refuses a known id with another text or sender as a conflict', async () => {
			const store = await log();
			const id = 'conflicting-id-000001';
			await store.append([says('ann', 'original', {id})]);
			const [otherText] = await store.append([says('ann', 'changed', {id})]);
			const [otherUser] = await store.append([says('bob', 'original', {id})]);
			expect(otherText).toEqual({outcome: 'conflict'});
			expect(otherUser).toEqual({outcome: 'conflict'});
			expect((await store.history(lobby, {})).last).toBe(1);
		});

		it('keys ids by conversation, and sees a duplicate inside one batch', async () => {
			const store = await log();
			const id = 'same-id-in-two-rooms-1';
			const outcomes = await store.append([says('ann', 'x', {id}), {conversation: '#other', user: 'ann', msg: 'x', id}, says('ann', 'x', {id})]);
			expect(outcomes.map(outcome => outcome.outcome)).toEqual(['stored', 'stored', 'duplicate']);
			expect(outcomes[2]).toMatchObject({seq: 1});
		});

		it('drops a conversation: its next message starts a new epoch at seq 1', async () => {
			const store = await log();
			const [before] = await store.append([says('ann', 'old', {id: 'dropped-id-0000000001'})]);
			await store.drop(lobby);
			expect(await store.history(lobby, {})).toMatchObject({messages: [], first: 0, last: 0});
			const [after] = await store.append([says('ann', 'old', {id: 'dropped-id-0000000001'})]);
			expect(stored(after).seq).toBe(1);
			expect(stored(after).epoch).not.toBe(stored(before).epoch);
			// The id now names the message of the new epoch.
			const [again] = await store.append([says('ann', 'old', {id: 'dropped-id-0000000001'})]);
			expect(again).toEqual({...stored(after), outcome: 'duplicate'});
		});

		it('encodes a page as history() gives it, byte for byte, for hostile text, with and without a room', async () => {
			const store = await log();
			const hostile = [
				'say "hi" \\ \\" \\\\u0041',
				Array.from({length: 32}, (_, code) => String.fromCharCode(code)).join('') + '\u007f\u2028\u2029',
				'astral 👋🏽 𝄞 and é',
				'lone \ud800 high, lone \udfff low, reversed \udc00\ud800',
				'{"cmd":"message"}],"epoch":"x"',
			];
			const batch = hostile.flatMap((msg, index) => [
				says(`u"\\${index}`, msg),
				says('ann', msg, {id: `hostile-id-${String(index).padStart(10, '0')}`}),
				says('bob', msg, {action: true}),
				says('cy\ud800', msg, {action: true, id: `hostile-act-${String(index).padStart(10, '0')}`}),
			]);
			await store.append(batch);
			const queries: HistoryQuery[] = [{}, {after: 0}, {after: 7}, {before: 12}, {before: 1}, {after: batch.length}];
			for (const query of queries) {
				for (const room of [undefined, '#Löbby "q"']) {
					for (const limit of [undefined, 3]) {
						const page = await store.history(lobby, query, limit);
						const encoded = await store.encodedHistory(lobby, query, room, limit);
						expect(encoded.messages.toString('utf8')).toBe(encodeMessageArray(page.messages, room).toString('utf8'));
						expect(encoded.messages.equals(encodeMessageArray(page.messages, room))).toBe(true);
						expect(encoded).toMatchObject({count: page.messages.length, epoch: page.epoch, first: page.first, last: page.last, more: page.more});
					}
				}
			}
		});

		it('cuts an encoded page where history() cuts it', async () => {
			const store = await log();
			await fill(store, lobby, 100, index => `${index} ${'é"'.repeat(1000)}`);
			for (const query of [{}, {after: 0}, {before: 90}] satisfies HistoryQuery[]) {
				const page = await store.history(lobby, query);
				expect(page.messages.length).toBeLessThan(90);
				const encoded = await store.encodedHistory(lobby, query, undefined);
				expect(encoded.count).toBe(page.messages.length);
				expect(encoded.more).toBe(true);
				expect(encoded.messages.equals(encodeMessageArray(page.messages, undefined))).toBe(true);
			}
		});
	});
}

function range(from: number, to: number): number[] {
	return Array.from({length: to - from + 1}, (_, index) => from + index);
}
