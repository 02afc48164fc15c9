// The words for what the room log (§9) tells the reader: one owner for the
// TUI's lines, pipe mode's plain lines and the transcript. Pure.

const count = (n: number) => n.toLocaleString('en-US');

/** "12 messages missed: the server keeps the last 10,000". */
export function gapText(missed: number, kept: number): string {
	return `${count(missed)} message${missed === 1 ? '' : 's'} missed: the server keeps the last ${count(kept)}`;
}

export const RESET_TEXT = 'the server\'s history was reset: earlier messages may be gone';

/** The rule under the backlog. */
export function backlogText(backlog: number): string {
	return `${count(backlog)} earlier message${backlog === 1 ? '' : 's'} above`;
}

export const LOADING_TEXT = 'loading…';
