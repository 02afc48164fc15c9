// The config file's [keys] table: command names to keys, written as /help
// shows them ("Ctrl-X Ctrl-E", "Alt-Enter", "PgUp"), read into the binding
// table's own shape. Pure; the names and keys are the binding table's.
import type {KeyName} from '../ui/keys.js';
import {commandHelp, type Binding, type BoundCommand, type Chord, type KeySpec} from '../ui/key-bindings.js';

/** The keys the file gives one command: they replace its default keys. */
export type KeyOverride = {readonly command: BoundCommand; readonly chords: readonly Chord[]};

/** How a command is named in the file: scrollPageUp -> scroll-page-up. */
export const commandFileName = (command: BoundCommand) => command.replaceAll(/[A-Z]/g, letter => '-' + letter.toLowerCase());

export const commandsByFileName = new Map<string, BoundCommand>(
	(Object.keys(commandHelp) as BoundCommand[]).map(command => [commandFileName(command), command]),
);

const baseKeys: Record<string, KeyName> = {
	enter: 'return',
	return: 'return',
	tab: 'tab',
	backspace: 'backspace',
	delete: 'delete',
	del: 'delete',
	esc: 'escape',
	escape: 'escape',
	up: 'up',
	'↑': 'up',
	down: 'down',
	'↓': 'down',
	left: 'left',
	'←': 'left',
	right: 'right',
	'→': 'right',
	home: 'home',
	end: 'end',
	pgup: 'pageup',
	pageup: 'pageup',
	pgdn: 'pagedown',
	pagedown: 'pagedown',
	insert: 'insert',
	ins: 'insert',
	f2: 'f2',
};

/** Ctrl with these letters reaches a program as another key. */
const controlAliases: Record<string, string> = {h: 'Backspace', i: 'Tab', j: 'Enter', m: 'Enter'};

/** One key ("Ctrl-X", "Shift+Tab"), or the problem with it. */
function parseKey(text: string): KeySpec | string {
	const parts = text.split(/(?<=.)[-+](?=.)/u);
	const base = parts.pop()!.toLowerCase();
	const modifiers = new Set<string>();
	for (const part of parts) {
		const modifier = part.toLowerCase();
		const name = modifier === 'control' ? 'ctrl' : modifier === 'meta' || modifier === 'option' ? 'alt' : modifier;
		if (name !== 'ctrl' && name !== 'alt' && name !== 'shift') return `"${part}" in "${text}" is not a modifier; they are Ctrl, Alt and Shift`;
		modifiers.add(name);
	}

	const ctrl = modifiers.has('ctrl') ? {ctrl: true as const} : {};
	const meta = modifiers.has('alt') ? {meta: true as const} : {};
	const shift = modifiers.has('shift') ? {shift: true as const} : {};
	if (/^[a-z]$/.test(base)) {
		if (modifiers.size === 0) return `"${text}" alone types the letter; give it with Ctrl- or Alt-`;
		if (modifiers.has('shift')) return `"${text}": Shift with a letter reaches us as the capital letter; use Ctrl- or Alt-`;
		const alias = controlAliases[base];
		if (modifiers.has('ctrl') && alias !== undefined) return `"${text}" reaches us as ${alias}; bind ${alias} instead`;
		return {name: 'char', letter: base, ...ctrl, ...meta};
	}

	if (/^[0-9]$/.test(base)) {
		// Alt-digit is ESC and the digit; Ctrl or Shift with a digit reaches us as the digit itself, or as some other control, by terminal.
		if (modifiers.size === 0) return `"${text}" alone types the digit; give it with Alt-`;
		if (!modifiers.has('alt') || modifiers.size > 1) return `"${text}": a digit is a key with Alt- only; Ctrl and Shift with a digit reach us as other keys`;
		return {name: 'char', letter: base, meta: true};
	}

	const name = baseKeys[base];
	if (name === undefined) return `"${text}" is not a key this client can bind (letters with Ctrl- or Alt-, digits with Alt-, Enter, Tab, Backspace, Delete, Esc, arrows, Home, End, PgUp, PgDn, Insert, F2)`;
	return {name, ...ctrl, ...meta, ...shift};
}

/**
 * "Ctrl-X Ctrl-E": one key, or two in a row. With `typedKey` (a command that
 * runs only while searching, when letters do not type), one printable
 * character alone is a key too, as typed: "n" is not "N".
 */
export function parseChord(text: string, typedKey = false): Chord | string {
	const trimmed = text.trim();
	const typed = typedKey && [...trimmed].length === 1 && baseKeys[trimmed] === undefined && /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(trimmed);
	if (typed) return [{name: 'text', text: trimmed}];
	const words = trimmed.split(/\s+/u).filter(word => word !== '');
	if (words.length === 0) return 'a key is empty; write it as /help shows it, e.g. "Ctrl-O" or "Alt-Enter"';
	if (words.length > 2) return `"${text}" is more than two keys in a row`;
	const chord: KeySpec[] = [];
	for (const word of words) {
		const spec = parseKey(word);
		if (typeof spec === 'string') return spec;
		chord.push(spec);
	}

	return chord;
}

/**
 * The binding table with the file's keys: each command the file names runs
 * on its keys only, tried before the defaults, so a key taken from another
 * command runs the one the file says.
 */
export function withKeyOverrides(bindings: readonly Binding[], overrides: readonly KeyOverride[]): Binding[] {
	if (overrides.length === 0) return [...bindings];
	const overridden = new Set(overrides.map(override => override.command));
	return [
		...overrides.map(({command, chords}): Binding => ({command, chords})),
		...bindings.filter(binding => !overridden.has(binding.command)),
	];
}
