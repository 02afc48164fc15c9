// Keys -> named UI commands, as data: one table feeds the key dispatch and
// the key list in /help, so what /help says is what the keys do.
import type {KeyHelpLine} from '../commands/types.js';
import type {Key, KeyName} from './keys.js';

/** Every command a key can run, with what /help says it does. The type checker keeps this complete. */
export const commandHelp = {
	submit: 'send the message',
	newline: 'new line inside the message',
	openEditor: 'edit the message in $VISUAL or $EDITOR (it comes back unsent)',
	unfold: 'show a long paste folded to "[pasted N lines]"',
	openCodeViewer: 'show the code block in view full screen (the lowest cut one); ↑/↓, PgUp/PgDn, Home/End scroll, q or Esc closes',
	complete: 'complete a name or /command; again for the next one',
	completeBackwards: 'the same, cycling backwards',
	cursorLeft: 'cursor left',
	cursorRight: 'cursor right',
	cursorHome: 'start of the line',
	cursorEnd: 'end of the line',
	wordLeft: 'word left',
	wordRight: 'word right',
	rowUp: 'up a line of the message; from its first line, what you sent before',
	rowDown: 'down a line of the message; from its last line, back towards your draft',
	historyPrev: 'what you sent before',
	historyNext: 'back towards your draft',
	backspace: 'delete the character before the cursor',
	deleteForward: 'delete the character under the cursor',
	deleteWordBefore: 'delete the word before the cursor',
	killToStart: 'delete to the start of the line',
	killToEnd: 'delete to the end of the line',
	scrollPageUp: 'scroll the messages up a page',
	scrollPageDown: 'scroll the messages down a page',
	scrollLineUp: 'scroll the messages up a line',
	scrollLineDown: 'scroll the messages down a line',
	scrollTop: 'to the oldest message',
	scrollBottom: 'to the newest message',
	rosterUp: 'scroll the user list up',
	rosterDown: 'scroll the user list down',
	toggleFilePane: 'show or hide the room\'s shared file (/file)',
	fileLineUp: 'scroll the shared file up a line',
	fileLineDown: 'scroll the shared file down a line',
	filePageUp: 'scroll the shared file up a page',
	filePageDown: 'scroll the shared file down a page',
	roomNext: 'the next conversation in the list (rooms, then direct ones)',
	roomPrevious: 'the previous conversation in the list',
	roomByNumber: 'the conversation with that number in the list',
	openSwitcher: 'switch conversation by name: type part of it, Enter; Esc cancels',
	search: 'search as you type (again: older); Enter stays, Esc goes back',
	searchOlder: 'while searching: an older match',
	searchNewer: 'while searching: a newer match',
	interrupt: 'clear the draft; on an empty line, leave',
	eof: 'leave on an empty line; else delete under the cursor',
} as const satisfies Record<string, string>;

export type BoundCommand = keyof typeof commandHelp;

export type UiCommand =
	/** Typed text. */
	| {type: 'insert'; text: string}
	/** Alt-1…9: the conversation numbered so in the list, from 1. */
	| {type: 'roomByNumber'; number: number}
	| {type: Exclude<BoundCommand, 'roomByNumber'>};

export type BindingContext = {
	/** Home/End scroll the pane when there is nothing to edit. */
	readonly inputEmpty: boolean;
	/** A search is open (/search, Ctrl-R): its keys are tried first. @default false */
	readonly searching?: boolean;
};

/** Commands that run only while a search is open; their keys do their usual work otherwise. */
const searchOnly: ReadonlySet<BoundCommand> = new Set<BoundCommand>(['searchOlder', 'searchNewer']);

/** Whether `command` runs only while a search is open, so that a plain letter may be its key (n, N). */
export const isSearchOnly = (command: BoundCommand): boolean => searchOnly.has(command);

/** One key of a binding; modifiers not named must be off. `letter` for Ctrl/Alt + letter. */
export type KeySpec = {
	readonly name: KeyName;
	readonly ctrl?: true;
	readonly meta?: true;
	readonly shift?: true;
	readonly letter?: string;
	/** A printable key (name 'text'), matched as typed: "n" is not "N". Only a search-only command has one, since typing takes them otherwise. */
	readonly text?: string;
};

/** A key, or two in a row (Ctrl-X Ctrl-E). */
export type Chord = readonly KeySpec[];

export type Binding = {
	readonly command: BoundCommand;
	readonly chords: readonly Chord[];
	/** Only on an empty input line. */
	readonly onlyWhenEmpty?: true;
	/** What /help calls the keys, when listing each would say less ("Alt-1…9"). */
	readonly label?: string;
};

const plain = (name: KeyName): Chord => [{name}];
const ctrl = (letter: string): Chord => [{name: 'char', ctrl: true, letter}];
const alt = (letter: string): Chord => [{name: 'char', meta: true, letter}];
const withCtrl = (name: KeyName): Chord => [{name, ctrl: true}];
const withAlt = (name: KeyName): Chord => [{name, meta: true}];
const withShift = (name: KeyName): Chord => [{name, shift: true}];
const typed = (text: string): Chord => [{name: 'text', text}];

/**
 * The bindings, in the order they are tried (the first that matches wins)
 * and listed. Ctrl-H, -I, -J and -M arrive as Backspace, Tab and Enter.
 *
 * Home/End: with Ctrl always the ends of the message pane; without Ctrl the
 * ends of the line, unless the line is empty, when they scroll the pane, so
 * that neither use is lost.
 */
export const keyBindings: readonly Binding[] = [
	{command: 'submit', chords: [plain('return')]},
	{command: 'newline', chords: [withAlt('return')]},
	{command: 'openEditor', chords: [[...ctrl('x'), ...ctrl('e')]]},
	{command: 'unfold', chords: [ctrl('o')]},
	// Alt-V too: some terminals (Windows Terminal, VS Code's) take Ctrl-V for paste.
	{command: 'openCodeViewer', chords: [ctrl('v'), alt('v')]},
	{command: 'complete', chords: [plain('tab')]},
	{command: 'completeBackwards', chords: [withShift('tab')]},
	{command: 'cursorLeft', chords: [plain('left'), ctrl('b')]},
	{command: 'cursorRight', chords: [plain('right'), ctrl('f')]},
	// Alt-←/→ switch conversations, as in irssi and WeeChat; Ctrl-←/→ and Alt-B/F still move by words.
	{command: 'wordLeft', chords: [withCtrl('left'), alt('b')]},
	{command: 'wordRight', chords: [withCtrl('right'), alt('f')]},
	{command: 'scrollTop', chords: [withCtrl('home')]},
	{command: 'scrollTop', chords: [plain('home')], onlyWhenEmpty: true},
	{command: 'scrollBottom', chords: [withCtrl('end'), plain('escape')]},
	{command: 'scrollBottom', chords: [plain('end')], onlyWhenEmpty: true},
	{command: 'cursorHome', chords: [plain('home'), ctrl('a')]},
	{command: 'cursorEnd', chords: [plain('end'), ctrl('e')]},
	{command: 'rowUp', chords: [plain('up')]},
	{command: 'rowDown', chords: [plain('down')]},
	{command: 'historyPrev', chords: [ctrl('p')]},
	{command: 'historyNext', chords: [ctrl('n')]},
	{command: 'backspace', chords: [plain('backspace')]},
	{command: 'deleteForward', chords: [plain('delete')]},
	{command: 'deleteWordBefore', chords: [ctrl('w'), withAlt('backspace')]},
	{command: 'killToStart', chords: [ctrl('u')]},
	{command: 'killToEnd', chords: [ctrl('k'), alt('d')]},
	{command: 'scrollPageUp', chords: [plain('pageup')]},
	{command: 'scrollPageDown', chords: [plain('pagedown')]},
	{command: 'scrollLineUp', chords: [withShift('up')]},
	{command: 'scrollLineDown', chords: [withShift('down')]},
	{command: 'rosterUp', chords: [withCtrl('up')]},
	{command: 'rosterDown', chords: [withCtrl('down')]},
	{command: 'toggleFilePane', chords: [plain('f2')]},
	{command: 'fileLineUp', chords: [withAlt('up')]},
	{command: 'fileLineDown', chords: [withAlt('down')]},
	{command: 'filePageUp', chords: [withAlt('pageup')]},
	{command: 'filePageDown', chords: [withAlt('pagedown')]},
	{command: 'roomNext', chords: [withAlt('right'), withCtrl('pagedown')]},
	{command: 'roomPrevious', chords: [withAlt('left'), withCtrl('pageup')]},
	{command: 'roomByNumber', chords: ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map(alt), label: 'Alt-1…9'},
	// Ctrl-G, as the switcher's key in senpai; Ctrl-K stays "delete to the end of the line".
	{command: 'openSwitcher', chords: [ctrl('g')]},
	// Ctrl-R as in bash and readline; n/N as in less (the search runs back in time, as less's "?" does).
	{command: 'search', chords: [ctrl('r')]},
	{command: 'searchOlder', chords: [plain('up'), typed('n')]},
	{command: 'searchNewer', chords: [plain('down'), typed('N')]},
	{command: 'interrupt', chords: [ctrl('c')]},
	{command: 'eof', chords: [ctrl('d')]},
];

function matches(spec: KeySpec, key: Key): boolean {
	if (spec.name !== key.name) return false;
	if (Boolean(spec.ctrl) !== key.ctrl || Boolean(spec.meta) !== key.meta || Boolean(spec.shift) !== key.shift) return false;
	if (spec.text !== undefined) return spec.text === key.text;
	return spec.letter === undefined || spec.letter === key.text.toLowerCase();
}

/**
 * The command a binding runs; room-by-number's keys are numbered by their
 * place in its list (the default Alt-1…9 are in order, and a list the config
 * file gives, say Alt-Q Alt-W…, counts the same way).
 */
function commandOf(command: BoundCommand, chordIndex: number): UiCommand {
	return command === 'roomByNumber' ? {type: command, number: chordIndex + 1} : {type: command};
}

export type KeyOutcome =
	| {kind: 'command'; command: UiCommand}
	/** The keys so far start a chord: keep them and wait for the next. */
	| {kind: 'prefix'}
	| {kind: 'none'};

/**
 * What `keys` (the keys held from an unfinished chord, then the new one) run.
 * Pure: the caller keeps the held keys while the outcome is 'prefix'.
 */
export function commandForKeys(keys: readonly Key[], context: BindingContext, bindings: readonly Binding[] = keyBindings): KeyOutcome {
	const last = keys.at(-1);
	if (last === undefined) return {kind: 'none'};
	const typedText = keys.length === 1 && last.name === 'text';
	let prefix = false;
	// While searching its keys come first (↑ is the older match, not the line above); else they are skipped.
	const tried = context.searching ? [...bindings.filter(binding => searchOnly.has(binding.command)), ...bindings] : bindings;
	for (const binding of tried) {
		if (binding.onlyWhenEmpty && !context.inputEmpty) continue;
		if (searchOnly.has(binding.command) && !context.searching) continue;
		for (const [chordIndex, chord] of binding.chords.entries()) {
			if (chord.length < keys.length || !keys.every((key, index) => matches(chord[index]!, key))) continue;
			if (chord.length === keys.length) return {kind: 'command', command: commandOf(binding.command, chordIndex)};
			prefix = true;
		}
	}
	if (typedText) return {kind: 'command', command: {type: 'insert', text: last.text}};
	return prefix ? {kind: 'prefix'} : {kind: 'none'};
}

/** The command one key runs on its own, or undefined. */
export function commandForKey(key: Key, context: BindingContext): UiCommand | undefined {
	const outcome = commandForKeys([key], context);
	return outcome.kind === 'command' ? outcome.command : undefined;
}

const keyNames: Partial<Record<KeyName, string>> = {
	return: 'Enter',
	tab: 'Tab',
	backspace: 'Backspace',
	delete: 'Delete',
	escape: 'Esc',
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	home: 'Home',
	end: 'End',
	pageup: 'PgUp',
	pagedown: 'PgDn',
	f2: 'F2',
};

/** How a person writes a chord: "Ctrl-X Ctrl-E", "Shift-Tab", "Alt-Enter". */
export function chordLabel(chord: Chord): string {
	return chord
		.map(spec => {
			const base = spec.text ?? spec.letter?.toUpperCase() ?? keyNames[spec.name] ?? spec.name;
			return (spec.ctrl ? 'Ctrl-' : '') + (spec.meta ? 'Alt-' : '') + (spec.shift ? 'Shift-' : '') + base;
		})
		.join(' ');
}

/** The keys that run `command` (without the empty-line variants), e.g. "Ctrl-O". */
export function keysFor(command: BoundCommand, bindings: readonly Binding[] = keyBindings): string {
	const binding = bindings.find(entry => entry.command === command && !entry.onlyWhenEmpty) ?? bindings.find(entry => entry.command === command);
	return binding ? binding.chords.map(chordLabel).join(', ') : '';
}

/** The first key that runs `command`, for a hint on screen ("Ctrl-V"). */
export function primaryKeyFor(command: BoundCommand, bindings: readonly Binding[] = keyBindings): string {
	const chord = bindings.find(entry => entry.command === command && !entry.onlyWhenEmpty)?.chords[0];
	return chord ? chordLabel(chord) : '';
}

/**
 * Two commands' first keys as one hint: "Alt-↑/↓" when they differ only in
 * `one`/`other` (as the defaults do), else "Ctrl-P/Ctrl-N".
 */
export function keyPairLabel(first: BoundCommand, second: BoundCommand, one: string, other: string, bindings: readonly Binding[] = keyBindings): string {
	const a = primaryKeyFor(first, bindings);
	const b = primaryKeyFor(second, bindings);
	return a.includes(one) && a.replace(one, other) === b ? a.replace(one, `${one}/${other}`) : `${a}/${b}`;
}

/** One line per command for /help, in table order, with every key that runs it. */
export function keyHelp(bindings: readonly Binding[] = keyBindings): KeyHelpLine[] {
	const byCommand = new Map<BoundCommand, string[]>();
	for (const binding of bindings) {
		const labels = binding.label === undefined ? binding.chords.map(chord => chordLabel(chord) + (binding.onlyWhenEmpty ? ' (empty line)' : '')) : [binding.label];
		byCommand.set(binding.command, [...(byCommand.get(binding.command) ?? []), ...labels]);
	}
	// In the default table's order, so a command given other keys by the config file keeps its place.
	const place = (command: BoundCommand) => keyBindings.findIndex(binding => binding.command === command);
	return [...byCommand].sort(([a], [b]) => place(a) - place(b)).map(([command, labels]) => ({keys: labels.join(', '), does: commandHelp[command]}));
}
