import {Text} from 'ink';
import type {StatusLine} from '../state/selectors.js';
import {layoutStatusBar} from './status-bar-layout.js';
import {statusParts, type ShownConversation, type UnreadElsewhere} from './status-text.js';

type Props = {
	readonly status: StatusLine;
	readonly width: number;
	/** Epoch ms, for the reconnect countdown. */
	readonly now: number;
	/** Spinner frame, advanced by the caller while connecting. @default 0 */
	readonly spinnerFrame?: number;
	/** The room or direct conversation on screen, named where there are several. */
	readonly conversation?: ShownConversation;
	/** Unread in the other conversations, for when the sidebar that counts them is hidden. */
	readonly elsewhere?: UnreadElsewhere;
};

const phaseColour = {connected: 'green', connecting: 'yellow', reconnecting: 'yellow', disconnected: 'red'} as const;

/**
 * One line: connection state (spinning while busy), server, the room on
 * screen, your name, user count, lag, roster warning, why it is not
 * connected. Parts that do not fit are left out, least important first.
 */
export function StatusBar({status, width, now, spinnerFrame = 0, conversation, elsewhere}: Props) {
	const {head, tail} = layoutStatusBar(statusParts(status, now, spinnerFrame, conversation, elsewhere), width);
	return (
		<Text inverse wrap="truncate-end">
			<Text color={phaseColour[status.phase]} inverse>
				{head}
			</Text>
			{tail}
		</Text>
	);
}
