// The newest message for you in the chat state, as an Alert: today the
// newest mention in the conversation on screen (the reducer leaves backlog
// out of it). Direct messages and other rooms' mentions are added here when
// the state holds them; the hook takes whatever this returns.
import {selectEntry, selectEntryIndex, selectUnread} from '../state/selectors.js';
import type {ChatState} from '../state/types.js';
import type {Alert} from './alert.js';

export function newestAlert(state: ChatState): Alert | undefined {
	const id = selectUnread(state).lastMentionId;
	if (id === undefined) return undefined;
	const entry = selectEntry(state, selectEntryIndex(state, id));
	if (entry?.kind !== 'chat') return undefined;
	return {id, kind: 'mention', conversation: state.room, from: entry.user, text: entry.text};
}
