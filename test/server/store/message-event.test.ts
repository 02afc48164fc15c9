import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {encodeFrame} from '../../../source/protocol/encoder.js';
import {countWithinBudget, encodeMessageArray, encodeMessageEvent, historyEntryBytes, joinWithinBudget, messageEvent, roomAllowanceBytes} from '../../../source/server/store/message-event.js';
import type {StoredMessage} from '../../../source/server/store/message-log.js';
import type {ChatEvent} from '../../../source/protocol/types.js';

// Text with everything JSON escapes or encodes in several bytes: quotes, backslashes, controls, lone surrogates, accents, emoji.
const awkward = fc.string({unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\ud800', '\udfff', 'é', '👋', '\u2028'), fc.string({minLength: 1, maxLength: 1}))});

const message = fc.record(
	{
		seq: fc.integer({min: 1, max: Number.MAX_SAFE_INTEGER}),
		epoch: fc.string({unit: fc.constantFrom('a', 'Z', '0', '-', '_')}),
		time: fc.integer({min: 0, max: 2 ** 45}),
		user: awkward,
		msg: awkward,
		id: fc.string({unit: fc.constantFrom('a', 'Q', '9', '-', '_'), minLength: 16, maxLength: 64}),
		action: fc.constant(true),
	},
	{requiredKeys: ['seq', 'epoch', 'time', 'user', 'msg']},
) as fc.Arbitrary<StoredMessage>;

describe('the stored message event', () => {
	it('encodes exactly as the server encodes any frame', () => {
		fc.assert(
			fc.property(message, fc.option(awkward, {nil: undefined}), (stored, room) => {
				expect(encodeMessageEvent(stored, room)).toBe(encodeFrame(messageEvent(stored, room) as unknown as ChatEvent));
			}),
		);
	});

	it('measures the bytes of its encoding with room, without encoding it', () => {
		fc.assert(
			fc.property(message, awkward, (stored, room) => {
				expect(historyEntryBytes(stored, room)).toBe(Buffer.byteLength(encodeMessageEvent(stored, room)));
			}),
			{numRuns: 500},
		);
	});

	it('cuts events joined one a line where a page of objects is cut, and joins them as the array does', () => {
		// Long texts, so that a few hundred messages pass the 256 KiB budget.
		const long = fc.record({stored: message, repeat: fc.integer({min: 1, max: 4000})}).map(({stored, repeat}) => ({...stored, msg: stored.msg.repeat(repeat).slice(0, 4096)}));
		fc.assert(
			fc.property(fc.array(long, {minLength: 1, maxLength: 200}), fc.option(awkward, {nil: undefined}), fc.constantFrom('#lobby', '#Straße', '#"q"'), fc.boolean(), (messages, room, conversation, fromNewest) => {
				const lines = Buffer.from(messages.map(stored => encodeMessageEvent(stored, room).slice(0, -1)).join('\n'));
				const roomBytes = room === undefined ? 0 : Buffer.byteLength(`,"room":${JSON.stringify(room)}`);
				const {messages: joined, count} = joinWithinBudget(lines, fromNewest, roomBytes, roomAllowanceBytes(conversation));
				expect(count).toBe(countWithinBudget(messages, conversation, fromNewest));
				const kept = fromNewest ? messages.slice(messages.length - count) : messages.slice(0, count);
				expect(joined.toString()).toBe(encodeMessageArray(kept, room).toString());
			}),
			{numRuns: 60},
		);
	});
});
