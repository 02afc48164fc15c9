// The room's shared file on screen: owns what the TUI knows of it (the
// model), whether its pane is shown and where it is scrolled, and carries
// out /file, /share, /edit and /save. Each change is said as one chat line.
import {writeFile} from 'node:fs/promises';
import {useStdout} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import type {ChatClient} from '../client/client.js';
import type {ChatClientEvents} from '../client/events.js';
import type {FileAction} from '../commands/types.js';
import {editFileName} from '../files/edit-file-name.js';
import {splitLines} from '../files/line-changes.js';
import {applyFileEvent, EMPTY_FILE_MODEL, shownName, type FileLine, type SharedFileModel} from '../files/shared-file-model.js';
import {sanitizeLine} from '../text/sanitize.js';
import {scrollViewer} from './code-viewer.js';
import {editInExternalEditor} from './external-editor.js';
import {fileBlock, filePaneRows} from './file-pane.js';
import {FILE_PANE_TITLE_ROWS, type FilePaneFile} from './FilePane.js';
import type {Row} from './row.js';
import type {TerminalHandoff} from './terminal-handoff.js';
import {useHighlighterLoaded} from './use-highlighter-loaded.js';

export type FileScroll = 'fileLineUp' | 'fileLineDown' | 'filePageUp' | 'filePageDown';

const scrollCommands = {fileLineUp: 'lineUp', fileLineDown: 'lineDown', filePageUp: 'pageUp', filePageDown: 'pageDown'} as const satisfies Record<FileScroll, string>;

export type SharedFileControl = {
	readonly shown: boolean;
	readonly pane: {readonly file: FilePaneFile | undefined; readonly top: number; readonly rows: readonly Row[]};
	/** Carries out what a file command asked for. */
	readonly run: (action: FileAction) => void;
	readonly scroll: (command: FileScroll) => void;
};

type Options = {
	readonly client: ChatClient;
	readonly terminal: TerminalHandoff | undefined;
	/** Says a line in the chat. */
	readonly say: (line: FileLine) => void;
	/** The pane's size when shown, its title included. */
	readonly width: number;
	readonly height: number;
};

export function useSharedFile({client, terminal, say, width, height}: Options): SharedFileControl {
	// The client may have heard of the file before this screen started listening.
	const [model, setModel] = useState<SharedFileModel>(() => ({...EMPTY_FILE_MODEL, file: client.sharedFile}));
	const [shown, setShown] = useState(false);
	const [top, setTop] = useState(0);
	const {write: writeAroundFrame} = useStdout();
	// Events and commands may come several to one render: each must see what the last one left.
	const latest = useRef({model, say, terminal, writeAroundFrame});
	latest.current = {...latest.current, say, terminal, writeAroundFrame};
	const setLatest = (next: SharedFileModel) => {
		latest.current.model = next;
		setModel(next);
	};

	useEffect(() => {
		const onFile = (event: ChatClientEvents['file']) => {
			const {model: next, line} = applyFileEvent(latest.current.model, event);
			setLatest(next);
			if (line) latest.current.say(line);
			// Refused for a version we have not seen (its event went another way): fetch it, so the pane and /edit see it.
			if (event.kind === 'refused' && event.code === 'conflict' && next.file?.version !== event.version) client.getFile();
		};

		client.on('file', onFile);
		// What the client heard between the first render and now.
		if (client.sharedFile !== latest.current.model.file) setLatest({...latest.current.model, file: client.sharedFile});
		return () => {
			client.off('file', onFile);
		};
	}, [client]);

	const {file, changed} = model;
	const highlighterLoads = useHighlighterLoaded();
	const block = useMemo(() => (file ? fileBlock(file.name, file.text) : undefined), [file]);
	const room = Math.max(1, height - FILE_PANE_TITLE_ROWS);
	const lineCount = block?.lines.length ?? 0;
	const shownTop = Math.min(top, Math.max(0, lineCount - room));
	const rows = useMemo(() => (block && shown ? filePaneRows(block, changed, width, shownTop, room) : []), [block, changed, width, shown, shownTop, room, highlighterLoads]);

	const upload = (name: string, text: string, base: number | undefined, baseText: string) => {
		setLatest({...latest.current.model, pending: {name, text, base, baseText}});
		client.updateFile(name, text, base);
	};

	const edit = async () => {
		const {terminal: lender, model: current, say: tell} = latest.current;
		if (!lender) return tell({kind: 'error', text: 'no terminal to hand to an editor here'});
		if (lender.lent()) return;
		if (!client.sharesFile) return tell({kind: 'error', text: 'this server does not keep a shared file, so there is nothing to edit'});
		const shared = current.file;
		// After a conflict, your refused copy is what you go on editing; the base is the version now there.
		const start = current.kept?.text ?? shared?.text ?? '';
		const name = current.kept?.name ?? shared?.name ?? '';
		const base = shared?.version;
		const baseText = shared?.text ?? '';
		if (client.dialect === '2015') tell({kind: 'info', text: 'this server keeps no versions: your edit replaces the file, even if someone changes it while you edit'});
		const outcome = await lender.lend(async () => editInExternalEditor(start, {fileName: editFileName(name)}));
		// The screen was the editor's: Ink clears what it drew and draws the whole frame again.
		latest.current.writeAroundFrame('');
		if (!outcome.ok) return tell({kind: 'error', text: sanitizeLine(outcome.why.replace('the draft is unchanged', 'the shared file is unchanged'))});
		if (outcome.text === baseText && current.kept === undefined) return tell({kind: 'info', text: `no change to ${shownName(name)}: nothing uploaded`});
		upload(name, outcome.text, base, baseText);
	};

	const save = async (target: string, overwrite: boolean) => {
		const {model: current, say: tell} = latest.current;
		const shared = current.file;
		if (!shared) return tell({kind: 'error', text: 'there is no shared file to save yet'});
		try {
			// 'wx' fails if the file exists, in the same call that would create it: no check-then-write race.
			await writeFile(target, shared.text, {flag: overwrite ? 'w' : 'wx'});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EEXIST') return tell({kind: 'error', text: `${target} exists: /save! ${target} replaces it`});
			return tell({kind: 'error', text: `cannot save to ${target}: ${code === 'EACCES' ? 'permission denied' : code ?? String(error)}`});
		}

		const version = shared.version === undefined ? '' : ` v${shared.version}`;
		tell({kind: 'info', text: `saved ${shownName(shared.name)}${version} (${splitLines(shared.text).length} lines) to ${target}`});
	};

	const run = (action: FileAction) => {
		const {say: tell} = latest.current;
		switch (action.kind) {
			case 'toggle': {
				setShown(was => !was);
				return;
			}

			case 'share': {
				if (!client.sharesFile) return tell({kind: 'error', text: 'this server does not keep a shared file'});
				const current = latest.current.model.file;
				upload(action.name, action.text, current?.version, current?.text ?? '');
				return;
			}

			case 'edit': {
				void edit();
				return;
			}

			case 'save': {
				void save(action.path, action.overwrite);
				return;
			}

			default: {
				const unknown: never = action;
				throw new Error(`unknown file action ${JSON.stringify(unknown)}`);
			}
		}
	};

	const scroll = (command: FileScroll) => {
		setTop(was => scrollViewer(Math.min(was, Math.max(0, lineCount - room)), scrollCommands[command], lineCount, room));
	};

	const paneFile: FilePaneFile | undefined = file
		? {name: shownName(file.name), lines: splitLines(file.text).length, ...(file.version === undefined ? {} : {version: file.version}), ...(file.user === undefined ? {} : {user: file.user})}
		: undefined;
	return {shown, pane: {file: paneFile, top: shownTop, rows}, run, scroll};
}
