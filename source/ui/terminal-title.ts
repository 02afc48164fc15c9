// The terminal's title: how much is unread in the conversations not on
// screen. Only our own words and numbers go into it, never a name or a text
// from the network, so nothing a peer sends can reach an OSC sequence.

/** Saves the title the terminal had (xterm's title stack), to give it back at the end. */
export const SAVE_TITLE = '\x1b[22;2t';
/** Gives back the saved title. */
export const RESTORE_TITLE = '\x1b[23;2t';

/** "codechat-tui", or "(5) codechat-tui: 2 for you" with unread messages elsewhere. */
export function titleText(unread: number, mentions: number): string {
	const count = (value: number) => String(Math.max(0, Math.trunc(value)));
	if (unread <= 0 && mentions <= 0) return 'codechat-tui';
	return `(${count(unread)}) codechat-tui${mentions > 0 ? `: ${count(mentions)} for you` : ''}`;
}

/**
 * OSC 2 (window title) with `text`, which must be our own printable ASCII.
 * Ended with ST rather than BEL, so that a terminal that does not know the
 * sequence never rings.
 */
export function titleSequence(text: string): string {
	if (!/^[\x20-\x7e]*$/.test(text)) throw new Error('a terminal title holds only our own printable ASCII text');
	return `\x1b]2;${text}\x1b\\`;
}
