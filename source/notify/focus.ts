// Focus reporting (xterm's mode 1004): the terminal says when its window or
// tab gains and loses focus, so a mention you are looking at is not also
// announced on the desktop. The mode is set and reset with the other
// terminal modes (run-tui.tsx, terminal-handoff.ts); a terminal without it
// never reports, and the window counts as focused.

export const FOCUS_REPORTING_ON = '\x1b[?1004h';
export const FOCUS_REPORTING_OFF = '\x1b[?1004l';

/** What the terminal sends, each as one input event of its own. */
const FOCUS_IN = '\x1b[I';
const FOCUS_OUT = '\x1b[O';

/** true: focus came; false: it went; undefined: the input is something else. */
export function focusReport(input: string): boolean | undefined {
	if (input === FOCUS_IN) return true;
	if (input === FOCUS_OUT) return false;
	return undefined;
}
