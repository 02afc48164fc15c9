import {describe, expect, it} from 'vitest';
import {entryRows, formatClock, scrollBy, SHOWN_TEXT_LIMITS, topAnchor, visibleRows, type Row} from '../../source/ui/pane-layout.js';
import {T0, messages, sourceOf, stateWith} from './helpers.js';
import type {LogEntry} from '../../source/state/types.js';

const text = (row: Row) => row.map(segment => segment.text).join('');

describe('entryRows', () => {
	const chat = (fields: Partial<Extract<LogEntry, {kind: 'chat'}>>): LogEntry => ({
		kind: 'chat', id: 1, time: T0, user: 'bob', text: 'hi', own: false, mention: false, ...fields,
	});

	it('reads "HH:MM nick text"', () => {
		expect(entryRows(chat({}), 'alice', 40).map(text)).toEqual([`${formatClock(T0)} bob hi`]);
		expect(formatClock(T0)).toBe('09:05');
	});

	it('indents continuation rows under the text', () => {
		const rows = entryRows(chat({text: 'one two three four five six'}), 'alice', 24).map(text);
		expect(rows[0]).toBe('09:05 bob one two three');
		expect(rows[1]).toBe('          four five six');
	});

	it('never cuts text when the nick is as wide as the pane: the nick is cut with …', () => {
		for (const width of [20, 30, 40]) {
			const rows = entryRows(chat({user: 'n'.repeat(300), text: 'long user'}), 'alice', width).map(text);
			expect(rows.every(row => row.length <= width)).toBe(true);
			expect(rows.join(' ')).toContain('long user');
			expect(rows[0]).toMatch(/^\d\d:\d\d n*… long user/);
		}
	});

	it('sanitises names and text', () => {
		const rows = entryRows(chat({user: 'ev\x1bil', text: '\x1b]0;title\x07\u202Eabc'}), 'alice', 80).map(text);
		expect(rows[0]).toBe('09:05 ev^[il ^[]0;title^G<U+202E>abc');
	});

	it('dims a pending own message with …, and shows a failed one with ✗ and the reason in red', () => {
		const pending = entryRows(chat({own: true, delivery: 'pending', user: 'alice'}), 'alice', 40);
		expect(text(pending[0]!)).toContain('hi …');
		expect(pending[0]!.at(-1)).toMatchObject({dim: true});
		const failed = entryRows(chat({own: true, delivery: 'failed', error: 'rate limited', user: 'alice'}), 'alice', 40);
		expect(failed.map(text)[1]).toContain('✗ rate limited');
		expect(failed[1]!.at(-1)).toMatchObject({color: 'red'});
	});

	it('lays out only the head of a huge message, and counts the rest on a dim row', () => {
		const unit = 'héllo wörld 漢字 😀 ';
		const huge = unit.repeat(3000);
		const codePoints = [...huge].length;
		const rows = entryRows(chat({text: huge}), 'alice', 80);
		expect(text(rows[0]!)).toBe(`09:05 bob ${unit.repeat(3)}héllo`);
		// 16,384 characters of about 20 a row's 70 columns.
		expect(rows.length).toBeLessThan(SHOWN_TEXT_LIMITS.maxCharacters / 40);
		const hidden = codePoints - SHOWN_TEXT_LIMITS.maxCharacters;
		expect(text(rows.at(-1)!)).toBe(`      … ${hidden.toLocaleString('en-US')} more characters`);
		expect(rows.at(-1)!.at(-1)).toMatchObject({dim: true});
	});

	it('shows at most 500 lines of a message made of newlines, and says so for any kind of entry', () => {
		const lines = '\n'.repeat(100_000) + 'x';
		const chatRows = entryRows(chat({text: lines}), 'alice', 80);
		expect(chatRows.length).toBe(SHOWN_TEXT_LIMITS.maxLines + 1);
		expect(text(chatRows.at(-1)!)).toBe(`      … ${(100_001 - 499).toLocaleString('en-US')} more characters`);
		const info = entryRows({kind: 'info', id: 4, time: T0, text: 'y'.repeat(20_000)}, 'alice', 80);
		expect(text(info.at(-1)!)).toBe('      … 3,616 more characters');
		const one = entryRows({kind: 'error', id: 5, time: T0, text: 'z'.repeat(SHOWN_TEXT_LIMITS.maxCharacters + 1)}, 'alice', 80);
		expect(text(one.at(-1)!)).toBe('      … 1 more character');
	});

	it('bounds a huge name and a huge failure reason too', () => {
		const rows = entryRows(chat({own: true, delivery: 'failed', user: 'é'.repeat(20_000), error: 'w '.repeat(20_000)}), 'alice', 80);
		expect(text(rows[0]!)).toMatch(/^09:05 é+… hi$/);
		expect(rows.length).toBeLessThan(SHOWN_TEXT_LIMITS.maxCharacters / 40);
	});

	it('highlights a mention; dims system lines; errors are red', () => {
		const mention = entryRows(chat({mention: true, text: 'alice: hi'}), 'alice', 40)[0]!;
		expect(mention.some(segment => segment.inverse)).toBe(true);
		const system = entryRows({kind: 'system', id: 2, time: T0, event: 'enter', text: '→ bob joined'}, 'alice', 40)[0]!;
		expect(system.at(-1)).toMatchObject({dim: true, text: '→ bob joined'});
		const error = entryRows({kind: 'error', id: 3, time: T0, text: 'boom'}, 'alice', 40)[0]!;
		expect(error.at(-1)).toMatchObject({color: 'red'});
	});
});

describe('visibleRows', () => {
	it('shows the newest rows at the bottom', () => {
		const state = stateWith(messages(50));
		const view = visibleRows(sourceOf(state), 'alice', 40, 5, undefined);
		expect(view.rows).toHaveLength(5);
		expect(text(view.rows[4]!)).toContain('message 49');
		expect(view.atTop).toBe(false);
	});

	it('reads only the entries it shows, however long the history', () => {
		const state = stateWith(messages(5000));
		const source = sourceOf(state);
		visibleRows(source, 'alice', 40, 10, undefined);
		expect(source.reads).toBeLessThanOrEqual(11);
	});

	it('keeps the view still while new messages arrive below the anchor', () => {
		const state = stateWith(messages(30));
		const anchor = scrollBy(sourceOf(state), 'alice', 40, 5, undefined, 10);
		expect(anchor).toBeDefined();
		const before = visibleRows(sourceOf(state), 'alice', 40, 5, anchor).rows.map(text);
		const later = stateWith([...messages(30), ...messages(5, 'carol')]);
		const after = visibleRows(sourceOf(later), 'alice', 40, 5, anchor).rows.map(text);
		expect(after).toEqual(before);
		expect(before[4]).toContain('message 19');
	});
});

describe('scrollBy and topAnchor', () => {
	const state = stateWith(messages(20));
	const source = sourceOf(state);

	it('returns to following the bottom when scrolled back down', () => {
		const up = scrollBy(source, 'alice', 40, 5, undefined, 3);
		expect(scrollBy(source, 'alice', 40, 5, up, -3)).toBeUndefined();
		expect(scrollBy(source, 'alice', 40, 5, up, -100)).toBeUndefined();
	});

	it('never scrolls past the top', () => {
		const top = topAnchor(source, 'alice', 40, 5);
		const beyond = scrollBy(source, 'alice', 40, 5, undefined, 1000);
		expect(beyond).toEqual(top);
		const view = visibleRows(source, 'alice', 40, 5, top);
		// The oldest entry is the "connected" line, then the first message.
		expect(text(view.rows[0]!)).toContain('connected');
		expect(text(view.rows[1]!)).toContain('message 0');
		expect(view.rows).toHaveLength(5);
		expect(view.atTop).toBe(true);
	});

	it('does not scroll when everything fits', () => {
		const small = sourceOf(stateWith(messages(2)));
		expect(scrollBy(small, 'alice', 40, 10, undefined, 5)).toBeUndefined();
		expect(topAnchor(small, 'alice', 40, 10)).toBeUndefined();
	});

	it('scrolls by rows inside a long wrapped message', () => {
		const long = sourceOf(stateWith(messages(1, 'bob', () => Array.from({length: 40}, (_, i) => `w${i}`).join(' '))));
		const up = scrollBy(long, 'alice', 20, 3, undefined, 2);
		const rows = visibleRows(long, 'alice', 20, 3, up).rows;
		expect(rows).toHaveLength(3);
		const bottom = visibleRows(long, 'alice', 20, 5, undefined).rows.map(text);
		expect(rows.map(text)).toEqual(bottom.slice(0, 3));
	});
});
