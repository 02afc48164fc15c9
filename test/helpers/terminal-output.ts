// What the client wrote to its terminal holds nothing raw from the network
// (PROTOCOL.md §7): only Ink's own CSI sequences, and no other escape or
// control, bidi or invisible character.
import {expect} from 'vitest';
import type {PtyScreen} from './pty.js';

/** Removes CSI sequences (what Ink itself writes: cursor moves, erase, colours, modes). */
function withoutCsi(output: string): string {
	return output.replaceAll(/\u001B\[[0-?]*[ -/]*[@-~]/g, '');
}

/**
 * What must never reach the terminal: any escape that is not a CSI (OSC
 * titles, hyperlinks and clipboard writes, DCS, APC, PM, SOS), C1 controls,
 * BEL, backspace, carriage return and the other C0 controls but newline,
 * bidi controls, and invisible format characters.
 */
const forbiddenAfterCsi = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/u;

export function expectNothingRaw(screen: PtyScreen): void {
	// The pty turns each newline into CR LF (onlcr); a CR anywhere else is not ours.
	const rest = withoutCsi(screen.output).replaceAll('\r\n', '\n');
	const found = forbiddenAfterCsi.exec(rest);
	expect(found ? `U+${found[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${JSON.stringify(rest.slice(Math.max(0, found.index - 20), found.index + 20))}` : 'nothing').toBe('nothing');
}
