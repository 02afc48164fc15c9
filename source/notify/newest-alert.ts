// The newest message for you in the chat state, as an Alert: the newest
// mention of you or direct message (the reducer counts both, and leaves
// backlog out) in any conversation, on screen or not, so that one in a
// room or a direct conversation you are not looking at is announced too.
import {selectNewestMention} from '../state/selectors.js';
import type {ChatState} from '../state/types.js';
import type {Alert} from './alert.js';

export function newestAlert(state: ChatState): Alert | undefined {
	const newest = selectNewestMention(state);
	// Backlog past the last run's read mark is counted, but it was said while you were away: not rung.
	if (newest?.entry.kind !== 'chat' || newest.entry.backlog) return undefined;
	const {key, conversation, entry} = newest;
	return {id: entry.id, kind: conversation.kind === 'direct' ? 'direct' : 'mention', conversation: key, where: conversation.name, from: entry.user, text: entry.text};
}
