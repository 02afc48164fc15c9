// The full-screen code viewer, without React: a block's rows at full length
// (every line, long ones wrapped), the viewer's keys as data, and scrolling.
// CodeViewer.tsx draws it; ChatScreen owns which block is open and where.
import {codeBlockRows} from '../text/code-block.js';
import {THEME} from '../text/code-theme.js';
import {highlightBlock} from '../text/highlighter.js';
import type {CodeBlock} from '../text/markup.js';
import type {Key, KeyName} from './keys.js';
import type {Row} from './row.js';

/** Every line of the block, highlighted (up to the highlighter's size limit), wrapped to `columns`. */
export function viewerRows(block: CodeBlock, columns: number): Row[] {
	const {lines} = highlightBlock(block);
	return codeBlockRows(block, lines, columns, {maxLines: Number.POSITIVE_INFINITY, overflow: 'wrap'}).rows.map(row =>
		row.map(segment => ({...THEME[segment.style], text: segment.text})),
	);
}

export const viewerCommandHelp = {
	lineUp: 'up a line',
	lineDown: 'down a line',
	pageUp: 'up a page',
	pageDown: 'down a page',
	top: 'to the first line',
	bottom: 'to the last line',
	close: 'back to the chat',
} as const satisfies Record<string, string>;

export type ViewerCommand = keyof typeof viewerCommandHelp;

/** A key in the viewer: by name, or a typed letter (`text`), without modifiers unless `ctrl`. */
type ViewerKey = {readonly name: KeyName; readonly text?: string; readonly ctrl?: true; readonly meta?: true};

/** As less does: arrows and pages, j/k, space/b, g/G; q, Esc or the key that opened it close. */
export const viewerBindings: ReadonlyArray<{readonly command: ViewerCommand; readonly keys: readonly ViewerKey[]}> = [
	{command: 'lineUp', keys: [{name: 'up'}, {name: 'text', text: 'k'}]},
	{command: 'lineDown', keys: [{name: 'down'}, {name: 'text', text: 'j'}, {name: 'return'}]},
	{command: 'pageUp', keys: [{name: 'pageup'}, {name: 'text', text: 'b'}]},
	{command: 'pageDown', keys: [{name: 'pagedown'}, {name: 'text', text: ' '}]},
	{command: 'top', keys: [{name: 'home'}, {name: 'text', text: 'g'}]},
	{command: 'bottom', keys: [{name: 'end'}, {name: 'text', text: 'G'}]},
	{
		command: 'close',
		keys: [{name: 'text', text: 'q'}, {name: 'escape'}, {name: 'char', ctrl: true, text: 'c'}, {name: 'char', ctrl: true, text: 'v'}, {name: 'char', meta: true, text: 'v'}],
	},
];

function matches(spec: ViewerKey, key: Key): boolean {
	if (spec.name !== key.name || Boolean(spec.ctrl) !== key.ctrl || Boolean(spec.meta) !== key.meta) return false;
	return spec.text === undefined || spec.text === key.text;
}

export function viewerCommandFor(key: Key): ViewerCommand | undefined {
	return viewerBindings.find(binding => binding.keys.some(spec => matches(spec, key)))?.command;
}

/** The first row shown after `command`, for `total` rows in a view of `height`; never past the end. */
export function scrollViewer(top: number, command: Exclude<ViewerCommand, 'close'>, total: number, height: number): number {
	const last = Math.max(0, total - height);
	const page = Math.max(1, height - 1);
	const moved = (() => {
		switch (command) {
			case 'lineUp':
				return top - 1;
			case 'lineDown':
				return top + 1;
			case 'pageUp':
				return top - page;
			case 'pageDown':
				return top + page;
			case 'top':
				return 0;
			case 'bottom':
				return last;
			default: {
				const unknown: never = command;
				throw new Error(`unexpected viewer command ${String(unknown)}`);
			}
		}
	})();
	return Math.min(last, Math.max(0, moved));
}
