// Where "new since you were here" goes: above the first message from
// someone else after what you read, by seq across runs (a server with a room
// log) and by entry within one run (a server without); it moves to what you
// read when you look away, goes while you look with nothing new under it,
// and only marks with a seq are kept.
import {describe, expect, it} from 'vitest';
import {lookedAway, MAX_STORED_MARKS, newestPlace, readUpTo, restoredReadMarks, ruleDone, rulePlace, sameStoredMarks, spoke, storedReadMarks, type LogReader, type ReadMarks} from '../../source/state/read-marks.js';
import type {LogEntry} from '../../source/state/types.js';

const EPOCH = 'e1';
let nextId = 1;
const said = (text: string, seq?: number, fields: Partial<Extract<LogEntry, {kind: 'chat'}>> = {}): LogEntry => ({kind: 'chat', id: nextId++, time: 0, user: 'bob', text, own: false, mention: false, ...(seq === undefined ? {} : {seq}), ...fields});
const line = (text: string): LogEntry => ({kind: 'system', id: nextId++, time: 0, event: 'connection', text});
const logOf = (entries: LogEntry[]): LogReader => ({count: entries.length, at: index => entries[index]});
const idOf = (entries: LogEntry[], text: string) => entries.find(entry => entry.kind === 'chat' && entry.text === text)!.id;

describe('read marks', () => {
	it('puts the rule of an earlier run above the first message after its seq, once the backlog is in', () => {
		const marks = restoredReadMarks(new Map([['#lobby', {epoch: EPOCH, seq: 2}]]));
		const rule = marks.get('#lobby')!.rule;
		// Before the backlog: only our own lines, no seq to tell by.
		expect(rulePlace(logOf([line('connected')]), rule, EPOCH)).toEqual({kind: 'unknown'});
		const entries = [line('connected'), said('one', 1), said('two', 2), said('three', 3), said('mine', 4, {own: true, user: 'alice'}), said('five', 5)];
		expect(rulePlace(logOf(entries), rule, EPOCH)).toEqual({kind: 'above', id: idOf(entries, 'three')});
		// Read to the end already: nothing new.
		expect(rulePlace(logOf(entries.slice(0, 3)), rule, EPOCH)).toEqual({kind: 'nothingNew'});
		// The log was reset since (another epoch): its seqs say nothing about the old place.
		expect(rulePlace(logOf(entries), rule, 'e2')).toEqual({kind: 'unknown'});
	});

	it('keeps the seq read before while the log on screen has none yet', () => {
		let marks: ReadMarks = restoredReadMarks(new Map([['#lobby', {epoch: EPOCH, seq: 7}]]));
		const early = [line('connecting')];
		marks = readUpTo(marks, '#lobby', newestPlace(logOf(early), undefined)!);
		expect(marks.get('#lobby')!.read).toEqual({id: early[0]!.id, seq: 7, epoch: EPOCH});
		expect(storedReadMarks(marks)).toEqual(new Map([['#lobby', {epoch: EPOCH, seq: 7}]]));
		const later = [...early, said('eight', 8), line('bob left')];
		marks = readUpTo(marks, '#lobby', newestPlace(logOf(later), {epoch: EPOCH, seq: 8})!);
		expect(marks.get('#lobby')!.read).toEqual({id: later[2]!.id, seq: 8, epoch: EPOCH});
	});

	it('within one run, without seqs: the rule moves to what was read when you look away, and goes when you look with nothing new', () => {
		const entries = [line('connected'), said('one'), said('two')];
		let marks: ReadMarks = new Map();
		marks = readUpTo(marks, 'bob', newestPlace(logOf(entries), undefined)!);
		expect(rulePlace(logOf(entries), marks.get('bob')?.rule, undefined)).toEqual({kind: 'nothingNew'});
		marks = lookedAway(marks, 'bob');
		entries.push(said('three'), said('four'));
		expect(rulePlace(logOf(entries), marks.get('bob')!.rule, undefined)).toEqual({kind: 'above', id: idOf(entries, 'three')});
		// Back and reading: the rule stays where it was while you look.
		marks = readUpTo(marks, 'bob', newestPlace(logOf(entries), undefined)!);
		expect(rulePlace(logOf(entries), marks.get('bob')!.rule, undefined)).toEqual({kind: 'above', id: idOf(entries, 'three')});
		// Away and back with nothing new: no rule, and none above what comes while you watch.
		marks = lookedAway(marks, 'bob');
		expect(rulePlace(logOf(entries), marks.get('bob')!.rule, undefined)).toEqual({kind: 'nothingNew'});
		marks = ruleDone(marks, 'bob');
		entries.push(said('five'));
		expect(rulePlace(logOf(entries), marks.get('bob')!.rule, undefined)).toEqual({kind: 'nothingNew'});
		// Nothing with a seq: nothing to keep for the next run.
		expect(storedReadMarks(marks)).toEqual(new Map());
	});

	it('speaking reads everything before it and takes the rule away', () => {
		const entries = [said('one', 1), said('two', 2)];
		let marks = restoredReadMarks(new Map([['#dev', {epoch: EPOCH, seq: 1}]]));
		expect(rulePlace(logOf(entries), marks.get('#dev')!.rule, EPOCH).kind).toBe('above');
		marks = spoke(marks, '#dev', newestPlace(logOf(entries), {epoch: EPOCH, seq: 2})!);
		expect(marks.get('#dev')!.rule).toBeUndefined();
		expect(storedReadMarks(marks)).toEqual(new Map([['#dev', {epoch: EPOCH, seq: 2}]]));
	});

	it('keeps each conversation apart', () => {
		let marks = restoredReadMarks(new Map([['#a', {epoch: EPOCH, seq: 1}], ['#b', {epoch: EPOCH, seq: 5}]]));
		marks = readUpTo(marks, '#a', {id: 10, seq: 3, epoch: EPOCH});
		marks = lookedAway(marks, '#a');
		expect(marks.get('#a')!.rule).toEqual({id: 10, seq: 3, epoch: EPOCH});
		expect(marks.get('#b')).toEqual({read: {epoch: EPOCH, seq: 5}, rule: {epoch: EPOCH, seq: 5}});
	});
});

describe('the marks kept', () => {
	it('are those of the conversations read last, at most MAX_STORED_MARKS', () => {
		let marks: ReadMarks = new Map();
		for (let index = 0; index < MAX_STORED_MARKS + 10; index++) marks = readUpTo(marks, `#r${index}`, {id: index, seq: index, epoch: EPOCH});
		// The first one read again: it is recent now.
		marks = readUpTo(marks, '#r0', {id: 1000, seq: 1000, epoch: EPOCH});
		const stored = storedReadMarks(marks);
		expect(stored.size).toBe(MAX_STORED_MARKS);
		expect(stored.get('#r0')).toEqual({epoch: EPOCH, seq: 1000});
		expect(stored.has('#r1')).toBe(false);
		expect(stored.has(`#r${MAX_STORED_MARKS + 9}`)).toBe(true);
	});

	it('tells a change worth saving from a mere reordering or a mark without a seq', () => {
		const place = (seq: number, epoch = EPOCH) => ({epoch, seq});
		const stored = new Map([['#a', place(1)], ['#b', place(2)]]);
		expect(sameStoredMarks(stored, new Map([['#b', place(2)], ['#a', place(1)]]))).toBe(true);
		expect(sameStoredMarks(stored, new Map([['#a', place(1)], ['#b', place(3)]]))).toBe(false);
		expect(sameStoredMarks(stored, new Map([['#a', place(1)], ['#b', place(2, 'e2')]]))).toBe(false);
		expect(sameStoredMarks(stored, new Map([['#a', place(1)], ['#c', place(2)]]))).toBe(false);
		expect(sameStoredMarks(stored, new Map([['#a', place(1)]]))).toBe(false);
		// Reading a local line moves the id, not the seq: nothing to save.
		const marks = readUpTo(restoredReadMarks(stored), '#a', {id: 7, seq: 1, epoch: EPOCH});
		expect(sameStoredMarks(storedReadMarks(marks), stored)).toBe(true);
	});
});
