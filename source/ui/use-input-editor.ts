// The input box's state, owned here: the editor state and the row its window
// starts at. Keys may arrive several to one read, faster than React renders,
// so the state lives in a ref that every action reads and writes at once;
// a render is requested after each change.
import {useCallback, useReducer, useRef} from 'react';
import {editInput, initialEditorState, type EditorAction, type EditorState, type EditResult} from './input-editor.js';
import {inputView, type InputView, type InputViewOptions} from './input-view.js';

export type InputEditor = {
	/** The state now (not as of the last render). */
	readonly current: () => EditorState;
	/** Applies an action now; returns what it submitted, if anything. */
	readonly apply: (action: EditorAction) => EditResult;
	/** The box as it should be drawn this render. */
	readonly view: (options: Omit<InputViewOptions, 'top'>) => InputView;
	/** Puts another draft (with its history) in the box, as when the conversation changes; returns the one it replaces. */
	readonly swap: (next: EditorState) => EditorState;
};

export function useInputEditor(): InputEditor {
	const state = useRef<EditorState>(initialEditorState);
	const top = useRef(0);
	const [, rerender] = useReducer((count: number) => count + 1, 0);

	const current = useCallback(() => state.current, []);
	const apply = useCallback((action: EditorAction) => {
		const result = editInput(state.current, action);
		if (result.state !== state.current) {
			state.current = result.state;
			rerender();
		}
		return result;
	}, []);
	const view = useCallback((options: Omit<InputViewOptions, 'top'>) => {
		const shown = inputView(state.current, {...options, top: top.current});
		// The same inputs give the same window, so a repeated render is harmless.
		top.current = shown.top;
		return shown;
	}, []);
	const swap = useCallback((next: EditorState) => {
		const previous = state.current;
		state.current = next;
		top.current = 0;
		if (next !== previous) rerender();
		return previous;
	}, []);
	return {current, apply, view, swap};
}
