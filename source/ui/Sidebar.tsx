import {Box} from 'ink';
import type {RosterRow} from '../state/selectors.js';
import type {ConversationRow} from './conversation-list.js';
import {ConversationList, conversationListHeight} from './ConversationList.js';
import type {PaneLook} from './pane-look.js';
import {Roster} from './Roster.js';

type Props = {
	/** The conversations; undefined on a server without rooms, which has one room and shows no list. */
	readonly conversations?: readonly ConversationRow[];
	/** The members of the conversation on screen. */
	readonly members: readonly RosterRow[];
	readonly width: number;
	readonly height: number;
	/** First member shown. @default 0 */
	readonly memberOffset?: number;
	/** The user's colours and keys (pane-look.ts). @default DEFAULT_LOOK */
	readonly look?: PaneLook;
};

/** The sidebar: your conversations above the members of the current one. */
export function Sidebar({conversations, members, width, height, memberOffset = 0, look}: Props) {
	const listHeight = conversations === undefined ? 0 : conversationListHeight(conversations.length, height);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			{conversations === undefined ? null : <ConversationList rows={conversations} width={width} height={listHeight} look={look} />}
			<Roster rows={members} width={width} height={height - listHeight} offset={memberOffset} look={look} />
		</Box>
	);
}

/** Rows the member list gets beside the conversations, for clamping its scroll. */
export function memberListHeight(conversations: readonly ConversationRow[] | undefined, height: number): number {
	return height - (conversations === undefined ? 0 : conversationListHeight(conversations.length, height));
}
