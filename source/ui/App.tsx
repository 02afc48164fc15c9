import {Box} from 'ink';
import type {ReactNode} from 'react';
import {chooseLayout, ROSTER_WIDTH} from './layout.js';

export type AppProps = {
	/** The frame's width in columns. */
	readonly columns: number;
	/** The frame's height in rows (run-tui passes the terminal's rows minus one, see there). */
	readonly rows: number;
	/** Rows the input line needs. @default 1 */
	readonly inputRows?: number;
	/** Render props, given the size each part gets. */
	readonly pane: (width: number, height: number) => ReactNode;
	readonly roster: (width: number, height: number) => ReactNode;
	readonly status: (width: number) => ReactNode;
	readonly input: (width: number) => ReactNode;
};

/**
 * Only picks a layout: message pane with the roster on its right (hidden
 * below 60 columns, and in the compact layout below 10 rows), then the status
 * bar and the input line. The frame is exactly `rows` high.
 */
export function App({columns, rows, inputRows = 1, pane, roster, status, input}: AppProps) {
	const layout = chooseLayout(columns, rows, inputRows);
	return (
		<Box flexDirection="column" width={columns} height={rows} overflow="hidden">
			<Box height={layout.paneHeight} width={columns}>
				{pane(layout.paneWidth, layout.paneHeight)}
				{layout.showRoster ? (
					<Box width={ROSTER_WIDTH} height={layout.paneHeight} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderDimColor>
						{roster(ROSTER_WIDTH - 1, layout.paneHeight)}
					</Box>
				) : null}
			</Box>
			{layout.showStatus ? status(columns) : null}
			{input(columns)}
		</Box>
	);
}
