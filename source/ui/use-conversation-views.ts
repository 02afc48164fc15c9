// Each conversation keeps its own draft (with its input history) and its
// scroll position: when the conversation on screen changes, for whatever
// reason (a key, /join, /close), the one left is put aside and the one shown
// comes back as it was left.
import {useLayoutEffect, useRef} from 'react';
import {initialEditorState, type EditorState} from './input-editor.js';
import type {ScrollAnchor} from './pane-layout.js';
import type {InputEditor} from './use-input-editor.js';
import type {ScrollAnchorControl} from './use-scroll-anchor.js';

type PutAside = {readonly editor: EditorState; readonly anchor: ScrollAnchor};

/** `room`: the key of the conversation on screen. */
export function useConversationViews(room: string, input: InputEditor, scroll: ScrollAnchorControl): void {
	const shown = useRef(room);
	const aside = useRef(new Map<string, PutAside>());
	// A layout effect: it runs before the scroll anchor's own effect, which would
	// drop an anchor that names an entry of the conversation just left.
	useLayoutEffect(() => {
		if (shown.current === room) return;
		aside.current.set(shown.current, {editor: input.current(), anchor: scroll.current()});
		const back = aside.current.get(room);
		aside.current.delete(room);
		shown.current = room;
		input.swap(back?.editor ?? initialEditorState);
		scroll.set(back?.anchor);
	}, [room, input, scroll]);
}
