import {Text} from 'ink';
import {hyperlink} from '../text/hyperlink.js';
import type {Row, Segment} from './row.js';

type Props = {
	/** The segments of one row; their text is already sanitised. */
	readonly row: Row;
	/**
	 * Write URLs as OSC 8 links. Ink keeps an OSC 8 sequence ended by BEL
	 * whole and counts it as no columns, so the link is part of the text.
	 * @default false
	 */
	readonly links?: boolean;
};

/** The text to write: a linkable URL wrapped in OSC 8 when links are on, else the text itself. */
function shown(segment: Segment, links: boolean): string {
	if (!links || segment.href === undefined || segment.href !== segment.text) return segment.text;
	return hyperlink(segment.href) ?? segment.text;
}

/** How a search match is drawn: black on yellow; the current one black on cyan, bold, so it stands out from the rest. */
const markStyle = {
	match: {backgroundColor: 'yellow', color: 'black'},
	current: {backgroundColor: 'cyan', color: 'black', bold: true},
} as const;

/** One row of styled segments, cut (never wrapped) at the pane's edge. */
export function RowText({row, links = false}: Props) {
	return (
		<Text wrap="truncate-end">
			{row.map((segment, index) => (
				<Text
					key={index}
					dimColor={segment.dim}
					italic={segment.italic}
					underline={segment.underline}
					inverse={segment.inverse}
					{...(segment.mark ? markStyle[segment.mark] : {color: segment.color, bold: segment.bold})}
				>
					{shown(segment, links)}
				</Text>
			))}
		</Text>
	);
}
