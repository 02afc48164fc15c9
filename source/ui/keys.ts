// Raw terminal input -> keys. Ink splits stdin into events (one escape
// sequence, or a run of text) but its useInput drops what we need for
// bracketed paste and modifier-aware keys, so we read its events raw and
// decode them here. Pure and tested directly (as Ink's parse-keypress.ts).

export type KeyName =
	| 'return'
	| 'tab'
	| 'backspace'
	| 'delete'
	| 'escape'
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'home'
	| 'end'
	| 'pageup'
	| 'pagedown'
	| 'insert'
	/** F2: shows or hides the shared file. */
	| 'f2'
	| 'pasteStart'
	| 'pasteEnd'
	/** Printable text; see `text`. */
	| 'text'
	/** A letter with Ctrl (see `text` for the letter), or an unknown sequence. */
	| 'char'
	| 'unknown';

export type Key = {
	readonly name: KeyName;
	readonly ctrl: boolean;
	readonly meta: boolean;
	readonly shift: boolean;
	/** The text typed ('text'), or the letter for Ctrl/Alt + letter ('char'). */
	readonly text: string;
	/** The raw sequence. */
	readonly sequence: string;
};

const ESC = '\x1b';

function key(name: KeyName, sequence: string, modifiers: Partial<Pick<Key, 'ctrl' | 'meta' | 'shift' | 'text'>> = {}): Key {
	return {name, ctrl: false, meta: false, shift: false, text: '', sequence, ...modifiers};
}

// Q: F2 as xterm sends it with modifiers (ESC[1;5Q), and as SS3 without (ESC O Q).
const csiFinal: Record<string, KeyName> = {A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Q: 'f2'};
const csiTilde: Record<string, KeyName> = {
	'1': 'home',
	'2': 'insert',
	'3': 'delete',
	'4': 'end',
	'5': 'pageup',
	'6': 'pagedown',
	'7': 'home',
	'8': 'end',
	// rxvt and the VT220 family.
	'12': 'f2',
	'200': 'pasteStart',
	'201': 'pasteEnd',
};

/** xterm modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4). */
function modifiers(parameter: string | undefined): Pick<Key, 'ctrl' | 'meta' | 'shift'> {
	const bits = parameter ? Math.max(0, Number.parseInt(parameter, 10) - 1) : 0;
	return {shift: (bits & 1) !== 0, meta: (bits & 2) !== 0, ctrl: (bits & 4) !== 0};
}

function decodeEscape(sequence: string, body: string, meta: boolean): Key {
	// CSI: ESC [ params final, e.g. ESC[A, ESC[1;5H, ESC[5~, ESC[200~
	const csi = /^\[(\d*)(?:;(\d+))?([A-Za-z~])$/.exec(body);
	if (csi) {
		const [, first, modifier, final] = csi;
		const name = final === '~' ? csiTilde[first ?? ''] : final === 'Z' ? 'tab' : csiFinal[final!];
		if (!name) return key('unknown', sequence);
		const mods = modifiers(modifier);
		return key(name, sequence, {...mods, meta: mods.meta || meta, shift: mods.shift || final === 'Z'});
	}
	// SS3: ESC O A (application cursor mode).
	const ss3 = /^O([A-DHFQ])$/.exec(body);
	if (ss3) return key(csiFinal[ss3[1]!]!, sequence, {meta});
	if (body === '\r' || body === '\n') return key('return', sequence, {meta: true});
	if (body === '\x7f' || body === '\b') return key('backspace', sequence, {meta: true});
	if (body.length === 1 && body >= ' ' && body <= '~') return key('char', sequence, {meta: true, text: body});
	return key('unknown', sequence);
}

/** Decodes one Ink input event (a single key, an escape sequence, or typed text). */
export function decodeKey(sequence: string): Key {
	if (sequence === '\r' || sequence === '\n') return key('return', sequence);
	if (sequence === '\t') return key('tab', sequence);
	if (sequence === '\x7f' || sequence === '\b') return key('backspace', sequence);
	if (sequence === ESC) return key('escape', sequence);
	if (sequence.startsWith(ESC)) {
		// ESC ESC [ A: some terminals send Alt+arrow as an escape in front.
		if (sequence.startsWith(ESC + ESC)) return decodeEscape(sequence, sequence.slice(2), true);
		return decodeEscape(sequence, sequence.slice(1), false);
	}
	if (sequence.length === 1) {
		const code = sequence.charCodeAt(0);
		if (code === 0) return key('char', sequence, {ctrl: true, text: ' '});
		if (code < 0x20) return key('char', sequence, {ctrl: true, text: String.fromCharCode(code + 0x60)});
	}
	return key('text', sequence, {text: sequence});
}
