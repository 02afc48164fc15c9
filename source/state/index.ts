// The chat state: a pure reducer with selectors. No React, no sockets.
// The client dispatches ChatActions; the UI reads through the selectors.
export type * from './types.js';
export {DEFAULT_LOG_CAPACITY} from './log.js';
export {chatReducer, conversationOrder, currentConversation, initialState, formatDelaySeconds} from './reducer.js';
export {conversationKey, conversationKind, LOBBY_KEY} from './conversations.js';
export {LOBBY} from './types.js';
export {mentionsName} from './mentions.js';
export {compareNames} from './roster.js';
export {
	selectConversations,
	selectCurrentConversation,
	selectEntries,
	selectEntry,
	selectEntryCount,
	selectEntryIndex,
	selectLastEntries,
	selectLog,
	selectRoster,
	selectRosterNames,
	selectStatusLine,
	selectTotalUnread,
	selectUnread,
} from './selectors.js';
export type {ConversationRow, CurrentConversation, RosterRow, StatusLine, Unread} from './selectors.js';
