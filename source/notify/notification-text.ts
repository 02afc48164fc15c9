// The text of a desktop notification: ours, made from a name and a message
// that came from the network. Nothing a terminal or a notification daemon
// could act on survives: every control, escape, format and invisible
// character is dropped (line breaks and tabs become spaces), and the result
// is cut short, so a hostile peer can neither end the sequence early nor
// fill the screen.
import {replaceUnsafe} from '../text/unsafe.js';

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});
const SPACING = /^[\t\n\v\f\r\u0085\u2028\u2029]$/u;

/** At most `maxCharacters` characters (graphemes) of `text`, safe to put in a notification; "…" when cut. */
export function notificationText(text: string, maxCharacters: number): string {
	// A bound before any work: a message may be a megabyte. Cutting may split a surrogate pair; the next step drops the half.
	const bounded = text.slice(0, maxCharacters * 16);
	const clean = replaceUnsafe(bounded, char => (SPACING.test(char) ? ' ' : '')).replaceAll(/\s+/gu, ' ').trim();
	const characters: string[] = [];
	for (const {segment} of segmenter.segment(clean)) {
		if (characters.length === maxCharacters) return characters.join('').trimEnd() + '…';
		characters.push(segment);
	}

	return characters.join('') + (bounded.length < text.length ? '…' : '');
}
