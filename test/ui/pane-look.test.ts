// The config file's [timestamps] and [colours] as the pane lays out its rows:
// seconds in the times, a date row where the day changes (and above the
// oldest message), the own-nick and mention colours, and the viewer's key.
import {describe, expect, it} from 'vitest';
import {codeBlockInView, entryRows, visibleRows, type Row} from '../../source/ui/pane-layout.js';
import {DEFAULT_LOOK, formatDate} from '../../source/ui/pane-look.js';
import type {ChatAction, LogEntry} from '../../source/state/types.js';
import {T0, sourceOf, stateWith} from './helpers.js';

const text = (row: Row) => row.map(segment => segment.text).join('');
const DAY = 24 * 60 * 60 * 1000;

const said = (time: number, text: string, user = 'bob'): ChatAction => ({type: 'message', user, text, time});
const chat = (fields: Partial<Extract<LogEntry, {kind: 'chat'}>>): LogEntry => ({kind: 'chat', id: 1, time: T0 + 9000, user: 'bob', text: 'hi', own: false, mention: false, ...fields});

describe('the pane look', () => {
	it('writes seconds only when asked', () => {
		expect(text(entryRows(chat({}), 'alice', 40)[0]!)).toBe('09:05 bob hi');
		expect(text(entryRows(chat({}), 'alice', 40, {...DEFAULT_LOOK, seconds: true})[0]!)).toBe('09:05:09 bob hi');
	});

	it('names the day in English words', () => {
		expect(formatDate(new Date(2026, 11, 1, 23, 59).getTime())).toBe('Tuesday 1 December 2026');
		expect(formatDate(T0)).toBe('Tuesday 2 January 2024');
	});

	it('puts a dim date row above the oldest entry and where the day changes, none between two of one day', () => {
		const state = stateWith([said(T0 + 1000, 'first day'), said(T0 + 2000, 'same day'), said(T0 + DAY, 'next day')]);
		const rows = (look = DEFAULT_LOOK) => visibleRows(sourceOf(state), 'alice', 60, 20, undefined, undefined, look).rows;
		expect(rows().map(text).some(row => row.startsWith('—'))).toBe(false);

		const shown = rows({...DEFAULT_LOOK, dateLines: true});
		expect(shown.map(text).filter(row => row.startsWith('—'))).toEqual(['— Tuesday 2 January 2024 —', '— Wednesday 3 January 2024 —']);
		const [firstDate, secondDate] = shown.flatMap((row, index) => (text(row).startsWith('—') ? [index] : []));
		expect(firstDate).toBe(0);
		expect(text(shown[secondDate! + 1]!)).toContain('next day');
		expect(text(shown[secondDate! - 1]!)).toContain('same day');
		expect(shown[secondDate!]!.every(segment => segment.dim)).toBe(true);
	});

	it('keeps code blocks found under a date row', () => {
		const dated = {...DEFAULT_LOOK, dateLines: true};
		const state = stateWith([said(T0, '```\n' + Array.from({length: 30}, (_, i) => `line ${i}`).join('\n') + '\n```')]);
		const place = codeBlockInView(sourceOf(state), 'alice', 60, 10, undefined, dated);
		expect(place?.block.lines[0]).toBe('line 0');
		expect(visibleRows(sourceOf(state), 'alice', 60, 40, undefined, undefined, dated).rows.map(text).join('\n')).toContain('Ctrl-V to view');
		expect(visibleRows(sourceOf(state), 'alice', 60, 40, undefined, undefined, {...dated, viewKey: 'Alt-O'}).rows.map(text).join('\n')).toContain('Alt-O to view');
	});

	it('draws your name and mentions in the colours given', () => {
		const look = {...DEFAULT_LOOK, ownNick: '#ff8800', mention: 'magentaBright'};
		const own = entryRows(chat({own: true, user: 'alice', delivery: 'sent'}), 'alice', 40, look)[0]!;
		expect(own.find(segment => segment.text === 'alice')?.color).toBe('#ff8800');
		const mention = entryRows(chat({mention: true, text: 'alice: look'}), 'alice', 40, look)[0]!;
		expect(mention.find(segment => segment.text === 'bob')).toMatchObject({color: 'magentaBright', inverse: true});
		expect(mention.find(segment => segment.text.includes('look'))?.color).toBe('magentaBright');
		const other = entryRows(chat({}), 'alice', 40, look)[0]!;
		expect(other.find(segment => segment.text === 'bob')?.color).not.toBe('magentaBright');
	});
});
