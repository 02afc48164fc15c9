// The server's outbox writes a reader's own output early once it passes
// EARLY_WRITE_BYTES in one round, so a flood does not gather more for one
// reader than its send queue holds; while it holds a large room's batch
// stretch, everything waits for the round (the batch is joined then).
import {describe, expect, it} from 'vitest';
import {EARLY_WRITE_BYTES, Outbox, RoomBatch} from '../../source/server/outbox.js';
import {flushCounts} from '../../source/server/turn-flush.js';

function outboxWithSpy() {
	const written: number[] = [];
	const outbox: Outbox = new Outbox({
		flush() {},
		writeEarly() {
			written.push(outbox.take().reduce((sum, chunk) => sum + chunk.byteLength, 0));
		},
	});
	return {outbox, written};
}

describe('the server outbox', () => {
	it('hands its own output to the socket at once past EARLY_WRITE_BYTES, in order and whole', () => {
		const {outbox, written} = outboxWithSpy();
		const frame = new Uint8Array(EARLY_WRITE_BYTES / 4);
		for (let index = 0; index < 3; index++) outbox.write(frame);
		expect(written).toEqual([]);
		outbox.write(frame);
		expect(written).toEqual([EARLY_WRITE_BYTES]);
		expect(outbox.empty).toBe(true);
		outbox.write(frame);
		expect(written).toEqual([EARLY_WRITE_BYTES]);
		expect(outbox.ownBytes).toBe(frame.byteLength);
	});

	it('counts its early writes beside the flush rounds, so a bench of socket writes sees them', () => {
		const {outbox, written} = outboxWithSpy();
		const before = flushCounts().earlyWrites;
		for (let index = 0; index < 8; index++) outbox.write(new Uint8Array(EARLY_WRITE_BYTES / 2));
		expect(written).toHaveLength(4);
		expect(flushCounts().earlyWrites - before).toBe(4);
	});

	it('waits for the round while it holds a stretch of a room batch', () => {
		const {outbox, written} = outboxWithSpy();
		outbox.attach(new RoomBatch([], () => {}), 0);
		for (let index = 0; index < 8; index++) outbox.write(new Uint8Array(EARLY_WRITE_BYTES / 4));
		expect(written).toEqual([]);
		expect(outbox.ownBytes).toBe(2 * EARLY_WRITE_BYTES);
	});
});
