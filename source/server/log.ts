// One stderr line per connect, rename and exit. Names are already validated
// (visible letters, digits, _ - .), but an exit reason is the client's free
// text, and stderr is usually a terminal: escape every unsafe code point
// (PROTOCOL.md §7, defined in text/unsafe.ts) and cap its length.
import {replaceUnsafe} from '../text/unsafe.js';

export type ServerLog = {
	connect(name: string, peer: string): void;
	rename(oldname: string, newname: string): void;
	exit(name: string, reason: string): void;
	/** Anything else worth one line (listening, refused connections, errors). */
	note(text: string): void;
};

const REASON_CHARS = 120;

/** "\u001b" for a BMP code point, "\u{e0001}" beyond it: one escape per code point, as a reader counts. */
function logEscape(char: string): string {
	const code = char.codePointAt(0)!;
	const digits = code.toString(16);
	return code > 0xffff ? `\\u{${digits}}` : `\\u${digits.padStart(4, '0')}`;
}

/**
 * Makes untrusted text safe for one log line. A backslash is doubled first, so
 * a reason that spells out "\u001b" cannot pass for an escaped control.
 */
export function logSafe(text: string, maxChars = REASON_CHARS): string {
	const chars = [...text];
	const cut = chars.length > maxChars ? chars.slice(0, maxChars).join('') + '…' : text;
	return replaceUnsafe(cut.replaceAll('\\', '\\\\'), logEscape);
}

const silent: ServerLog = {connect() {}, rename() {}, exit() {}, note() {}};

export function createServerLog(write: (line: string) => void, quiet: boolean): ServerLog {
	if (quiet) return silent;
	const line = (text: string) => write(`${new Date().toISOString()} ${text}`);
	return {
		connect: (name, peer) => line(`connect ${name} from ${peer}`),
		rename: (oldname, newname) => line(`rename ${oldname} -> ${newname}`),
		exit: (name, reason) => line(`exit ${name} (${logSafe(reason)})`),
		note: text => line(logSafe(text, 500)),
	};
}
