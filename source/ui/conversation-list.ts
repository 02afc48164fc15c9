// The sidebar's list of conversations (rooms, then direct ones, in the
// state's order): where Alt-1…9 jump, and what the terminal title counts.
// Pure, so they are tested without rendering.
import type {ConversationRow} from '../state/selectors.js';

export type {ConversationRow} from '../state/selectors.js';

/** The name numbered `number` (from 1) in the list, or undefined past its end. */
export function numberedName(rows: readonly ConversationRow[], number: number): string | undefined {
	return rows[number - 1]?.name;
}

/** Unread messages, and mentions of you, in the conversations not on screen: what the terminal title counts. */
export function unreadElsewhere(rows: readonly ConversationRow[]): {unread: number; mentions: number} {
	let unread = 0;
	let mentions = 0;
	for (const row of rows) {
		if (row.current) continue;
		unread += row.unread;
		mentions += row.mentions;
	}
	return {unread, mentions};
}
