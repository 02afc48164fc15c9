// Every placeholder the sanitiser makes takes on a real terminal screen
// (xterm.js, as the pty tests use) exactly the columns the layout counts for
// it. A Hangul filler left raw is counted as no column and drawn as two,
// which pushed the end of a row off the screen.
import xterm from '@xterm/headless';
import {afterAll, describe, expect, it} from 'vitest';
import {LINE_BREAK_MARK, sanitize, sanitizeLine} from '../../source/text/sanitize.js';
import {isUnsafeCodePoint} from '../../source/text/unsafe.js';
import {textWidth} from '../../source/text/wrap.js';

const terminal = new xterm.Terminal({cols: 200, rows: 4, allowProposedApi: true});
afterAll(() => terminal.dispose());

/** Columns the terminal advances drawing `text` after a letter (so a combining mark has something to attach to). */
async function drawnWidth(text: string): Promise<number> {
	return new Promise(resolve => {
		terminal.write(`\u001B[H\u001B[2Jx${text}`, () => resolve(terminal.buffer.active.cursorX - 1));
	});
}

/** The placeholders that are not ASCII: a newline in a name, and a lone surrogate. */
const MARKS = [LINE_BREAK_MARK, '\ufffd'];

function hex(code: number): string {
	return 'U+' + code.toString(16).toUpperCase().padStart(4, '0');
}

describe('placeholder widths, as a terminal draws them', () => {
	it('Hangul fillers are shown as placeholders the width the layout counts', async () => {
		for (const filler of ['\u3164', '\u115f', '\u1160', '\uffa0']) {
			const shown = sanitize(`a${filler}b`);
			expect(shown).not.toContain(filler);
			expect(textWidth(shown), hex(filler.codePointAt(0)!)).toBe(await drawnWidth(shown));
		}
	});

	it('every unsafe code point, in a name or a message, is shown in printable ASCII or as one of the marks measured here', () => {
		// Printable ASCII takes one column a character on every terminal, and the layout counts it so.
		const printableAscii = /^[\x20-\x7e]+$/;
		const wrong: string[] = [];
		for (let code = 0; code <= 0x10ffff; code++) {
			if (!isUnsafeCodePoint(code) || code === 0x0a) continue;
			const char = code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code);
			for (const shown of [sanitize(char), sanitizeLine(char)]) {
				if (!printableAscii.test(shown) && !MARKS.includes(shown)) wrong.push(`${hex(code)} as ${JSON.stringify(shown)}`);
			}
		}

		expect(wrong.slice(0, 10)).toEqual([]);
	});

	it('the line-break mark and the replacement character take the columns the layout counts', async () => {
		expect(sanitizeLine('\n')).toBe(LINE_BREAK_MARK);
		expect(sanitize('\ud800')).toBe('\ufffd');
		for (const shown of MARKS) {
			expect(textWidth(shown), JSON.stringify(shown)).toBe(await drawnWidth(shown));
		}
	});
});
