import chalk from 'chalk';
import {Box, Text} from 'ink';
import {textWidth} from '../text/wrap.js';
import type {InputView} from './input-view.js';

type Props = {
	readonly view: InputView;
	readonly width: number;
	/** Shown before the text. @default "> " */
	readonly prompt?: string;
};

/** Rows the input line takes: one, and one more for a notice. */
export function inputLineHeight(view: InputView): number {
	return view.notice ? 2 : 1;
}

/**
 * Ink hides the terminal's cursor, so the cursor is drawn as an inverse cell.
 * Without colours (NO_COLOR, a dumb terminal) inverse is lost, so an empty
 * cursor cell becomes "_" to stay visible.
 */
function cursorCell(atCursor: string): string {
	return chalk.level === 0 && atCursor === ' ' ? '_' : atCursor;
}

/** The line you type in: prompt, text with the cursor, and the length counter near the limit. */
export function InputLine({view, width, prompt = '> '}: Props) {
	const counter = view.counter ? ' ' + view.counter : '';
	return (
		<Box flexDirection="column" width={width}>
			{view.notice ? (
				<Text color="red" wrap="truncate-end">
					{view.notice}
				</Text>
			) : null}
			<Box width={width}>
				<Box flexGrow={1} width={Math.max(1, width - textWidth(counter))}>
					<Text wrap="truncate-end">
						<Text bold>{prompt}</Text>
						{view.before}
						<Text inverse>{cursorCell(view.atCursor)}</Text>
						{view.after}
					</Text>
				</Box>
				{counter ? <Text color={view.overLimit ? 'red' : 'yellow'}>{counter}</Text> : null}
			</Box>
		</Box>
	);
}
