// Turns Ink's raw input events into keys and pastes. Only a bracketed paste
// (ESC[200~ … ESC[201~) is a paste. Anything else that arrives in one read
// (fast typing, a slow link, `tmux send-keys one Enter two Enter`) is keys,
// in order: "one\rtwo\r" is two lines sent, never one message of two lines.
import {decodeKey, type Key} from './keys.js';
import {mouseReport, type MouseReport} from './mouse.js';

/** `mouse`: a report of the mouse (only with [mouse] wheel on), never typed text. */
export type InputItem = {kind: 'key'; key: Key} | {kind: 'paste'; text: string} | {kind: 'mouse'; report: MouseReport};

/** Stateful: a bracketed paste may arrive over many events. */
export class InputStream {
	#pasting = false;
	#pasted = '';

	/** Feeds one Ink input event; returns what it means, in order. */
	push(sequence: string): InputItem[] {
		if (this.#pasting) {
			if (sequence === '\x1b[201~') {
				this.#pasting = false;
				const text = this.#pasted;
				this.#pasted = '';
				return [{kind: 'paste', text}];
			}
			this.#pasted += sequence;
			return [];
		}
		if (sequence === '\x1b[200~') {
			this.#pasting = true;
			return [];
		}
		if (sequence.length > 1 && !sequence.startsWith('\x1b')) return splitKeys(sequence);
		const report = mouseReport(sequence);
		if (report !== undefined) return [{kind: 'mouse', report}];
		return [{kind: 'key', key: decodeKey(sequence)}];
	}
}

/**
 * A run of input without escapes, as one read returned it: printable runs
 * stay whole, each control character (Enter, Tab, Ctrl-U…) is a key of its
 * own, and CR LF is one Enter.
 */
function splitKeys(sequence: string): InputItem[] {
	const items: InputItem[] = [];
	for (const match of sequence.matchAll(/[^\x00-\x1f\x7f]+|\r\n|[\x00-\x1f\x7f]/g)) {
		const part = match[0] === '\r\n' ? '\r' : match[0];
		items.push({kind: 'key', key: decodeKey(part)});
	}
	return items;
}
