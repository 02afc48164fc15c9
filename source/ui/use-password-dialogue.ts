// The open password dialogue, if any, owned here. While one is open it takes
// every key and paste before the input box sees them, so nothing of a
// password reaches the draft, the input history or the message pane.
import {useCallback, useReducer, useRef} from 'react';
import type {InputItem} from './input-stream.js';
import {dialogueInput, startDialogue, type DialogueAnswer, type DialoguePurpose, type DialogueState} from './password-dialogue.js';

export type DialogueRequest = {
	readonly purpose: DialoguePurpose;
	readonly name: string;
	/** Why it opens: e.g. the server said the password was wrong. */
	readonly notice?: string;
	readonly onDone: (answer: DialogueAnswer) => void;
	readonly onCancel?: () => void;
};

export type PasswordDialogue = {
	/** The open dialogue, for drawing; undefined when none is open. */
	readonly current: DialogueState | undefined;
	/** Opens a dialogue, replacing one that is open (its callbacks are dropped). */
	readonly open: (request: DialogueRequest) => void;
	/** Feeds a key or paste; true when a dialogue was open and took it. */
	readonly input: (item: InputItem) => boolean;
};

export function usePasswordDialogue(): PasswordDialogue {
	// Keys may arrive several to one read, faster than React renders: the state lives in refs.
	const state = useRef<DialogueState | undefined>(undefined);
	const request = useRef<DialogueRequest | undefined>(undefined);
	const [, rerender] = useReducer((count: number) => count + 1, 0);

	const close = useCallback(() => {
		state.current = undefined;
		request.current = undefined;
		rerender();
	}, []);
	const open = useCallback((next: DialogueRequest) => {
		request.current = next;
		state.current = startDialogue(next.purpose, next.name, next.notice);
		rerender();
	}, []);
	const input = useCallback((item: InputItem) => {
		const open = state.current;
		const asked = request.current;
		if (!open || !asked) return false;
		const outcome = dialogueInput(open, item);
		switch (outcome.kind) {
			case 'typing':
				// Typing changes nothing drawn; only a new question or notice needs a render.
				state.current = outcome.state;
				if (outcome.state.step !== open.step || outcome.state.notice !== open.notice) rerender();
				return true;
			case 'done':
				close();
				asked.onDone(outcome.answer);
				return true;
			case 'cancelled':
				close();
				asked.onCancel?.();
				return true;
			default: {
				const unknown: never = outcome;
				throw new Error(`unknown outcome ${String(unknown)}`);
			}
		}
	}, [close]);
	return {current: state.current, open, input};
}
