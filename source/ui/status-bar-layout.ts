// Fits the status bar's parts into its width: a part that does not fit is
// left out whole, rather than the line being cut in the middle of a word.
// Parts are placed most important first, each where there is still room, so
// a long reason left out makes room for shorter parts after it. Only the
// first part (the connection state) may be cut, when it alone is too wide.
import {textWidth, truncate} from '../text/wrap.js';
import type {StatusPart} from './status-text.js';

export const STATUS_SEPARATOR = ' · ';

/** The bar's text in two pieces (the first is coloured by phase), together exactly `columns` wide. */
export type StatusBarText = {readonly head: string; readonly tail: string};

export function layoutStatusBar(parts: readonly StatusPart[], columns: number): StatusBarText {
	const [first, ...others] = parts;
	const head = truncate(` ${first?.text ?? ''}`, columns);
	let room = columns - textWidth(head);
	const kept = new Set<StatusPart>();
	// Array sort is stable: of equal priority, the part further left is placed first.
	for (const part of [...others].sort((a, b) => a.priority - b.priority)) {
		const width = STATUS_SEPARATOR.length + textWidth(part.text);
		if (width > room) continue;
		kept.add(part);
		room -= width;
	}

	const tail = others.filter(part => kept.has(part)).map(part => STATUS_SEPARATOR + part.text).join('');
	return {head, tail: tail + ' '.repeat(room)};
}
