// The `history` reply is put together around the log's encoded messages: it
// must be the very bytes that encoding the whole status as an object gave.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {encodeFrame, successStatus} from '../../../source/protocol/encoder.js';
import type {ServerFrame} from '../../../source/protocol/types.js';
import type {RoomName} from '../../../source/server/hub.js';
import {historyReply, roomField, type HistoryStatus} from '../../../source/server/log-replies.js';
import {MemoryLog} from '../../../source/server/store/memory-log.js';
import {messageEvent} from '../../../source/server/store/message-event.js';
import type {MessageLog} from '../../../source/server/store/message-log.js';
import {SqliteLog} from '../../../source/server/store/sqlite-log.js';

const dirs: string[] = [];
afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

const backends: Array<{name: string; open: () => Promise<MessageLog>}> = [
	{name: 'memory', open: async () => new MemoryLog()},
	{
		name: 'sqlite',
		async open() {
			const dir = mkdtempSync(path.join(tmpdir(), 'codechat-reply-'));
			dirs.push(dir);
			return SqliteLog.open(dir);
		},
	},
];

const rooms: RoomName[] = [
	{name: '#lobby', key: '#lobby'},
	{name: '#Straße', key: '#strasse'},
];

/** What the server sent before: the status as one object, encoded whole. */
async function objectReply(log: MessageLog, room: RoomName, query: {after?: number; before?: number}, limit?: number): Promise<string> {
	const page = await log.history(room.key, query.after === undefined ? (query.before === undefined ? {} : {before: query.before}) : {after: query.after}, limit);
	const count = page.messages.length;
	const status: HistoryStatus = {
		...successStatus(`${count} message${count === 1 ? '' : 's'}`),
		messages: page.messages.map(message => messageEvent(message, roomField(room))),
		epoch: page.epoch,
		first: page.first,
		last: page.last,
		more: page.more,
	};
	return encodeFrame(status as unknown as ServerFrame);
}

describe.each(backends)('the history reply, $name', ({open}) => {
	it('is byte for byte the encoding of the status as one object, hostile text included', async () => {
		const log = await open();
		try {
			for (const room of rooms) {
				await log.append(
					['plain', 'quote " backslash \\ slash /', '\u0000\u0007\b\t\n\u000b\f\r\u001b[31m\u007f', 'é 👋🏽 𝄞', 'lone \ud83d end', 'lone \ude00 start']
						.flatMap((msg, index) => [
							{conversation: room.key, user: 'ann', msg},
							{conversation: room.key, user: 'bö"b', msg, id: `reply-test-id-${index}-0000`, action: true as const},
						]),
				);
				for (const [query, limit] of [[{}, undefined], [{after: 0}, 5], [{after: 3}, undefined], [{before: 9}, 4], [{after: 12}, undefined]] as const) {
					const reply = await historyReply(log, room, {cmd: 'history', ...query, limit}, () => {});
					if (!Buffer.isBuffer(reply)) throw new Error(`a status: ${JSON.stringify(reply)}`);
					expect(reply.toString('utf8')).toBe(await objectReply(log, room, query, limit));
					expect(reply.equals(Buffer.from(await objectReply(log, room, query, limit)))).toBe(true);
				}
			}
		} finally {
			await log.close();
		}
	});

	it('answers unavailable with retry, as a status, when the log cannot be read', async () => {
		const log = await open();
		await log.close();
		const notes: string[] = [];
		const reply = await historyReply(log, rooms[0]!, {cmd: 'history'}, note => notes.push(note));
		expect(reply).toMatchObject({success: false, code: 'unavailable', retry: 1});
		expect(notes).toEqual(['message log: the message log is closed']);
	});
});
