// Turns Ink's raw input events into keys and pastes. With bracketed paste
// (ESC[200~ … ESC[201~) a paste is exact. Without it, a chunk of several
// characters that holds a line break can only be a paste (nobody types a
// newline and more text within one read), so it is kept whole: a pasted
// block must never become N sends. Text followed only by Enter is typed
// text plus Enter, which is also what a pty test writes.
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
		if (sequence.length > 1 && !sequence.startsWith('\x1b') && /[\r\n]/.test(sequence)) {
			const typedLine = /^([^\r\n]*)\r?[\r\n]$/.exec(sequence);
			if (typedLine) {
				const items: InputItem[] = [];
				if (typedLine[1]) items.push({kind: 'key', key: decodeKey(typedLine[1])});
				items.push({kind: 'key', key: decodeKey('\r')});
				return items;
			}
			return [{kind: 'paste', text: sequence}];
		}
		return [{kind: 'key', key: decodeKey(sequence)}];
	}

	/** True while inside a bracketed paste (keys are being held back). */
	get pasting(): boolean {
		return this.#pasting;
	}
}
