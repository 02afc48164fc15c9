import {Box, Text} from 'ink';
import type {CodeBlock} from '../text/markup.js';
import {sanitizeLine} from '../text/sanitize.js';
import {RowText} from './RowText.js';
import type {Row} from './row.js';

type Props = {
	readonly block: CodeBlock;
	/** The block laid out at full length (viewerRows). */
	readonly rows: readonly Row[];
	/** Index of the first row shown. */
	readonly top: number;
	readonly width: number;
	/** Rows for the whole viewer, its title bar included. */
	readonly height: number;
};

/** Rows the title bar takes; the code gets the rest. */
export const VIEWER_TITLE_ROWS = 1;

/** A code block full screen: a title bar saying where you are and how to leave, then a screenful of its rows. */
export function CodeViewer({block, rows, top, width, height}: Props) {
	const room = Math.max(0, height - VIEWER_TITLE_ROWS);
	const shown = rows.slice(top, top + room);
	const language = block.info === '' ? 'code' : sanitizeLine(block.info);
	const lines = block.lines.length;
	const where = rows.length <= room ? 'all shown' : `rows ${top + 1}–${top + shown.length} of ${rows.length}`;
	const title = ` ${language} · ${lines} ${lines === 1 ? 'line' : 'lines'} · ${where} · ↑/↓ PgUp/PgDn scroll · q or Esc closes `;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text inverse wrap="truncate-end">
				{title.padEnd(width)}
			</Text>
			{shown.map((row, index) => (
				<RowText key={index} row={row} />
			))}
		</Box>
	);
}
