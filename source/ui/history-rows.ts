// The pane's rows for the room log's own entries: the rule under the
// backlog, and "loading…" above the oldest message while an older page
// comes, and the date where the day changes. Kept apart from pane-layout.ts, which lays out what people said.
import {LOADING_TEXT} from '../state/history-lines.js';
import type {Row} from './pane-layout.js';
import {textWidth, truncate} from '../text/wrap.js';
import {formatDate} from './pane-look.js';

/** "── 50 earlier messages above ─────": the text is ours, never from the network. */
export function separatorRows(text: string, width: number): Row[] {
	const label = truncate(`── ${text} `, Math.max(1, width));
	return [[{text: label + '─'.repeat(Math.max(0, width - textWidth(label))), dim: true}]];
}

export function loadingRows(width: number): Row[] {
	return [[{text: truncate(LOADING_TEXT, Math.max(1, width)), dim: true}]];
}

/** "— Tuesday 1 December 2026 —", dim, where the day changes: our own words. */
export function dateRows(time: number, width: number): Row[] {
	return [[{text: truncate(`— ${formatDate(time)} —`, Math.max(1, width)), dim: true}]];
}
