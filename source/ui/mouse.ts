// The mouse wheel, when the config file asks for it ([mouse] wheel = true):
// xterm's mouse reporting (mode 1000: presses, releases and the wheel) in
// its SGR encoding (mode 1006: "ESC [ < b ; x ; y M", any column, nothing
// that could be read as typed text). Set and reset with the other terminal
// modes (run-tui.tsx, terminal-handoff.ts). It takes over the terminal's own
// selection, which Shift (Option in macOS Terminal, Fn in iTerm2 by default)
// gets back, so it is opt-in.

export const MOUSE_REPORTING_ON = '\x1b[?1000h\x1b[?1006h';
export const MOUSE_REPORTING_OFF = '\x1b[?1006l\x1b[?1000l';

/** One report: the wheel turned (up: towards older messages), or anything else the mouse did. Columns and rows count from 1. */
export type MouseReport = {readonly kind: 'wheel'; readonly direction: 'up' | 'down'; readonly column: number; readonly row: number} | {readonly kind: 'other'};

/** Shift, Alt and Ctrl add 4, 8 and 16 to the button; the wheel is 64 (up) and 65 (down). */
const MODIFIER_BITS = 4 | 8 | 16;

/** The SGR report in one input event, or undefined when the event is something else. */
export function mouseReport(sequence: string): MouseReport | undefined {
	const match = /^\x1b\[<(\d{1,4});(\d{1,5});(\d{1,5})([Mm])$/.exec(sequence);
	if (!match) return undefined;
	const button = Number(match[1]) & ~MODIFIER_BITS;
	if (match[4] === 'M' && (button === 64 || button === 65)) {
		return {kind: 'wheel', direction: button === 64 ? 'up' : 'down', column: Number(match[2]), row: Number(match[3])};
	}

	return {kind: 'other'};
}

/** Rows one notch of the wheel scrolls, as most terminals and browsers do. */
export const WHEEL_ROWS = 3;

/** Where the parts are on screen: the pane area from the top left, the chat within it, and the sidebar beside it. */
export type WheelArea = {
	readonly paneWidth: number;
	readonly paneHeight: number;
	readonly showSidebar: boolean;
	/** The chat's part of the pane area; the shared file, when shown, has the rest (beside it or below it). */
	readonly chat: {readonly width: number; readonly height: number};
	readonly fileShown: boolean;
};

export type WheelTarget = 'pane' | 'sidebar' | 'file';

/** What the wheel scrolls at a place on screen: the sidebar or the shared file under the pointer, else the messages. */
export function wheelTarget(report: Extract<MouseReport, {kind: 'wheel'}>, area: WheelArea): WheelTarget {
	const inPaneRows = report.row <= area.paneHeight;
	if (area.showSidebar && inPaneRows && report.column > area.paneWidth) return 'sidebar';
	if (area.fileShown && inPaneRows && report.column <= area.paneWidth && (report.column > area.chat.width || report.row > area.chat.height)) return 'file';
	return 'pane';
}
