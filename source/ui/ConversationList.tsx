import {Box, Text} from 'ink';
import {sanitizeLine} from '../text/sanitize.js';
import {padEnd, textWidth, truncate} from '../text/wrap.js';
import {unreadElsewhere, type ConversationRow} from './conversation-list.js';
import {DEFAULT_LOOK, type PaneLook} from './pane-look.js';

type Props = {
	/** In list order; the current one marked. */
	readonly rows: readonly ConversationRow[];
	readonly width: number;
	readonly height: number;
	/** The mention colour, and the switcher's key for the "+N more" line. @default DEFAULT_LOOK */
	readonly look?: PaneLook;
};

/** "12 @3": unread, and how many of them are for you; empty when all is read. */
export function countsLabel(row: Pick<ConversationRow, 'unread' | 'mentions'>): string {
	const unread = row.unread > 999 ? '999+' : String(row.unread);
	const {mentions} = row;
	if (mentions > 0) return `${unread} @${mentions > 99 ? '99+' : mentions}`;
	return row.unread > 0 ? unread : '';
}

/** How many rows the list takes of a sidebar `height` high: all it needs, up to half, so the members keep the rest. */
export function conversationListHeight(count: number, height: number): number {
	return count === 0 ? 0 : Math.min(count, Math.max(1, Math.floor(height / 2)));
}

/**
 * The rooms and direct conversations, one a row: the current one marked "▸",
 * the first nine numbered for Alt-1…9, counts on the right. A list longer
 * than the box keeps the current row in view and says how many are hidden.
 */
export function ConversationList({rows, width, height, look = DEFAULT_LOOK}: Props) {
	if (height <= 0) return null;
	const fits = rows.length <= height;
	const shownCount = fits ? rows.length : Math.max(1, height - 1);
	const current = Math.max(0, rows.findIndex(row => row.current));
	const start = fits ? 0 : Math.min(Math.max(0, current - shownCount + 1), rows.length - shownCount);
	const shown = rows.slice(start, start + shownCount);
	// What came in the rows folded away is counted on their line, so a mention there is not missed.
	const hidden = fits ? undefined : unreadElsewhere([...rows.slice(0, start), ...rows.slice(start + shownCount)]);
	const hiddenCounts = hidden ? countsLabel(hidden) : '';
	const folded = ` +${rows.length - shownCount} more${hiddenCounts === '' ? '' : `, ${hiddenCounts}`}`;
	// Too narrow for both: the counts stay, the key to reach them goes.
	const foldedLine = textWidth(`${folded} (${look.switcherKey})`) <= width ? `${folded} (${look.switcherKey})` : folded;
	return (
		<Box flexDirection="column" width={width} height={Math.min(height, rows.length)} overflow="hidden">
			{shown.map((row, index) => {
				const number = start + index + 1;
				const head = `${row.current ? '▸' : ' '}${number <= 9 ? String(number) : ' '} `;
				// The one on screen has nothing unread: what came while scrolled up is the pane's marker's to say.
				const counts = row.current ? '' : countsLabel(row);
				const nameWidth = Math.max(1, width - textWidth(head) - (counts === '' ? 0 : counts.length + 1));
				const name = padEnd(truncate(sanitizeLine(row.name), nameWidth), nameWidth);
				return (
					// Keys by position: a name is raw network text, and two rows may sanitise alike.
					<Text key={index} wrap="truncate-end" bold={row.current || row.unread > 0} dimColor={!row.current && row.unread === 0} inverse={row.current}>
						{head}
						<Text color={row.kind === 'direct' ? 'cyan' : undefined}>{name}</Text>
						{counts === '' ? '' : ' '}
						<Text color={row.mentions > 0 && !row.current ? (look.mention ?? 'yellow') : undefined}>{counts}</Text>
					</Text>
				);
			})}
			{fits ? null : (
				<Text wrap="truncate-end" dimColor={hiddenCounts === ''} bold={hiddenCounts !== ''}>
					{truncate(foldedLine, width)}
				</Text>
			)}
		</Box>
	);
}
