// What an update of the shared file changed, by lines: the counts the chat
// line shows ("+3 −1 lines") and which lines of the new text the file pane
// marks. jsdiff's Myers diff over arrays of lines, bounded so that two
// unrelated 48 KiB files cannot stall the screen.
import {diffArrays} from 'diff';

export type LineChanges = {
	readonly added: number;
	readonly removed: number;
	/** Indexes (from 0) of the new text's lines that the update added or changed. */
	readonly changed: ReadonlySet<number>;
};

/**
 * Past this many edits the diff gives up and the update counts as a rewrite:
 * every old line removed, every new one added. Far beyond a person's edit.
 */
export const MAX_EDIT_LENGTH = 2000;
/** …or past this many milliseconds: the diff runs on the screen's thread, between frames. */
export const MAX_DIFF_MS = 15;

/** The text's lines; a final newline ends the last line rather than starting an empty one. */
export function splitLines(text: string): string[] {
	if (text === '') return [];
	const lines = text.split('\n');
	if (lines.at(-1) === '') lines.pop();
	return lines;
}

export function lineChanges(before: string, after: string): LineChanges {
	const old = splitLines(before);
	const next = splitLines(after);
	const parts = diffArrays(old, next, {maxEditLength: MAX_EDIT_LENGTH, timeout: MAX_DIFF_MS});
	if (parts === undefined) return {added: next.length, removed: old.length, changed: new Set(next.keys())};
	let added = 0;
	let removed = 0;
	let line = 0;
	const changed = new Set<number>();
	for (const part of parts) {
		if (part.removed) {
			removed += part.count;
			continue;
		}
		if (part.added) {
			added += part.count;
			for (let index = 0; index < part.count; index++) changed.add(line + index);
		}
		line += part.count;
	}
	return {added, removed, changed};
}

/** "+3 −1 lines", as the chat line says it. */
export function changeSummary({added, removed}: Pick<LineChanges, 'added' | 'removed'>): string {
	return `+${added.toLocaleString('en-US')} −${removed.toLocaleString('en-US')} lines`;
}
