import {Box, Text} from 'ink';
import {sanitizeLine} from '../text/sanitize.js';
import {padEnd, truncate} from '../text/wrap.js';
import type {ConversationRow} from './conversation-list.js';
import {countsLabel} from './ConversationList.js';
import {SWITCHER_MATCHES_SHOWN, type SwitcherState} from './switcher.js';

type Props = {
	readonly state: SwitcherState;
	/** Best first (switcherMatches). */
	readonly matches: readonly ConversationRow[];
	readonly width: number;
};

/** Rows the switcher takes in place of the input line. */
export function quickSwitcherHeight(matchCount: number): number {
	return 1 + Math.max(1, Math.min(matchCount, SWITCHER_MATCHES_SHOWN));
}

/** The matches (the selected one inverse), then the query being typed. */
export function QuickSwitcher({state, matches, width}: Props) {
	const selected = Math.min(state.selected, Math.max(0, matches.length - 1));
	// The selected match stays in the window of matches shown.
	const start = Math.max(0, selected - SWITCHER_MATCHES_SHOWN + 1);
	const shown = matches.slice(start, start + SWITCHER_MATCHES_SHOWN);
	return (
		<Box flexDirection="column" width={width}>
			{shown.length === 0 ? <Text dimColor>{truncate('  no conversation matches (Backspace, or Esc to cancel)', width)}</Text> : null}
			{shown.map((row, index) => {
				const counts = row.current ? '' : countsLabel(row);
				const line = `${start + index === selected ? '▸ ' : '  '}${sanitizeLine(row.name)}${row.current ? ' (on screen)' : ''}${counts === '' ? '' : `  ${counts}`}`;
				return (
					<Text key={index} inverse={start + index === selected} color={row.mentions > 0 ? 'yellow' : undefined}>
						{padEnd(line, width)}
					</Text>
				);
			})}
			<Text wrap="truncate-end">
				<Text bold>switch to: </Text>
				{sanitizeLine(state.query)}
				<Text inverse> </Text>
				<Text dimColor>{'  ↑/↓ choose · Enter · Esc cancels'}</Text>
			</Text>
		</Box>
	);
}
