import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {RowText} from './RowText.js';
import {visibleRows, type EntrySource, type ScrollAnchor} from './pane-layout.js';

type Props = {
	/** The log, read by index; only the entries in view are read. */
	readonly source: EntrySource;
	/** Changes whenever the log does (the log object itself), so the rows are recomputed. */
	readonly version: unknown;
	/** Your name, for the layout cache. */
	readonly me: string;
	readonly width: number;
	readonly height: number;
	/** Where the view is; undefined follows the newest message. @default undefined */
	readonly anchor?: ScrollAnchor;
	/** Messages that arrived while scrolled up. @default 0 */
	readonly newMessages?: number;
	/** Of those, how many mention you. */
	readonly newMentions?: number;
};

/**
 * The chat log. Renders only the rows in view: it wraps entries from the
 * bottom (or the scroll anchor) upward until the pane is full. While
 * scrolled up, the last row is a marker saying how many messages are below.
 */
export function MessagePane({source, version, me, width, height, anchor, newMessages = 0, newMentions = 0}: Props) {
	const scrolled = anchor !== undefined;
	const rowsHeight = Math.max(0, scrolled ? height - 1 : height);
	const view = useMemo(
		() => visibleRows(source, me, width, rowsHeight, anchor),
		// `version` stands for the log's content; source is a stable reader.
		[source, version, me, width, rowsHeight, anchor],
	);
	return (
		<Box flexDirection="column" width={width} height={height} justifyContent="flex-end" overflow="hidden">
			{view.rows.map((row, index) => (
				// Keys by position: rows have no identity of their own, and the count is the pane's height at most.
				<RowText key={index} row={row} />
			))}
			{scrolled ? (
				<Text inverse wrap="truncate-end">
					{newMessages > 0 ? ` ${newMessages} new message${newMessages === 1 ? '' : 's'}${newMentions > 0 ? ` (${newMentions} for you)` : ''} ↓ ` : ' more below ↓ (End) '}
				</Text>
			) : null}
		</Box>
	);
}
