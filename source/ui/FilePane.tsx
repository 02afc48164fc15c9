import {Box, Text} from 'ink';
import {sanitizeLine} from '../text/sanitize.js';
import {RowText} from './RowText.js';
import type {Row} from './row.js';

/** What the title bar says about the file; every string is from the network and sanitised here. */
export type FilePaneFile = {
	readonly name: string;
	/** undefined on a server without versions (the 2015 dialect). */
	readonly version?: number;
	readonly user?: string;
	readonly lines: number;
};

type Props = {
	readonly file: FilePaneFile | undefined;
	/** The rows in view, from line `top` (filePaneRows). */
	readonly rows: readonly Row[];
	/** Index of the first line shown. */
	readonly top: number;
	readonly width: number;
	/** Rows for the whole pane, its title bar included. */
	readonly height: number;
	/** How to scroll and close it, e.g. "Alt-↑/↓ scroll · F2 hides". */
	readonly keysHint: string;
	/** A room is on screen; a direct conversation has no file. */
	readonly inRoom: boolean;
};

/** Rows the title bar takes; the file gets the rest. */
export const FILE_PANE_TITLE_ROWS = 1;

function titleOf(file: FilePaneFile | undefined, top: number, room: number, inRoom: boolean): string {
	if (!inRoom) return 'a direct conversation has no shared file: rooms have one each';
	if (!file) return 'no shared file in this room yet: /share PATH uploads one';
	const version = file.version === undefined ? '' : ` v${file.version}`;
	const by = file.user === undefined ? '' : ` by ${sanitizeLine(file.user)}`;
	const where = file.lines <= room ? 'all shown' : `${top + 1}–${Math.min(file.lines, top + room)} of ${file.lines}`;
	return `${sanitizeLine(file.name)}${version}${by} · ${file.lines} ${file.lines === 1 ? 'line' : 'lines'} · ${where}`;
}

/** The room's shared file beside or below the chat: a title bar, then a window of its rows. */
export function FilePane({file, rows, top, width, height, keysHint, inRoom}: Props) {
	const room = Math.max(0, height - FILE_PANE_TITLE_ROWS);
	const shown = rows.slice(0, room);
	const title = ` ${titleOf(file, top, room, inRoom)} · ${keysHint} `;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text inverse wrap="truncate-end">
				{title.padEnd(width)}
			</Text>
			{shown.map((row, index) => (
				<RowText key={top + index} row={row} />
			))}
		</Box>
	);
}
