import chalk from 'chalk';
import {Box, Text} from 'ink';
import {textWidth} from '../text/wrap.js';
import type {InputView} from './input-view.js';

type Props = {
	readonly view: InputView;
	readonly width: number;
};

/** Rows the input box takes: its text rows, and one more for a notice. */
export function inputLineHeight(view: InputView): number {
	return view.rows.length + (view.notice ? 1 : 0);
}

/**
 * Ink hides the terminal's cursor, so the cursor is drawn as an inverse cell.
 * Without colours (NO_COLOR, a dumb terminal) inverse is lost, so an empty
 * cursor cell becomes "_" to stay visible.
 */
function cursorCell(atCursor: string): string {
	return chalk.level === 0 && atCursor === ' ' ? '_' : atCursor;
}

/** The box you type in: the draft's rows with the cursor, and the length counter near the limit. */
export function InputLine({view, width}: Props) {
	const counter = view.counter ? ' ' + view.counter : '';
	const textColumns = Math.max(1, width - textWidth(counter));
	return (
		<Box flexDirection="column" width={width}>
			{view.notice ? (
				<Text color="red" wrap="truncate-end">
					{view.notice}
				</Text>
			) : null}
			{view.rows.map((row, index) => (
				// Rows have no identity beyond their place in the window.
				// eslint-disable-next-line react/no-array-index-key
				<Box key={index} width={width}>
					<Box flexGrow={1} width={textColumns}>
						<Text wrap="truncate-end">
							<Text bold>{row.prefix}</Text>
							{row.before}
							{row.atCursor === undefined ? null : <Text inverse>{cursorCell(row.atCursor)}</Text>}
							{row.after}
						</Text>
					</Box>
					{counter && index === view.rows.length - 1 ? <Text color={view.overLimit ? 'red' : 'yellow'}>{counter}</Text> : null}
				</Box>
			))}
		</Box>
	);
}
