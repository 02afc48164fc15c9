import {Box, Text} from 'ink';
import {useMemo} from 'react';
import {hyperlinksSupported} from '../text/hyperlink.js';
import {RowText} from './RowText.js';
import {visibleRows, type EntrySource, type RowDecorator, type ScrollAnchor} from './pane-layout.js';
import {DEFAULT_LOOK, type PaneLook} from './pane-look.js';
import {useHighlighterLoaded} from './use-highlighter-loaded.js';

/** Whether this terminal shows OSC 8 links; read once (FORCE_HYPERLINK=0|1 decides either way). */
const terminalShowsLinks = hyperlinksSupported(process.env);

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
	/** Make URLs clickable (OSC 8). @default whether the terminal is known to show links */
	readonly links?: boolean;
	/** Restyles the rows in view (the search's highlight); a new function when they should change. */
	readonly decorate?: RowDecorator;
	/** The user's times, date lines, colours and keys (pane-look.ts). @default DEFAULT_LOOK */
	readonly look?: PaneLook;
};

/**
 * The chat log. Renders only the rows in view: it wraps entries from the
 * bottom (or the scroll anchor) upward until the pane is full. While
 * scrolled up, the last row is a marker saying how many messages are below.
 */
export function MessagePane({source, version, me, width, height, anchor, newMessages = 0, newMentions = 0, links = terminalShowsLinks, decorate, look = DEFAULT_LOOK}: Props) {
	const scrolled = anchor !== undefined;
	const rowsHeight = Math.max(0, scrolled ? height - 1 : height);
	const highlighterLoads = useHighlighterLoaded();
	const view = useMemo(
		() => visibleRows(source, me, width, rowsHeight, anchor, decorate, look),
		// `version` stands for the log's content; source is a stable reader.
		[source, version, me, width, rowsHeight, anchor, highlighterLoads, decorate, look],
	);
	return (
		// Clipped vertically only: each row is cut to the width already (RowText), and clipping
		// across would make Ink slice every row again, which is slow for the box-drawn rows of code.
		<Box flexDirection="column" width={width} height={height} justifyContent="flex-end" overflowY="hidden">
			{view.rows.map((row, index) => (
				// Keys by position: rows have no identity of their own, and the count is the pane's height at most.
				<RowText key={index} row={row} links={links} />
			))}
			{scrolled ? (
				<Text inverse wrap="truncate-end">
					{newMessages > 0 ? ` ${newMessages} new message${newMessages === 1 ? '' : 's'}${newMentions > 0 ? ` (${newMentions} for you)` : ''} ↓ ` : ' more below ↓ (End) '}
				</Text>
			) : null}
		</Box>
	);
}
