// Turns Ink's raw input events into keys and pastes. With bracketed paste
// (ESC[200~ … ESC[201~) a paste is exact. Without it, a chunk of several
// characters that holds a line break can only be a paste (nobody types a
// newline and more text within one read), so it is kept whole: a pasted
// block must never become N sends. Text followed only by Enter is typed
// text plus Enter, which is also what a pty test writes; other control
// characters in a run of text are keys of their own.
import {decodeKey, type Key} from './keys.js';

export type InputItem = {kind: 'key'; key: Key} | {kind: 'paste'; text: string};

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
		if (sequence.length > 1 && !sequence.startsWith('\x1b')) return this.#splitText(sequence);
		return [{kind: 'key', key: decodeKey(sequence)}];
	}

	/**
	 * A run of input without escapes. Ink hands over what one read returned,
	 * so "bo\t" or "\x15\x04" (keys sent together, as a pty test or a fast
	 * typist does) must be split into keys; a line break inside it makes it a paste.
	 */
	#splitText(sequence: string): InputItem[] {
		const lineBreak = sequence.search(/[\r\n]/);
		if (lineBreak !== -1 && lineBreak < sequence.length - 1 && !/^[^\r\n]*\r\n$/.test(sequence)) {
			return [{kind: 'paste', text: sequence}];
		}
		const items: InputItem[] = [];
		// Printable runs stay whole; each control character is a key of its own.
		for (const match of sequence.matchAll(/[^\x00-\x1f\x7f]+|\r\n|[\x00-\x1f\x7f]/g)) {
			const part = match[0] === '\r\n' ? '\r' : match[0];
			items.push({kind: 'key', key: decodeKey(part)});
		}
		return items;
	}

	/** True while inside a bracketed paste (keys are being held back). */
	get pasting(): boolean {
		return this.#pasting;
	}
}
