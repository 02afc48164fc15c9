// How a draft lies on screen: each line of the message wrapped into rows of
// the input box, measured in terminal cells. Shared by the view (what to
// draw) and the editor (where ↑/↓ go), so both agree on every row.
//
// The last row of each line keeps one cell free for the cursor at the line's
// end, so a cursor position always has exactly one row: positions are
// grapheme indices 0..N, and the index of a "\n" is the end of its line.

export type InputRow = {
	/** First grapheme on the row. */
	readonly start: number;
	/** One past the last grapheme drawn on the row. */
	readonly end: number;
	/** True for the last row of a line: the cursor may sit at `end`. */
	readonly lineEnd: boolean;
};

/** The rows of `parts` (graphemes, "\n" separating lines) in `columns` cells. */
export function inputRows(parts: readonly string[], widths: readonly number[], columns: number): InputRow[] {
	const room = Math.max(1, columns);
	const rows: InputRow[] = [];
	let lineStart = 0;
	for (;;) {
		let lineEnd = lineStart;
		while (lineEnd < parts.length && parts[lineEnd] !== '\n') lineEnd++;
		let rowStart = lineStart;
		let width = 0;
		for (let i = lineStart; i < lineEnd; i++) {
			const cell = widths[i] ?? 1;
			if (width + cell > room && i > rowStart) {
				rows.push({start: rowStart, end: i, lineEnd: false});
				rowStart = i;
				width = 0;
			}
			width += cell;
		}
		// The cursor cell at the line's end does not fit: it gets a row of its own.
		if (width + 1 > room && rowStart < lineEnd) {
			rows.push({start: rowStart, end: lineEnd, lineEnd: false});
			rowStart = lineEnd;
		}
		rows.push({start: rowStart, end: lineEnd, lineEnd: true});
		if (lineEnd >= parts.length) return rows;
		lineStart = lineEnd + 1;
	}
}

/** The row the cursor is on. */
export function rowOfCursor(rows: readonly InputRow[], cursor: number): number {
	for (let index = 0; index < rows.length; index++) {
		const row = rows[index]!;
		if (cursor >= row.start && (cursor < row.end || (row.lineEnd && cursor === row.end))) return index;
	}
	return rows.length - 1;
}

/** Cells from the start of `row` to `index`. */
export function columnOf(widths: readonly number[], row: InputRow, index: number): number {
	let cells = 0;
	for (let i = row.start; i < index; i++) cells += widths[i] ?? 1;
	return cells;
}

/** The position on `row` nearest to `column` cells from its start, not past what the row holds. */
export function indexAtColumn(widths: readonly number[], row: InputRow, column: number): number {
	const last = row.lineEnd ? row.end : row.end - 1;
	let index = row.start;
	let cells = 0;
	while (index < last && cells + (widths[index] ?? 1) <= column) {
		cells += widths[index] ?? 1;
		index++;
	}
	return index;
}
