import {useStdout} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import type {EventBuffer} from '../client/event-buffer.js';
import type {ChatClient} from '../client/client.js';
import {interpretLine} from '../commands/parse.js';
import {defaultRegistry} from '../commands/registry.js';
import {
	selectEntry,
	selectEntryCount,
	selectEntryIndex,
	selectRoster,
	selectRosterNames,
	selectStatusLine,
	selectUnread,
} from '../state/selectors.js';
import {App} from './App.js';
import {InputLine, inputLineHeight} from './InputLine.js';
import {MessagePane} from './MessagePane.js';
import {Roster, clampRosterOffset} from './Roster.js';
import {StatusBar} from './StatusBar.js';
import {editInput, initialEditorState, type EditorAction, type EditorState} from './input-editor.js';
import type {InputItem} from './input-stream.js';
import {inputView} from './input-view.js';
import {commandForKey, type UiCommand} from './key-bindings.js';
import {chooseLayout} from './layout.js';
import {scrollBy, topAnchor, type EntrySource, type ScrollAnchor} from './pane-layout.js';
import {isBusy} from './status-text.js';
import {useChat} from './use-chat.js';
import {useTerminalInput} from './use-terminal-input.js';
import {useTerminalSize} from './use-terminal-size.js';
import {useTicker} from './use-ticker.js';

export type ChatScreenProps = {
	readonly client: ChatClient;
	/** "host:port" until connected. */
	readonly serverLabel: string;
	/** A warning shown in red at the top of the pane. */
	readonly warning?: string;
	/** Events of a client started before the interface loaded. */
	readonly earlyEvents?: EventBuffer;
	/** Called once when the app should end, with the exit code and an optional line for stderr. */
	readonly onExit: (code: number, message?: string) => void;
	/**
	 * Rows the frame leaves free at the bottom of the terminal. Ink 6.8 clears
	 * the whole terminal on every frame as tall as the terminal (ink.js
	 * onRender, "isFullscreen"), which defeats incremental rendering; one
	 * spare row avoids that. @default 1
	 */
	readonly spareRows?: number;
	/** Size override, for tests (ink-testing-library has no rows). */
	readonly size?: {columns: number; rows: number};
};

const PROMPT = '> ';
const BELL = '\x07';

/** Editor commands that map one to one onto editor actions. */
const editorActions: Partial<Record<UiCommand['type'], EditorAction['type']>> = {
	cursorLeft: 'left',
	cursorRight: 'right',
	cursorHome: 'home',
	cursorEnd: 'end',
	wordLeft: 'wordLeft',
	wordRight: 'wordRight',
	backspace: 'backspace',
	deleteForward: 'delete',
	deleteWordBefore: 'deleteWordBefore',
	killToStart: 'killToStart',
	killToEnd: 'killToEnd',
	historyPrev: 'historyPrev',
	historyNext: 'historyNext',
};

/** The chat, wired: client events to state, keys to the editor and to commands, state to App. */
export function ChatScreen({client, serverLabel, warning, earlyEvents, onExit, spareRows = 1, size: sizeOverride}: ChatScreenProps) {
	const chat = useChat({client, serverLabel, warning, earlyEvents, onExit});
	const {state} = chat;
	const terminal = useTerminalSize();
	const columns = sizeOverride?.columns ?? terminal.columns;
	const rows = Math.max(1, (sizeOverride?.rows ?? terminal.rows) - spareRows);
	const {stdout} = useStdout();

	const [editor, setEditor] = useState<EditorState>(initialEditorState);
	const editorRef = useRef(editor);
	const [anchor, setAnchor] = useState<ScrollAnchor>(undefined);
	const anchorRef = useRef(anchor);
	const [rosterOffset, setRosterOffset] = useState(0);

	const view = inputView(editor, columns - PROMPT.length);
	const layout = chooseLayout(columns, rows, inputLineHeight(view));
	const status = selectStatusLine(state);
	const unread = selectUnread(state);
	const rosterRows = selectRoster(state);
	const ticker = useTicker(isBusy(status), 120);

	// A stable reader of the log; `state.log` is passed as the pane's version.
	const stateRef = useRef(state);
	stateRef.current = state;
	const source = useMemo<EntrySource>(() => ({
		get count() {
			return selectEntryCount(stateRef.current);
		},
		at: index => selectEntry(stateRef.current, index),
		indexOf: id => selectEntryIndex(stateRef.current, id),
	}), []);

	// One bell per message that mentions you (the reducer leaves backlog out of lastMentionId).
	const lastBell = useRef(unread.lastMentionId);
	useEffect(() => {
		if (unread.lastMentionId !== undefined && unread.lastMentionId !== lastBell.current) stdout.write(BELL);
		lastBell.current = unread.lastMentionId;
	}, [unread.lastMentionId, stdout]);

	const setScroll = (next: ScrollAnchor) => {
		const wasUp = anchorRef.current !== undefined;
		anchorRef.current = next;
		setAnchor(next);
		if (wasUp !== (next !== undefined)) {
			chat.dispatch({type: 'scroll', scrolledUp: next !== undefined});
			// Mentions count from the moment the view leaves the bottom: the marker tells them apart.
			chat.dispatch({type: 'mentionsRead'});
		}
	};

	// The anchor entry is gone (/clear, or evicted): follow the bottom again.
	useEffect(() => {
		if (anchor !== undefined && selectEntryIndex(state, anchor.id) === -1) setScroll(undefined);
	});

	const applyEdit = (action: EditorAction) => {
		const result = editInput(editorRef.current, action);
		editorRef.current = result.state;
		setEditor(result.state);
		if (result.submitted === undefined) return;
		const descriptor = interpretLine(result.submitted, {me: stateRef.current.me, roster: selectRosterNames(stateRef.current)});
		if (descriptor) chat.run(descriptor);
		// Sending brings you back to the newest messages.
		if (descriptor?.type === 'send') setScroll(undefined);
	};

	const quit = () => {
		// A second Ctrl-C while leaving does not wait for the server.
		if (chat.quitting()) onExit(130);
		else chat.run({type: 'quit'});
	};

	const runCommand = (command: UiCommand) => {
		// While scrolled, the pane's last row is the "new messages" marker.
		const paneHeight = layout.paneHeight - 1;
		const scroll = (delta: number) => {
			setScroll(scrollBy(source, stateRef.current.me, layout.paneWidth, Math.max(1, paneHeight), anchorRef.current, delta));
		};
		const page = Math.max(1, layout.paneHeight - 2);
		switch (command.type) {
			case 'insert':
				applyEdit({type: 'insert', text: command.text});
				return;
			case 'newline':
				applyEdit({type: 'newline'});
				return;
			case 'submit':
				applyEdit({type: 'submit'});
				return;
			case 'complete':
				applyEdit({type: 'complete', nicks: selectRosterNames(stateRef.current), commands: defaultRegistry.complete('/'), me: stateRef.current.me});
				return;
			case 'scrollPageUp':
				scroll(page);
				return;
			case 'scrollPageDown':
				scroll(-page);
				return;
			case 'scrollLineUp':
				scroll(1);
				return;
			case 'scrollLineDown':
				scroll(-1);
				return;
			case 'scrollTop':
				setScroll(topAnchor(source, stateRef.current.me, layout.paneWidth, Math.max(1, layout.paneHeight - 1)));
				return;
			case 'scrollBottom':
				setScroll(undefined);
				return;
			case 'rosterUp':
				setRosterOffset(offset => clampRosterOffset(offset - 1, selectRosterNames(stateRef.current).length, layout.paneHeight));
				return;
			case 'rosterDown':
				setRosterOffset(offset => clampRosterOffset(offset + 1, selectRosterNames(stateRef.current).length, layout.paneHeight));
				return;
			case 'quit':
				quit();
				return;
			case 'eof':
				if (editorRef.current.text === '') quit();
				else applyEdit({type: 'delete'});
				return;
			default: {
				const type = editorActions[command.type];
				if (type) applyEdit({type} as EditorAction);
			}
		}
	};

	const onInput = (item: InputItem) => {
		if (item.kind === 'paste') {
			applyEdit({type: 'paste', text: item.text});
			return;
		}
		const command = commandForKey(item.key, {inputEmpty: editorRef.current.text === ''});
		if (command) runCommand(command);
	};
	useTerminalInput(onInput);

	return (
		<App
			columns={columns}
			rows={rows}
			inputRows={inputLineHeight(view)}
			pane={(width, height) => (
				<MessagePane source={source} version={state.log} me={state.me} width={width} height={height} anchor={anchor} newMessages={unread.whileScrolled} newMentions={unread.mentions} />
			)}
			roster={(width, height) => <Roster rows={rosterRows} width={width} height={height} offset={rosterOffset} />}
			status={width => <StatusBar status={status} width={width} now={ticker.now} spinnerFrame={ticker.frame} />}
			input={width => <InputLine view={view} width={width} prompt={PROMPT} />}
		/>
	);
}
