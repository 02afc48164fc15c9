// Fits the status bar's parts into its width: a part that does not fit is
// given in its short wording, if it has one, or left out whole, rather than
// the line being cut in the middle of a word.
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
	const kept = new Map<StatusPart, string>();
	// Array sort is stable: of equal priority, the part further left is placed first.
	for (const part of [...others].sort((a, b) => a.priority - b.priority)) {
		const text = [part.text, part.short].find(wording => wording !== undefined && STATUS_SEPARATOR.length + textWidth(wording) <= room);
		if (text === undefined) continue;
		kept.set(part, text);
		room -= STATUS_SEPARATOR.length + textWidth(text);
	}

	const tail = others.flatMap(part => (kept.has(part) ? [STATUS_SEPARATOR + kept.get(part)!] : [])).join('');
	return {head, tail: tail + ' '.repeat(room)};
}
