// Lends the terminal to another program (the $EDITOR) and takes it back.
// While lent: Ink's output is held (its frames would draw over the editor),
// stdin is out of raw mode and not read (Node would otherwise read the keys
// meant for the editor), and the main screen, cursor and normal paste mode
// are back. The event loop keeps running, so the connection (and a room
// hosted with --serve) stays alive while you write.

import {FOCUS_REPORTING_OFF, FOCUS_REPORTING_ON} from '../notify/focus.js';
import {MOUSE_REPORTING_OFF, MOUSE_REPORTING_ON} from './mouse.js';

export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H\x1b[2J';
export const LEAVE_ALT_SCREEN = '\x1b[?1049l';
export const BRACKETED_PASTE_ON = '\x1b[?2004h';
export const BRACKETED_PASTE_OFF = '\x1b[?2004l';
export const SHOW_CURSOR = '\x1b[?25h';
export const HIDE_CURSOR = '\x1b[?25l';

/** The input modes the chat sets while it has the terminal, and their resets: bracketed paste, focus reports, and the mouse when asked for. */
export function inputModes(mouse: boolean): {readonly on: string; readonly off: string} {
	return {
		on: BRACKETED_PASTE_ON + FOCUS_REPORTING_ON + (mouse ? MOUSE_REPORTING_ON : ''),
		off: (mouse ? MOUSE_REPORTING_OFF : '') + BRACKETED_PASTE_OFF + FOCUS_REPORTING_OFF,
	};
}

export type TerminalHandoff = {
	/** Runs `use` with the terminal handed over, and takes it back afterwards, however `use` ends. */
	readonly lend: <T>(use: () => Promise<T>) => Promise<T>;
	/** True while the terminal is lent. */
	readonly lent: () => boolean;
};

type ReadHandle = {reading: boolean; readStop(): number; readStart(): number};

/**
 * Node has no public way to stop a TTY stream from reading: pause() and
 * removing listeners still let it read ahead into its buffer, taking the
 * keys typed into the child. Its own backpressure path stops the handle like
 * this (stream_base_commons onStreamRead), so we do the same.
 */
function readHandle(stdin: NodeJS.ReadStream): ReadHandle | undefined {
	const handle = (stdin as unknown as {_handle?: Partial<ReadHandle>})._handle;
	return typeof handle?.readStop === 'function' && typeof handle.readStart === 'function' ? (handle as ReadHandle) : undefined;
}

export type HandoffOptions = {
	readonly stdin: NodeJS.ReadStream;
	/** The real terminal (not the stream given to Ink). */
	readonly stdout: NodeJS.WriteStream;
	readonly alternateScreen: boolean;
	/** Mouse reporting is on ([mouse] wheel), to be off while lent. @default false */
	readonly mouse?: boolean;
};

/** A handoff for `stdin`/`stdout`, and the gated stream Ink must write to. */
export function createTerminalHandoff({stdin, stdout, alternateScreen, mouse = false}: HandoffOptions): {handoff: TerminalHandoff; gate: (inkStream: NodeJS.WriteStream) => NodeJS.WriteStream} {
	let lent = false;
	const modes = inputModes(mouse);

	const gate = (inkStream: NodeJS.WriteStream): NodeJS.WriteStream => {
		const write = (...args: unknown[]) => {
			if (lent) {
				// Held: the frame is redrawn whole when the terminal comes back. Callbacks still run.
				const callback = args.find(arg => typeof arg === 'function') as (() => void) | undefined;
				if (callback) queueMicrotask(callback);
				return true;
			}
			return (inkStream.write as (...a: unknown[]) => boolean)(...args);
		};
		return new Proxy(inkStream, {
			get(target, property) {
				if (property === 'write') return write;
				const value: unknown = Reflect.get(target, property, target);
				return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
			},
		});
	};

	const release = () => {
		stdout.write(modes.off + SHOW_CURSOR + (alternateScreen ? LEAVE_ALT_SCREEN : ''));
		if (stdin.isTTY) stdin.setRawMode(false);
		const handle = readHandle(stdin);
		if (handle?.reading) {
			handle.reading = false;
			handle.readStop();
		}
	};

	const reclaim = () => {
		if (stdin.isTTY) stdin.setRawMode(true);
		const handle = readHandle(stdin);
		if (handle && !handle.reading) {
			handle.reading = true;
			handle.readStart();
		}
		stdout.write((alternateScreen ? ENTER_ALT_SCREEN : '') + modes.on + HIDE_CURSOR);
	};

	const handoff: TerminalHandoff = {
		async lend(use) {
			if (lent) throw new Error('the terminal is already lent');
			lent = true;
			// Lend only once the key that asked for it is handled: Ink's read loop asks the
			// stream for more right after, which would start the handle reading again.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			release();
			try {
				return await use();
			} finally {
				reclaim();
				lent = false;
			}
		},
		lent: () => lent,
	};
	return {handoff, gate};
}
