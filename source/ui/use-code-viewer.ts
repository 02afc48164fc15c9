// Which code block the full-screen viewer shows, and where it is scrolled
// to: owned here, so ChatScreen only opens it and hands it keys.
import {useMemo, useRef, useState} from 'react';
import type {CodeBlock} from '../text/markup.js';
import {scrollViewer, viewerCommandFor, viewerRows} from './code-viewer.js';
import {VIEWER_TITLE_ROWS} from './CodeViewer.js';
import type {Key} from './keys.js';
import type {Row} from './row.js';
import {useHighlighterLoaded} from './use-highlighter-loaded.js';

type Open = {readonly block: CodeBlock; readonly top: number};

export type CodeViewerControl = {
	/** What is open, with its rows at the screen's width; undefined when the chat is shown. */
	readonly view: (Open & {readonly rows: readonly Row[]}) | undefined;
	readonly open: (block: CodeBlock) => void;
	/** A key while the viewer is open: scrolls or closes it. Other keys do nothing. */
	readonly onKey: (key: Key) => void;
	/** Open now, after the keys so far (`view` is as of the last render). */
	readonly isOpen: () => boolean;
};

export function useCodeViewer(columns: number, rows: number): CodeViewerControl {
	const [open, setOpen] = useState<Open | undefined>(undefined);
	const highlighterLoads = useHighlighterLoaded();
	const block = open?.block;
	const laidOut = useMemo(() => (block ? viewerRows(block, columns) : []), [block, columns, highlighterLoads]);
	// Keys may come several to one render: each must see the row the last one left.
	const latest = useRef({open, total: laidOut.length, height: rows - VIEWER_TITLE_ROWS});
	latest.current = {open, total: laidOut.length, height: rows - VIEWER_TITLE_ROWS};

	const onKey = (key: Key) => {
		const command = viewerCommandFor(key);
		const {open: current, total, height} = latest.current;
		if (command === undefined || current === undefined) return;
		const next = command === 'close' ? undefined : {...current, top: scrollViewer(current.top, command, total, height)};
		latest.current = {...latest.current, open: next};
		setOpen(next);
	};

	return {
		view: open ? {...open, top: Math.min(open.top, Math.max(0, laidOut.length - (rows - VIEWER_TITLE_ROWS))), rows: laidOut} : undefined,
		open: (opened: CodeBlock) => {
			latest.current = {...latest.current, open: {block: opened, top: 0}};
			setOpen({block: opened, top: 0});
		},
		onKey,
		isOpen: () => latest.current.open !== undefined,
	};
}
