// The "── new since you were here ──" rule above the first message that
// came after you last read the conversation (state/read-marks.ts says
// where): a row the pane shows in the log without the state holding it, so
// the state keeps one owner of the log and the rule goes when the marker does.
import type {LogEntry, SeparatorEntry} from '../state/types.js';
import type {EntrySource} from './pane-layout.js';

export type NewMarker = {
	/** The rule goes above this entry. */
	readonly beforeId: number;
	/** The rule itself: one object per marker, so the pane's layout cache knows it. */
	readonly entry: SeparatorEntry;
};

/** Our own words, never the network's. */
export const NEW_MARKER_TEXT = 'new since you were here';

/** The marker above `beforeId`, or undefined without one. Its id sorts just before that entry's. */
export function newMarker(beforeId: number | undefined, time: number): NewMarker | undefined {
	if (beforeId === undefined) return undefined;
	return {beforeId, entry: {kind: 'separator', id: beforeId - 0.5, time, text: NEW_MARKER_TEXT}};
}

/** `source` with the marker's rule in place, read through `marker()` at each call. */
export function withNewMarker(source: EntrySource, marker: () => NewMarker | undefined): EntrySource {
	/** Where the rule is, or -1 when there is none (or its entry is gone from the log). */
	const ruleAt = (): {at: number; entry: LogEntry} | undefined => {
		const shown = marker();
		if (shown === undefined) return undefined;
		const at = source.indexOf(shown.beforeId);
		return at === -1 ? undefined : {at, entry: shown.entry};
	};
	return {
		get count() {
			return source.count + (ruleAt() === undefined ? 0 : 1);
		},
		at(index) {
			const rule = ruleAt();
			if (rule === undefined || index < rule.at) return source.at(index);
			return index === rule.at ? rule.entry : source.at(index - 1);
		},
		indexOf(id) {
			const rule = ruleAt();
			if (rule === undefined) return source.indexOf(id);
			if (id === rule.entry.id) return rule.at;
			const at = source.indexOf(id);
			return at >= rule.at ? at + 1 : at;
		},
	};
}
