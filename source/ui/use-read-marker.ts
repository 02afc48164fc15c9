// The read marker of the conversation on screen (state/read-marks.ts): this
// hook says when you look at a conversation (on screen, the terminal
// focused, the view at the bottom) and when you stop, keeps the marks, hands
// those with a seq to the store to keep across runs, and puts the
// "new since you were here" rule in the pane's log (new-marker.ts).
import {useEffect, useMemo, useRef} from 'react';
import {lookedAway, newestPlace, readUpTo, restoredReadMarks, ruleDone, rulePlace, sameStoredMarks, spoke, storedReadMarks, type ReadMarks, type StoredReadMarks} from '../state/read-marks.js';
import {newMarker, withNewMarker, type NewMarker} from './new-marker.js';
import type {EntrySource} from './pane-layout.js';

/** Where the marks of earlier runs come from and go to (cli/read-marks-store.ts). */
export type ReadMarksKeeper = {
	readonly stored: StoredReadMarks;
	save(marks: StoredReadMarks, report: (problem: string) => void): void;
};

export type ReadMarkerOptions = {
	/** The log on screen, read by index: a stable object. */
	readonly logSource: EntrySource;
	/** The log object on screen: changes whenever the log does. */
	readonly log: unknown;
	/** The key of the conversation on screen. */
	readonly room: string;
	readonly scrolledUp: boolean;
	/** The newest message shown from the room log on screen, when the server keeps one. */
	readonly logTop: {readonly epoch: string; readonly seq: number} | undefined;
	readonly focused: boolean;
	readonly keeper?: ReadMarksKeeper;
	/** Says a problem with the keeper's file. */
	readonly report: (problem: string) => void;
};

export type ReadMarkerView = {
	/** The log on screen with the rule in place: a stable object. */
	readonly source: EntrySource;
	readonly marker: NewMarker | undefined;
	/** You sent a message in the conversation on screen. */
	spoke(): void;
};

export function useReadMarker({logSource, log, room, scrolledUp, logTop, focused, keeper, report}: ReadMarkerOptions): ReadMarkerView {
	const epoch = logTop?.epoch;
	const marks = useRef<ReadMarks | undefined>(undefined);
	marks.current ??= restoredReadMarks(keeper?.stored ?? new Map());
	const lastLook = useRef<{room: string; looking: boolean} | undefined>(undefined);
	const looking = focused && !scrolledUp;

	// Kept in render, from what this render shows: the rule must be where it belongs in this very frame.
	let next = marks.current;
	const before = lastLook.current;
	if (before?.looking && (before.room !== room || !looking)) next = lookedAway(next, before.room);
	const newest = looking ? newestPlace(logSource, logTop) : undefined;
	if (newest !== undefined) next = readUpTo(next, room, newest);
	const rule = next.get(room)?.rule;
	// eslint-disable-next-line react-hooks/exhaustive-deps -- `log` stands for the content of logSource, a stable reader
	const place = useMemo(() => rulePlace(logSource, rule, epoch), [logSource, log, rule, epoch]);
	// Nothing new under the rule while you look: it goes, so what comes while you watch gets none.
	if (looking && place.kind === 'nothingNew') next = ruleDone(next, room);
	marks.current = next;
	lastLook.current = {room, looking};

	const latest = useRef({keeper, report});
	latest.current = {keeper, report};
	const saved = useRef<StoredReadMarks | undefined>(undefined);
	useEffect(() => {
		const stored = storedReadMarks(next);
		saved.current ??= latest.current.keeper?.stored ?? new Map();
		if (sameStoredMarks(stored, saved.current)) return;
		saved.current = stored;
		latest.current.keeper?.save(stored, latest.current.report);
	}, [next]);

	const beforeId = place.kind === 'above' ? place.id : undefined;
	const marker = useMemo(() => newMarker(beforeId, Date.now()), [beforeId]);
	const markerRef = useRef(marker);
	markerRef.current = marker;
	const source = useMemo(() => withNewMarker(logSource, () => markerRef.current), [logSource]);
	return {
		source,
		marker,
		spoke() {
			const now = newestPlace(logSource, logTop);
			if (now !== undefined) marks.current = spoke(marks.current!, room, now);
		},
	};
}
