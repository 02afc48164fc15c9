// The search's highlight in the pane: the rows of a matching message, with
// each occurrence of the query split out into segments marked 'match' (or
// 'current' in the message shown as the match). It works on the rows as
// laid out, whose text is sanitised already, so a mark is only a style:
// nothing from the network is written but through the sanitiser. The time
// and nick before the text are left alone, as search reads the text only.
// An occurrence that a wrap splits is marked where it lies on one row.
import {entryMatches, matchRanges, searchKey, type MatchRange} from '../state/search.js';
import type {LogEntry} from '../state/types.js';
import type {Row, Segment} from './row.js';

export type SearchMarks = {
	/** The query as typed. */
	readonly query: string;
	/** Id of the message shown as the match. */
	readonly current?: number;
};

/** Segments before the text: the time, the nick and a space (with "* " for an action) on the first row, the indent on the others. */
function prefixLength(entry: LogEntry, row: number): number {
	if (row > 0) return 1;
	return entry.kind === 'chat' && entry.action ? 4 : 3;
}

/** The row with the parts in `ranges` (offsets into the joined text of segments from `from` on) marked. */
function markRow(row: Row, from: number, ranges: readonly MatchRange[], mark: NonNullable<Segment['mark']>): Row {
	const marked: Segment[] = row.slice(0, from);
	let offset = 0;
	for (const segment of row.slice(from)) {
		const start = offset;
		const end = offset + segment.text.length;
		offset = end;
		let cut = start;
		for (const [matchStart, matchEnd] of ranges) {
			const left = Math.max(matchStart, cut);
			const right = Math.min(matchEnd, end);
			if (right <= left) continue;
			if (left > cut) marked.push({...segment, text: segment.text.slice(cut - start, left - start)});
			marked.push({...segment, text: segment.text.slice(left - start, right - start), mark});
			cut = right;
		}

		if (cut === start) marked.push(segment);
		else if (cut < end) marked.push({...segment, text: segment.text.slice(cut - start)});
	}

	return marked;
}

/** An entry's own rows (no date row above them) with the query marked; the rows themselves when it does not match. */
export function markEntryRows(entry: LogEntry, rows: readonly Row[], marks: SearchMarks): readonly Row[] {
	const key = searchKey(marks.query);
	if (!entryMatches(entry, key)) return rows;
	const mark = entry.id === marks.current ? 'current' : 'match';
	return rows.map((row, index) => {
		const from = Math.min(row.length, prefixLength(entry, index));
		const ranges = matchRanges(row.slice(from).map(segment => segment.text).join(''), key);
		return ranges.length === 0 ? row : markRow(row, from, ranges, mark);
	});
}
