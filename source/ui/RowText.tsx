import {Text} from 'ink';
import type {Row} from './pane-layout.js';

type Props = {
	/** The segments of one row; their text is already sanitised. */
	readonly row: Row;
};

/** One row of styled segments, cut (never wrapped) at the pane's edge. */
export function RowText({row}: Props) {
	return (
		<Text wrap="truncate-end">
			{row.map((segment, index) => (
				<Text key={index} color={segment.color} dimColor={segment.dim} bold={segment.bold} inverse={segment.inverse}>
					{segment.text}
				</Text>
			))}
		</Text>
	);
}
