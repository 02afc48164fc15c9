import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	appendEntry,
	CHUNK_SIZE,
	clearLog,
	dropLast,
	emptyLog,
	entryAt,
	indexOfId,
	replaceEntry,
	sliceEntries,
	type Log,
} from '../../source/state/log.js';
import type {LogEntry} from '../../source/state/types.js';

const info = (id: number): LogEntry => ({kind: 'info', id, time: id, text: `#${id}`});
const ids = (log: Log) => sliceEntries(log).map(entry => entry.id);

describe('log ring', () => {
	it('drops its newest entry and appends after it as if it had never been there (property)', () => {
		fc.assert(fc.property(
			fc.integer({min: 1, max: 600}),
			fc.array(fc.boolean(), {maxLength: 1500}),
			(capacity, appends) => {
				let log = emptyLog(capacity);
				let model: number[] = [];
				let id = 0;
				for (const append of appends) {
					if (append) {
						log = appendEntry(log, info(++id));
						model = [...model, id].slice(-capacity);
					} else {
						log = dropLast(log);
						model = model.slice(0, -1);
					}

					expect(log.size).toBe(model.length);
				}

				expect(ids(log)).toEqual(model);
				expect(ids(appendEntry(log, info(id + 1)))).toEqual([...model, id + 1].slice(-capacity));
			},
		), {numRuns: 60});
	});

	it('never exceeds its cap and keeps the newest entries in order (property)', () => {
		fc.assert(fc.property(
			fc.integer({min: 1, max: 700}),
			fc.integer({min: 0, max: 2000}),
			(capacity, appends) => {
				let log = emptyLog(capacity);
				for (let id = 1; id <= appends; id++) {
					log = appendEntry(log, info(id));
					expect(log.size).toBeLessThanOrEqual(capacity);
				}

				const kept = Math.min(appends, capacity);
				expect(log.size).toBe(kept);
				expect(ids(log)).toEqual(Array.from({length: kept}, (_, index) => appends - kept + 1 + index));
				// Evicted chunks are really dropped: at most capacity plus one partial chunk stays reachable.
				expect(log.chunks.flat().length).toBeLessThan(capacity + 2 * CHUNK_SIZE);
			},
		), {numRuns: 60});
	});

	it('keeps every older version intact while branches append and replace (property)', () => {
		// Ops: append to the newest version, append to an older version (a branch, as a reducer
		// run twice on one state does), or replace an entry. Each version is checked against a model.
		const op = fc.oneof(
			fc.constant({kind: 'append' as const}),
			fc.record({kind: fc.constant('branch' as const), back: fc.nat(20)}),
			fc.record({kind: fc.constant('replace' as const), at: fc.nat(400)}),
		);
		fc.assert(fc.property(fc.integer({min: 1, max: 400}), fc.array(op, {maxLength: 600}), (capacity, ops) => {
			const versions: Array<{log: Log; model: number[]}> = [{log: emptyLog(capacity), model: []}];
			let nextId = 1;
			for (const step of ops) {
				const base = step.kind === 'branch'
					? versions[Math.max(0, versions.length - 1 - step.back)]
					: versions.at(-1)!;
				if (step.kind === 'replace') {
					if (base.log.size === 0) continue;
					const index = step.at % base.log.size;
					const id = nextId++;
					versions.push({log: replaceEntry(base.log, index, info(id)), model: base.model.with(index, id)});
				} else {
					const id = nextId++;
					const model = [...base.model, id].slice(-capacity);
					versions.push({log: appendEntry(base.log, info(id)), model});
				}
			}

			for (const version of versions) expect(ids(version.log)).toEqual(version.model);
		}), {numRuns: 80});
	});

	it('finds entries by id in order, and not once evicted', () => {
		let log = emptyLog(300);
		for (let id = 1; id <= 1000; id++) log = appendEntry(log, info(id));
		expect(indexOfId(log, 701)).toBe(0);
		expect(indexOfId(log, 1000)).toBe(299);
		expect(indexOfId(log, 850)).toBe(149);
		expect(indexOfId(log, 700)).toBe(-1);
		expect(indexOfId(log, 1001)).toBe(-1);
		expect(entryAt(log, 149)?.id).toBe(850);
		expect(entryAt(log, 300)).toBeUndefined();
		expect(entryAt(log, -1)).toBeUndefined();
	});

	it('falls back to a search when ids are not consecutive', () => {
		let log = emptyLog(50);
		for (const id of [2, 4, 9, 10, 30]) log = appendEntry(log, info(id));
		expect(indexOfId(log, 9)).toBe(2);
		expect(indexOfId(log, 30)).toBe(4);
		expect(indexOfId(log, 5)).toBe(-1);
	});

	it('slices a range cheaply and clamps it', () => {
		let log = emptyLog(1000);
		for (let id = 1; id <= 600; id++) log = appendEntry(log, info(id));
		expect(sliceEntries(log, 255, 258).map(entry => entry.id)).toEqual([256, 257, 258]);
		expect(sliceEntries(log, -5, 2).map(entry => entry.id)).toEqual([1, 2]);
		expect(sliceEntries(log, 598, 9999).map(entry => entry.id)).toEqual([599, 600]);
		expect(sliceEntries(log, 10, 5)).toEqual([]);
	});

	it('clears to an empty log with the same capacity', () => {
		let log = emptyLog(5);
		for (let id = 1; id <= 8; id++) log = appendEntry(log, info(id));
		const cleared = clearLog(log);
		expect(cleared.size).toBe(0);
		expect(cleared.capacity).toBe(5);
		expect(ids(log)).toEqual([4, 5, 6, 7, 8]);
	});

	it('refuses a capacity that is not a positive integer', () => {
		expect(() => emptyLog(0)).toThrow(RangeError);
		expect(() => emptyLog(1.5)).toThrow(/positive integer/);
		expect(() => emptyLog(Number.NaN)).toThrow(RangeError);
	});
});
