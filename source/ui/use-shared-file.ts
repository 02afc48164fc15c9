// The rooms' shared files (one per room, §12): owns what the TUI knows of
// each (its model), whether the pane is shown and where it is scrolled, and
// carries out /file, /share, /edit and /save on the file of the room on
// screen. Each change is said as one chat line, in its own room.
import {writeFile} from 'node:fs/promises';
import {useStdout} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {LOBBY} from '../protocol/rooms.js';
import {conversationKey} from '../state/conversations.js';
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
	readonly pane: {readonly file: FilePaneFile | undefined; readonly top: number; readonly rows: readonly Row[]; readonly inRoom: boolean};
	/** Carries out what a file command asked for. */
	readonly run: (action: FileAction) => void;
	readonly scroll: (command: FileScroll) => void;
};

type Options = {
	readonly client: ChatClient;
	readonly terminal: TerminalHandoff | undefined;
	/** The room on screen; undefined in a direct conversation, which has no file. */
	readonly room: string | undefined;
	/** Says a line in the chat of `room` (undefined: of the conversation on screen). */
	readonly say: (line: FileLine, room?: string) => void;
	/** The pane's size when shown, its title included. */
	readonly width: number;
	readonly height: number;
};

type Models = ReadonlyMap<string, SharedFileModel>;

export function useSharedFile({client, terminal, room, say, width, height}: Options): SharedFileControl {
	// The client may have heard of #lobby's file before this screen started listening.
	const [models, setModels] = useState<Models>(() => new Map([[conversationKey(LOBBY), {...EMPTY_FILE_MODEL, file: client.sharedFileIn(LOBBY)}]]));
	const [shown, setShown] = useState(false);
	const [top, setTop] = useState(0);
	const {write: writeAroundFrame} = useStdout();
	// Events and commands may come several to one render: each must see what the last one left.
	const latest = useRef({models, room, say, terminal, writeAroundFrame});
	latest.current = {...latest.current, room, say, terminal, writeAroundFrame};
	/** A room's model; one not heard of yet starts from what the client knows. */
	const modelOf = (name: string): SharedFileModel => latest.current.models.get(conversationKey(name)) ?? {...EMPTY_FILE_MODEL, file: client.sharedFileIn(name)};
	const setModel = (name: string, next: SharedFileModel) => {
		latest.current.models = new Map(latest.current.models).set(conversationKey(name), next);
		setModels(latest.current.models);
	};

	useEffect(() => {
		const onFile = (event: ChatClientEvents['file']) => {
			// The client noted the change before telling: a room first heard of here starts empty, so the change shows whole.
			const before = latest.current.models.get(conversationKey(event.room)) ?? EMPTY_FILE_MODEL;
			const {model: next, line} = applyFileEvent(before, event);
			setModel(event.room, next);
			if (line) latest.current.say(line, event.room);
			// Refused for a version we have not seen (its event went another way): fetch it, so the pane and /edit see it.
			if (event.kind === 'refused' && event.code === 'conflict' && next.file?.version !== event.version) client.getFile(event.room);
		};

		client.on('file', onFile);
		// What the client heard of #lobby's between the first render and now.
		if (client.sharedFileIn(LOBBY) !== modelOf(LOBBY).file) setModel(LOBBY, {...modelOf(LOBBY), file: client.sharedFileIn(LOBBY)});
		return () => {
			client.off('file', onFile);
		};
	}, [client]);

	// Another room, another file: its pane starts at the top.
	useEffect(() => {
		setTop(0);
	}, [room]);

	const model = room === undefined ? EMPTY_FILE_MODEL : (models.get(conversationKey(room)) ?? {...EMPTY_FILE_MODEL, file: client.sharedFileIn(room)});
	const {file, changed} = model;
	const highlighterLoads = useHighlighterLoaded();
	const block = useMemo(() => (file ? fileBlock(file.name, file.text) : undefined), [file]);
	const paneRows = Math.max(1, height - FILE_PANE_TITLE_ROWS);
	const lineCount = block?.lines.length ?? 0;
	const shownTop = Math.min(top, Math.max(0, lineCount - paneRows));
	const rows = useMemo(() => (block && shown ? filePaneRows(block, changed, width, shownTop, paneRows) : []), [block, changed, width, shown, shownTop, paneRows, highlighterLoads]);

	const upload = (target: string, name: string, text: string, base: number | undefined, baseText: string) => {
		setModel(target, {...modelOf(target), pending: {name, text, base, baseText}});
		client.updateFile(name, text, base, target);
	};

	/** The room on screen, or undefined after saying that a direct conversation has no file. */
	const roomOnScreen = (): string | undefined => {
		const {room: target, say: tell} = latest.current;
		if (target === undefined) tell({kind: 'error', text: 'a direct conversation has no shared file: rooms have one each'});
		return target;
	};

	const edit = async () => {
		const {terminal: lender} = latest.current;
		const target = roomOnScreen();
		if (target === undefined) return;
		const tell = (line: FileLine) => latest.current.say(line, target);
		if (!lender) return tell({kind: 'error', text: 'no terminal to hand to an editor here'});
		if (lender.lent()) return;
		if (!client.sharesFile) return tell({kind: 'error', text: 'this server does not keep a shared file, so there is nothing to edit'});
		const current = modelOf(target);
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
		upload(target, name, outcome.text, base, baseText);
	};

	const save = async (path: string, overwrite: boolean) => {
		const room = roomOnScreen();
		if (room === undefined) return;
		const tell = (line: FileLine) => latest.current.say(line, room);
		const shared = modelOf(room).file;
		if (!shared) return tell({kind: 'error', text: 'there is no shared file to save yet'});
		try {
			// 'wx' fails if the file exists, in the same call that would create it: no check-then-write race.
			await writeFile(path, shared.text, {flag: overwrite ? 'w' : 'wx'});
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'EEXIST') return tell({kind: 'error', text: `${path} exists: /save! ${path} replaces it`});
			return tell({kind: 'error', text: `cannot save to ${path}: ${code === 'EACCES' ? 'permission denied' : code ?? String(error)}`});
		}

		const version = shared.version === undefined ? '' : ` v${shared.version}`;
		tell({kind: 'info', text: `saved ${shownName(shared.name)}${version} (${splitLines(shared.text).length} lines) to ${path}`});
	};

	const run = (action: FileAction) => {
		switch (action.kind) {
			case 'toggle': {
				setShown(was => !was);
				return;
			}

			case 'share': {
				const target = roomOnScreen();
				if (target === undefined) return;
				if (!client.sharesFile) return latest.current.say({kind: 'error', text: 'this server does not keep a shared file'}, target);
				const current = modelOf(target).file;
				upload(target, action.name, action.text, current?.version, current?.text ?? '');
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
		setTop(was => scrollViewer(Math.min(was, Math.max(0, lineCount - paneRows)), scrollCommands[command], lineCount, paneRows));
	};

	const paneFile: FilePaneFile | undefined = file
		? {name: shownName(file.name), lines: splitLines(file.text).length, ...(file.version === undefined ? {} : {version: file.version}), ...(file.user === undefined ? {} : {user: file.user})}
		: undefined;
	return {shown, pane: {file: paneFile, top: shownTop, rows, inRoom: room !== undefined}, run, scroll};
}
