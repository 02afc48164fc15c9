import {Text} from 'ink';
import type {StatusLine} from '../state/selectors.js';
import {padEnd} from '../text/wrap.js';
import {statusParts} from './status-text.js';

type Props = {
	readonly status: StatusLine;
	readonly width: number;
	/** Epoch ms, for the reconnect countdown. */
	readonly now: number;
	/** Spinner frame, advanced by the caller while connecting. @default 0 */
	readonly spinnerFrame?: number;
};

const phaseColour = {connected: 'green', connecting: 'yellow', reconnecting: 'yellow', disconnected: 'red'} as const;

/** One line: connection state (spinning while busy), server, your name, user count, lag, roster warning. */
export function StatusBar({status, width, now, spinnerFrame = 0}: Props) {
	const [first = '', ...rest] = statusParts(status, now, spinnerFrame);
	const tail = rest.length > 0 ? ' · ' + rest.join(' · ') : '';
	const line = padEnd(` ${first}${tail}`, width);
	const head = line.slice(0, first.length + 1);
	return (
		<Text inverse wrap="truncate-end">
			<Text color={phaseColour[status.phase]} inverse>
				{head}
			</Text>
			{line.slice(head.length)}
		</Text>
	);
}
