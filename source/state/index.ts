// The chat state: a pure reducer with selectors. No React, no sockets.
// The client dispatches ChatActions; the UI reads through the selectors.
export type * from './types.js';
export {DEFAULT_LOG_CAPACITY} from './log.js';
export {chatReducer, initialState, formatDelaySeconds} from './reducer.js';
export {mentionsName} from './mentions.js';
export {compareNames} from './roster.js';
export {
	selectEntries,
	selectEntry,
	selectEntryCount,
	selectEntryIndex,
	selectLastEntries,
	selectMe,
	selectPending,
	selectRoster,
	selectRosterNames,
	selectStatusLine,
	selectUnread,
} from './selectors.js';
export type {RosterRow, StatusLine, Unread} from './selectors.js';
