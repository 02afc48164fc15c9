// How conversations are named and keyed (see Conversation in types.ts): a
// name that starts with '#' is a room, any other a direct partner (user
// names never start with '#', PROTOCOL.md §2). Keys fold case and confusable
// look-alikes as the server does, and never collide between the two kinds.
import {nameKey} from '../protocol/limits.js';
import {LOBBY, roomKey} from '../protocol/rooms.js';
import {emptyLog} from './log.js';
import type {Conversation, ConversationKind} from './types.js';

export function conversationKind(name: string): ConversationKind {
	return name.startsWith('#') ? 'room' : 'direct';
}

/** The key of the conversations map for a room name or a partner's name. */
export function conversationKey(name: string): string {
	return conversationKind(name) === 'room' ? roomKey(name) : '@' + nameKey(name);
}

export const LOBBY_KEY = conversationKey(LOBBY);

export function newConversation(name: string, capacity: number): Conversation {
	return {
		name,
		kind: conversationKind(name),
		log: emptyLog(capacity),
		mentions: {unread: 0},
		unread: 0,
		view: {scrolledUp: false},
		ownEntries: new Map(),
	};
}
