// Builds chat states and entry sources for UI tests, through the real reducer.
import {chatReducer, initialState} from '../../source/state/reducer.js';
import {selectEntry, selectEntryCount, selectEntryIndex} from '../../source/state/selectors.js';
import type {ChatAction, ChatState} from '../../source/state/types.js';
import type {EntrySource} from '../../source/ui/pane-layout.js';
import {snapshot} from '../state/snapshot.js';

export {snapshot} from '../state/snapshot.js';

export const T0 = new Date(2024, 0, 2, 9, 5).getTime();

export function stateWith(actions: ChatAction[], me = 'alice'): ChatState {
	let state = initialState({me, server: '127.0.0.1:8080'});
	state = chatReducer(state, {type: 'connected', server: '127.0.0.1:8080', dialect: 'codechat', time: T0, roster: snapshot(me)});
	for (const action of actions) state = chatReducer(state, action);
	return state;
}

export function messages(count: number, user = 'bob', text = (i: number) => `message ${i}`): ChatAction[] {
	return Array.from({length: count}, (_, i) => ({type: 'message', user, text: text(i), time: T0}) as ChatAction);
}

/** A source over a fixed state that counts how many entries were read. */
export function sourceOf(state: ChatState): EntrySource & {reads: number} {
	const source = {
		reads: 0,
		get count() {
			return selectEntryCount(state);
		},
		at(index: number) {
			source.reads++;
			return selectEntry(state, index);
		},
		indexOf: (id: number) => selectEntryIndex(state, id),
	};
	return source;
}

/** Strips ANSI styling from a frame. */
export function plain(frame: string | undefined): string {
	return (frame ?? '').replace(/\x1b\[[0-9;]*m/g, '');
}
