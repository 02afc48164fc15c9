// One stderr line per connect, rename and exit. Names are already validated
// (letters, digits, _ - .), but an exit reason is the client's free text, and
// stderr is usually a terminal: escape anything that could act as a control
// sequence (PROTOCOL.md §7) and cap its length.

export type ServerLog = {
	connect(name: string, peer: string): void;
	rename(oldname: string, newname: string): void;
	exit(name: string, reason: string): void;
	/** Anything else worth one line (listening, refused connections, errors). */
	note(text: string): void;
};

const REASON_CHARS = 120;
// C0, DEL, C1, bidi overrides and isolates, zero-width and other format characters.
const unsafe = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/gu;

/** Makes untrusted text safe for one log line. */
export function logSafe(text: string, maxChars = REASON_CHARS): string {
	const chars = [...text];
	const cut = chars.length > maxChars ? chars.slice(0, maxChars).join('') + '…' : text;
	return cut.replace(unsafe, char => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`);
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
