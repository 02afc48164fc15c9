// Which layout fits a terminal, in one pure function (App only applies it).

/** Below this many columns the roster hides. */
export const ROSTER_MIN_COLUMNS = 60;
/** Below this many rows the compact layout is used. */
export const COMPACT_MAX_ROWS = 10;
/** The roster's width, with its border. */
export const ROSTER_WIDTH = 20;

export type Layout = {
	readonly showRoster: boolean;
	/** Width of the message pane. */
	readonly paneWidth: number;
	/** Height of the message pane (and roster). */
	readonly paneHeight: number;
	readonly showStatus: boolean;
};

/**
 * The layout for a frame of `columns` × `rows`, with `inputRows` for the
 * input line. Compact: no roster and no border; below 4 rows the status bar
 * goes too, so that the pane and the input line keep a row each.
 */
export function chooseLayout(columns: number, rows: number, inputRows: number): Layout {
	const compact = rows < COMPACT_MAX_ROWS;
	const showRoster = !compact && columns >= ROSTER_MIN_COLUMNS;
	const showStatus = rows - inputRows >= 3;
	const paneHeight = Math.max(1, rows - inputRows - (showStatus ? 1 : 0));
	const paneWidth = Math.max(1, showRoster ? columns - ROSTER_WIDTH : columns);
	return {showRoster, paneWidth, paneHeight, showStatus};
}
