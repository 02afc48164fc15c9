// Keys -> named UI commands, in one table-like function, so the bindings are
// read (and tested) in one place rather than scattered through components.
import type {Key} from './keys.js';

export type UiCommand =
	| {type: 'insert'; text: string}
	/** Alt-Enter: a newline inside the message. */
	| {type: 'newline'}
	| {type: 'submit'}
	| {type: 'complete'}
	| {type: 'cursorLeft'}
	| {type: 'cursorRight'}
	| {type: 'cursorHome'}
	| {type: 'cursorEnd'}
	| {type: 'wordLeft'}
	| {type: 'wordRight'}
	| {type: 'backspace'}
	| {type: 'deleteForward'}
	| {type: 'deleteWordBefore'}
	| {type: 'killToStart'}
	| {type: 'killToEnd'}
	| {type: 'historyPrev'}
	| {type: 'historyNext'}
	| {type: 'scrollPageUp'}
	| {type: 'scrollPageDown'}
	| {type: 'scrollLineUp'}
	| {type: 'scrollLineDown'}
	| {type: 'scrollTop'}
	| {type: 'scrollBottom'}
	/** Ctrl+↑/↓: scroll the roster. */
	| {type: 'rosterUp'}
	| {type: 'rosterDown'}
	/** Ctrl-C. */
	| {type: 'quit'}
	/** Ctrl-D: quit on an empty line, delete forward otherwise. */
	| {type: 'eof'};

export type BindingContext = {
	/** Home/End scroll the pane when there is nothing to edit. */
	readonly inputEmpty: boolean;
};

// Ctrl-H, -I, -J and -M arrive as Backspace, Tab and Enter, and are decoded as those.
const ctrlLetters: Record<string, UiCommand['type']> = {
	a: 'cursorHome',
	e: 'cursorEnd',
	b: 'cursorLeft',
	f: 'cursorRight',
	w: 'deleteWordBefore',
	u: 'killToStart',
	k: 'killToEnd',
	p: 'historyPrev',
	n: 'historyNext',
	c: 'quit',
	d: 'eof',
};

const metaLetters: Record<string, UiCommand['type']> = {b: 'wordLeft', f: 'wordRight', d: 'killToEnd'};

/**
 * The command a key runs, or undefined when it runs none.
 *
 * Home/End: with Ctrl always the ends of the message pane; without Ctrl the
 * ends of the input line, unless the line is empty, when they scroll the pane
 * (issue 4 allows either; this way neither use is lost).
 */
export function commandForKey(key: Key, context: BindingContext): UiCommand | undefined {
	const simple = (type: UiCommand['type']) => ({type}) as UiCommand;
	switch (key.name) {
		case 'text':
			return {type: 'insert', text: key.text};
		case 'return':
			return key.meta ? simple('newline') : simple('submit');
		case 'tab':
			return key.shift ? undefined : simple('complete');
		case 'backspace':
			return key.meta ? simple('deleteWordBefore') : simple('backspace');
		case 'delete':
			return simple('deleteForward');
		case 'left':
			return key.ctrl || key.meta ? simple('wordLeft') : simple('cursorLeft');
		case 'right':
			return key.ctrl || key.meta ? simple('wordRight') : simple('cursorRight');
		case 'up':
			return key.ctrl ? simple('rosterUp') : key.shift ? simple('scrollLineUp') : simple('historyPrev');
		case 'down':
			return key.ctrl ? simple('rosterDown') : key.shift ? simple('scrollLineDown') : simple('historyNext');
		case 'pageup':
			return simple('scrollPageUp');
		case 'pagedown':
			return simple('scrollPageDown');
		case 'home':
			return key.ctrl || context.inputEmpty ? simple('scrollTop') : simple('cursorHome');
		case 'end':
			return key.ctrl || context.inputEmpty ? simple('scrollBottom') : simple('cursorEnd');
		case 'escape':
			return simple('scrollBottom');
		case 'char': {
			const table = key.ctrl ? ctrlLetters : key.meta ? metaLetters : undefined;
			const type = table?.[key.text.toLowerCase()];
			return type ? simple(type) : undefined;
		}
		default:
			return undefined;
	}
}
