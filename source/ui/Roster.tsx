import {Box, Text} from 'ink';
import type {RosterRow} from '../state/selectors.js';
import {nickColour} from '../text/nick-colour.js';
import {sanitizeLine} from '../text/sanitize.js';
import {truncate} from '../text/wrap.js';
import {DEFAULT_LOOK, type PaneLook} from './pane-look.js';

type Props = {
	/** Sorted names, you marked. */
	readonly rows: readonly RosterRow[];
	readonly width: number;
	readonly height: number;
	/** First name shown, when the list is longer than the pane. @default 0 */
	readonly offset?: number;
	/** Your name's colour. @default DEFAULT_LOOK */
	readonly look?: PaneLook;
};

/** Clamps a roster scroll offset so the list never scrolls past its end. */
export function clampRosterOffset(offset: number, count: number, height: number): number {
	const visible = Math.max(1, height - 1);
	return Math.max(0, Math.min(offset, count - visible));
}

/** The user list: "Users (N)", one name a row, cut with … when long, scrolled by `offset`. */
export function Roster({rows, width, height, offset = 0, look = DEFAULT_LOOK}: Props) {
	const listHeight = Math.max(0, height - 1);
	const start = clampRosterOffset(offset, rows.length, height);
	const more = rows.length - start - listHeight;
	// The last row says how many are below when the list does not fit.
	const shown = rows.slice(start, start + (more > 0 ? listHeight - 1 : listHeight));
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate-end">
				{truncate(`Users (${rows.length})${start > 0 ? ' ↑' : ''}`, width)}
			</Text>
			{shown.map(row => (
				// Possibly gone (2015 server) and away are dimmed; someone else under your name gets "~" and no colour of yours; an account holder "+".
				<Text key={`${row.name}${row.namesake ? '~' : ''}`} wrap="truncate-end" color={row.namesake ? 'gray' : row.isMe && look.ownNick !== undefined ? look.ownNick : nickColour(row.name)} bold={row.isMe} dimColor={row.gone || row.away !== undefined}>
					{truncate((row.isMe ? '*' : row.namesake ? '~' : row.account ? '+' : ' ') + sanitizeLine(row.name), width)}
				</Text>
			))}
			{more > 0 ? <Text dimColor>{truncate(` +${more + 1} more ↓`, width)}</Text> : null}
		</Box>
	);
}
