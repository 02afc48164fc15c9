import {useEffect, useMemo, useRef, useState} from 'react';
import type {EventBuffer} from '../client/event-buffer.js';
import type {ChatClient} from '../client/client.js';
import type {CommandDescriptor} from '../commands/types.js';
import {interpretLine} from '../commands/parse.js';
import {defaultRegistry} from '../commands/registry.js';
import {nameKey} from '../protocol/limits.js';
import {
	selectConversations,
	selectCurrentConversation,
	selectEntry,
	selectEntryCount,
	selectEntryIndex,
	selectLog,
	selectReadView,
	selectRoster,
	selectRosterNames,
	selectStatusLine,
	selectUnread,
} from '../state/selectors.js';
import {App} from './App.js';
import {CodeViewer} from './CodeViewer.js';
import {FILE_RULE_COLUMNS, splitPane} from './file-pane.js';
import {FilePane} from './FilePane.js';
import {InputLine, inputLineHeight} from './InputLine.js';
import {MessagePane} from './MessagePane.js';
import {PasswordPrompt, passwordPromptHeight} from './PasswordPrompt.js';
import {clampRosterOffset} from './Roster.js';
import {QuickSwitcher, quickSwitcherHeight} from './QuickSwitcher.js';
import {Sidebar, memberListHeight} from './Sidebar.js';
import {StatusBar} from './StatusBar.js';
import {numberedName, unreadElsewhere} from './conversation-list.js';
import {switcherMatches} from './switcher.js';
import {useQuickSwitcher} from './use-quick-switcher.js';
import {useConversationViews} from './use-conversation-views.js';
import {useReadMarker} from './use-read-marker.js';
import {useTerminalFocus} from './use-terminal-focus.js';
import {useTerminalTitle} from './use-terminal-title.js';
import type {EditorAction} from './input-editor.js';
import type {InputItem} from './input-stream.js';
import {decodeKey} from './keys.js';
import {graphemes} from '../text/graphemes.js';
import {WHEEL_ROWS, wheelTarget, type MouseReport} from './mouse.js';
import {textColumns} from './input-view.js';
import {keyHelp, keyPairLabel, keysFor, primaryKeyFor, type BoundCommand, type UiCommand} from './key-bindings.js';
import {useScreenLook} from './use-screen-look.js';
import {chooseLayout} from './layout.js';
import {nicksByRecency} from './nick-order.js';
import {codeBlockInView, scrollBy, topAnchor, visibleRows, type EntrySource} from './pane-layout.js';
import {isBusy} from './status-text.js';
import type {TerminalHandoff} from './terminal-handoff.js';
import {useChat} from './use-chat.js';
import {useCodeViewer} from './use-code-viewer.js';
import {useExternalEditor} from './use-external-editor.js';
import {Box} from 'ink';
import {selectSearchMatches} from '../state/search.js';
import {searchNothingFound, searchStatus} from './search-session.js';
import {SearchPrompt} from './SearchPrompt.js';
import {useSearch} from './use-search.js';
import {useInputEditor} from './use-input-editor.js';
import {useKeyChords} from './use-key-chords.js';
import {useLeaveGuard} from './use-leave-guard.js';
import {newestAlert} from '../notify/newest-alert.js';
import type {ScreenSettings} from './screen-settings.js';
import {useNotifications} from './use-notifications.js';
import {usePasswordDialogue} from './use-password-dialogue.js';
import {useScrollAnchor} from './use-scroll-anchor.js';
import {useSharedFile} from './use-shared-file.js';
import {useTerminalInput} from './use-terminal-input.js';
import {useTerminalSize} from './use-terminal-size.js';
import {useTicker} from './use-ticker.js';
import {useTypeAhead} from './use-type-ahead.js';

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
	/** This process hosts the room (--serve): leaving closes it for the others, so it asks first. @default false */
	readonly hosting?: boolean;
	/** Lends the terminal to $EDITOR; without it, Ctrl-X Ctrl-E says it cannot. */
	readonly terminal?: TerminalHandoff;
	readonly settings?: ScreenSettings;
};

const PROMPT = '> ';

/** Editor commands that map one to one onto editor actions. */
const editorActions = {
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
	newline: 'newline',
	unfold: 'unfold',
} as const satisfies Partial<Record<BoundCommand, EditorAction['type']>>;

/** What the keys may still do while a search is open, besides its own: move the view. */
const whileSearching: ReadonlySet<UiCommand['type']> = new Set<UiCommand['type']>(['scrollPageUp', 'scrollPageDown', 'scrollLineUp', 'scrollLineDown', 'scrollTop', 'scrollBottom']);

type EditorCommand = keyof typeof editorActions;
const isEditorCommand = (type: UiCommand['type']): type is EditorCommand => Object.hasOwn(editorActions, type);

/** The chat, wired: client events to state, keys to the editor and to commands, state to App. */
export function ChatScreen({client, serverLabel, warning, earlyEvents, onExit, spareRows = 1, size: sizeOverride, hosting = false, terminal, settings}: ChatScreenProps) {
	const dialogue = usePasswordDialogue();
	const chat = useChat({
		client,
		serverLabel,
		warning,
		earlyEvents,
		onExit,
		highlights: settings?.highlights,
		...(settings?.quietJoins === undefined ? {} : {quietJoins: settings.quietJoins}),
		...(settings?.ignore ? {ignore: settings.ignore} : {}),
		...(settings?.readMarks ? {readSince: settings.readMarks.stored} : {}),
		onPasswordNeeded(notice) {
			// The server closes a connection that waits too long for its password, and the next one
			// asks again: a prompt still open keeps what was typed, and its answer goes to the new connection.
			if (dialogue.current?.purpose === 'login') return;
			dialogue.open({
				purpose: 'login',
				name: client.user,
				notice,
				onDone(answer) {
					if (answer.purpose === 'login') client.logIn(answer.password);
				},
				// No password, no login: leave, as ssh does when its prompt is cancelled.
				onCancel: () => chat.run({type: 'quit'}),
			});
		},
	});
	const {state} = chat;
	const {bindings, look} = useScreenLook(settings);
	const terminalSize = useTerminalSize();
	const columns = sizeOverride?.columns ?? terminalSize.columns;
	const rows = Math.max(1, (sizeOverride?.rows ?? terminalSize.rows) - spareRows);
	const input = useInputEditor();
	const typeAhead = useTypeAhead();
	const [rosterOffset, setRosterOffset] = useState(0);
	const viewer = useCodeViewer(columns, rows);

	// A stable reader of the log on screen; the log (and the "N new" rule) is passed as the pane's version.
	const stateRef = useRef(state);
	stateRef.current = state;
	const logSource = useMemo<EntrySource>(() => ({
		get count() {
			return selectEntryCount(stateRef.current);
		},
		at: index => selectEntry(stateRef.current, index),
		indexOf: id => selectEntryIndex(stateRef.current, id),
	}), []);
	const conversations = selectConversations(state);
	const focused = useTerminalFocus();
	const readView = selectReadView(state);
	const readMarker = useReadMarker({
		logSource,
		log: selectLog(state),
		room: state.room,
		scrolledUp: readView.scrolledUp,
		logTop: readView.logTop,
		focused,
		keeper: settings?.readMarks,
		report: text => chat.dispatch({type: 'error', text, time: Date.now()}),
	});
	const {source, marker} = readMarker;
	const paneVersion = useMemo(() => ({log: selectLog(state), marker}), [selectLog(state), marker]);
	const scroll = useScrollAnchor(source, selectLog(state), scrolledUp => chat.dispatch({type: 'scroll', scrolledUp}));
	useConversationViews(state.room, input, scroll);
	// Another conversation, other members: their list starts at the top.
	useEffect(() => {
		setRosterOffset(0);
	}, [state.room]);
	const shownConversation = selectCurrentConversation(state);
	// A server without rooms has one room: no list, no room in the status bar.
	const manyConversations = client.supports('rooms') || conversations.length > 1;
	const elsewhere = unreadElsewhere(conversations);
	// With one conversation open nothing is elsewhere: the title is left as the terminal had it.
	useTerminalTitle(elsewhere.unread, elsewhere.mentions, conversations.length > 1);

	// The input box grows with its draft up to a third of the screen, then scrolls inside itself.
	const maxInputRows = Math.max(1, Math.floor(rows / 3));
	const view = input.view({columns, maxRows: maxInputRows, prompt: PROMPT, unfoldKey: keysFor('unfold', bindings)});
	/** The conversation with this name on screen. */
	const showConversation = (name: string | undefined) => {
		if (name === undefined) return;
		chat.dispatch({type: 'switchConversation', conversation: name});
		typeAhead.hold();
	};
	const switcher = useQuickSwitcher(() => selectConversations(stateRef.current), name => showConversation(name));
	const switcherOpen = switcher.current();
	const switcherMatchesNow = switcherOpen === undefined ? [] : switcherMatches(conversations, switcherOpen.query);
	const search = useSearch({
		state: () => stateRef.current,
		log: selectLog(state),
		room: state.room,
		anchor: () => scroll.current(),
		restore: anchor => scroll.set(anchor),
		// The match about the middle of the pane, with what was said around it.
		reveal(id) {
			const paneHeight = Math.max(1, layout.paneHeight - 1);
			scroll.set(scrollBy(source, stateRef.current.me, layout.paneWidth, paneHeight, {id, hiddenBelow: 0}, -Math.floor(paneHeight / 2), look));
		},
		loadOlder: () => chat.loadOlder(),
	});
	const searchOpen = search.current();
	const inputRows = dialogue.current ? passwordPromptHeight(dialogue.current) : switcherOpen ? quickSwitcherHeight(switcherMatchesNow.length) : searchOpen ? 1 : inputLineHeight(view);
	const screenLayout = chooseLayout(columns, rows, inputRows);
	const sharedFile = useSharedFile({
		client,
		terminal,
		room: shownConversation.kind === 'room' ? shownConversation.name : undefined,
		say: (line, room) => chat.dispatch({type: line.kind, ...(room === undefined ? {} : {conversation: room}), text: line.text, time: Date.now()}),
		...(splitPane(screenLayout.paneWidth, screenLayout.paneHeight, true).file ?? {width: screenLayout.paneWidth, height: screenLayout.paneHeight}),
	});
	const split = splitPane(screenLayout.paneWidth, screenLayout.paneHeight, sharedFile.shown);
	// The chat's part of the pane area: what scrolling and the code viewer measure.
	const layout = {...screenLayout, paneWidth: split.chat.width, paneHeight: Math.max(1, split.chat.height)};
	const status = selectStatusLine(state);
	const unread = selectUnread(state);
	const rosterRows = selectRoster(state);
	const ticker = useTicker(isBusy(status), 120);

	useNotifications(newestAlert(state), state.room, focused, settings?.notify);

	const leaving = useLeaveGuard({
		check() {
			const me = nameKey(stateRef.current.me);
			return {
				pendingMessages: client.pending().length,
				hosting,
				others: selectRosterNames(stateRef.current).filter(name => nameKey(name) !== me).length,
			};
		},
		ask: question => input.apply({type: 'notice', text: question}),
		withdraw(question) {
			if (input.current().notice === question) input.apply({type: 'notice', text: undefined});
		},
		leave: reason => chat.run(reason === undefined ? {type: 'quit'} : {type: 'quit', reason}),
		leaving: chat.quitting,
		leaveNow: () => onExit(130),
	});

	// Each change of the chat (a message delivered, someone gone) may end what the question warned of.
	useEffect(() => {
		leaving.refresh();
	});

	const carryOut = (descriptor: CommandDescriptor) => {
		if (descriptor.type === 'file') {
			sharedFile.run(descriptor.action);
			return;
		}
		if (descriptor.type === 'search') {
			search.open(descriptor.query, descriptor.query === '' ? 'typing' : 'browsing');
			return;
		}
		if (descriptor.type === 'quit') {
			leaving.request('/quit', descriptor.reason);
			return;
		}
		if (descriptor.type === 'register' || descriptor.type === 'password') {
			askAccountPassword(descriptor.type);
			return;
		}
		chat.run(descriptor);
		// /join, /part, /query, /close may change the conversation on screen.
		if (descriptor.type === 'room') typeAhead.hold();
		if (descriptor.type === 'send') {
			readMarker.spoke();
			leaving.reset();
			// Sending brings you back to the newest messages.
			scroll.set(undefined);
		}
	};

	/** /register and /password: the masked questions first, then the command (the command checked that the server has accounts). */
	const askAccountPassword = (action: 'register' | 'password') => {
		dialogue.open({
			purpose: action === 'register' ? 'register' : 'change',
			name: client.user,
			onDone(answer) {
				if (answer.purpose === 'register') client.register(answer.password);
				else if (answer.purpose === 'change') client.changePassword(answer.oldPassword, answer.newPassword);
			},
		});
	};

	const applyEdit = (action: EditorAction) => {
		const result = input.apply(action);
		if (result.submitted === undefined) return;
		const shown = selectCurrentConversation(stateRef.current);
		const descriptor = interpretLine(result.submitted, {
			me: stateRef.current.me,
			roster: selectRosterNames(stateRef.current),
			keys: keyHelp(bindings),
			supports: feature => client.supports(feature),
			conversation: shown.kind === 'room' ? {kind: 'room', room: shown.name} : {kind: 'direct', with: shown.name},
		});
		if (descriptor) carryOut(descriptor);
	};

	const openEditor = useExternalEditor(terminal, input);

	const runCommand = (command: UiCommand) => {
		// While scrolled, the pane's last row is the "new messages" marker.
		const paneHeight = Math.max(1, layout.paneHeight - 1);
		// Up to the oldest loaded message: the page before it is asked for (the view stays still as it arrives).
		const loadOlderAtTop = () => {
			if (visibleRows(source, stateRef.current.me, layout.paneWidth, paneHeight, scroll.current(), undefined, look).atTop) chat.loadOlder();
		};
		const scrollLines = (delta: number) => {
			scroll.set(scrollBy(source, stateRef.current.me, layout.paneWidth, paneHeight, scroll.current(), delta, look));
			if (delta > 0) loadOlderAtTop();
		};
		const page = Math.max(1, layout.paneHeight - 2);
		const boxColumns = textColumns(input.current().text, columns, PROMPT);
		const roster = selectRosterNames(stateRef.current);
		const type = command.type;
		if (search.current()) {
			if (type === 'search' || type === 'searchOlder') search.move('older');
			else if (type === 'searchNewer') search.move('newer');
			// Nothing else runs under the search's line, but moving the view.
			if (!whileSearching.has(type)) return;
		}
		if (isEditorCommand(type)) {
			applyEdit({type: editorActions[type]});
			return;
		}
		switch (type) {
			case 'insert':
				applyEdit({type: 'insert', text: (command as Extract<UiCommand, {type: 'insert'}>).text});
				return;
			case 'submit':
				applyEdit({type: 'submit'});
				return;
			case 'complete':
			case 'completeBackwards':
				applyEdit({
					type: 'complete',
					nicks: nicksByRecency(roster, source),
					commands: defaultRegistry.complete('/'),
					me: stateRef.current.me,
					backwards: type === 'completeBackwards',
				});
				return;
			case 'rowUp':
				applyEdit({type: 'rowUp', columns: boxColumns});
				return;
			case 'rowDown':
				applyEdit({type: 'rowDown', columns: boxColumns});
				return;
			case 'openEditor':
				void openEditor();
				return;
			case 'openCodeViewer': {
				const anchor = scroll.current();
				const place = codeBlockInView(source, stateRef.current.me, layout.paneWidth, anchor === undefined ? layout.paneHeight : paneHeight, anchor, look);
				if (place) {
					viewer.open(place.block);
					// The keys after it are the viewer's, once it is on screen.
					typeAhead.hold();
				} else input.apply({type: 'notice', text: `no code block in view: scroll to one, then press ${primaryKeyFor('openCodeViewer', bindings)}`});
				return;
			}
			case 'scrollPageUp':
				scrollLines(page);
				return;
			case 'scrollPageDown':
				scrollLines(-page);
				return;
			case 'scrollLineUp':
				scrollLines(1);
				return;
			case 'scrollLineDown':
				scrollLines(-1);
				return;
			case 'scrollTop':
				scroll.set(topAnchor(source, stateRef.current.me, layout.paneWidth, paneHeight, look));
				loadOlderAtTop();
				return;
			case 'scrollBottom':
				scroll.set(undefined);
				return;
			case 'rosterUp':
			case 'rosterDown': {
				const height = memberListHeight(manyConversations ? selectConversations(stateRef.current) : undefined, layout.paneHeight);
				setRosterOffset(offset => clampRosterOffset(offset + (type === 'rosterUp' ? -1 : 1), roster.length, height));
				return;
			}
			case 'toggleFilePane':
				sharedFile.run({kind: 'toggle'});
				return;
			case 'fileLineUp':
			case 'fileLineDown':
			case 'filePageUp':
			case 'filePageDown':
				if (split.file) sharedFile.scroll(type);
				return;
			case 'roomNext':
				chat.dispatch({type: 'switchBy', offset: 1});
				typeAhead.hold();
				return;
			case 'roomPrevious':
				chat.dispatch({type: 'switchBy', offset: -1});
				typeAhead.hold();
				return;
			case 'roomByNumber':
				showConversation(numberedName(selectConversations(stateRef.current), (command as Extract<UiCommand, {type: 'roomByNumber'}>).number));
				return;
			case 'openSwitcher':
				switcher.open();
				return;
			case 'search':
				search.open('', 'typing');
				return;
			case 'searchOlder':
			case 'searchNewer':
				// Only while a search is open (the binding table skips them otherwise), handled above.
				return;
			case 'interrupt':
				// As in a shell: Ctrl-C drops the draft; on an empty line it leaves.
				if (input.current().text === '') leaving.request('Ctrl-C');
				else applyEdit({type: 'clear'});
				return;
			case 'eof':
				if (input.current().text === '') leaving.request('Ctrl-D');
				else applyEdit({type: 'delete'});
				return;
			default: {
				const unhandled: never = type;
				throw new Error(`no handler for the key command ${String(unhandled)}`);
			}
		}
	};

	const keys = useKeyChords(() => ({inputEmpty: input.current().text === '', searching: search.current() !== undefined}), runCommand, bindings);
	/** A notch of the wheel: what is under the pointer scrolls, a few rows. */
	const onWheel = (report: Extract<MouseReport, {kind: 'wheel'}>) => {
		const up = report.direction === 'up';
		if (viewer.view) {
			const arrow = decodeKey(up ? '\x1b[A' : '\x1b[B');
			for (let row = 0; row < WHEEL_ROWS; row++) viewer.onKey(arrow);
			return;
		}
		const target = wheelTarget(report, {paneWidth: screenLayout.paneWidth, paneHeight: screenLayout.paneHeight, showSidebar: screenLayout.showRoster, chat: split.chat, fileShown: split.file !== undefined});
		const command = target === 'sidebar' ? (up ? 'rosterUp' : 'rosterDown') : target === 'file' ? (up ? 'fileLineUp' : 'fileLineDown') : up ? 'scrollLineUp' : 'scrollLineDown';
		for (let row = 0; row < WHEEL_ROWS; row++) runCommand({type: command});
	};
	const onInput = (item: InputItem) => {
		// A mouse report is never text: the wheel scrolls (outside the password prompt and the switcher), the rest is dropped.
		if (item.kind === 'mouse') {
			if (item.report.kind === 'wheel' && !dialogue.current && !switcher.current()) onWheel(item.report);
			return;
		}
		// An open password prompt takes everything: no key of a password reaches the draft or its history.
		if (dialogue.input(item)) return;
		// The switcher, while open, takes every key, and a paste as typed text.
		if (switcher.current()) {
			switcher.onKey(item.kind === 'paste' ? decodeKey(item.text.replace(/[\s\x00-\x1f\x7f]+/g, ' ')) : item.key);
			return;
		}
		// The search's line takes what it types; its other keys go through the table.
		if (search.current()) {
			if (item.kind === 'paste') {
				search.paste(item.text);
				return;
			}
			if (search.onKey(item.key)) {
				keys.reset();
				return;
			}
			// n/N typed fast come in one read as one text ("nn"): each is a key of its own.
			if (item.key.name === 'text' && item.key.text.length > 1) {
				for (const character of graphemes(item.key.text)) keys.onKey({...item.key, text: character});
				return;
			}
		}
		if (item.kind === 'paste') {
			keys.reset();
			applyEdit({type: 'paste', text: item.text, foldAbove: maxInputRows});
			return;
		}
		// The viewer, while open, takes every key; a paste still goes to the draft underneath.
		if (viewer.view) {
			// Keys typed fast come in one read as one text ("jjq…"): each is a key of its own, and
			// what follows a q that closed it is typed into the draft, once the chat is on screen.
			const characters = item.key.name === 'text' ? [...graphemes(item.key.text)] : [item.key.text];
			for (const [index, character] of characters.entries()) {
				if (!viewer.isOpen()) {
					typeAhead.hold({kind: 'key', key: {...item.key, text: characters.slice(index).join('')}});
					return;
				}
				viewer.onKey(characters.length === 1 ? item.key : {...item.key, text: character});
			}
			if (!viewer.isOpen()) typeAhead.hold();
		} else keys.onKey(item.key);
	};
	useTerminalInput(typeAhead.gate(onInput));

	if (viewer.view) return <CodeViewer block={viewer.view.block} rows={viewer.view.rows} top={viewer.view.top} width={columns} height={rows} />;
	return (
		<App
			columns={columns}
			rows={rows}
			inputRows={inputRows}
			pane={(width, height) => {
				const parts = splitPane(width, height, sharedFile.shown);
				const messages = parts.chat.height > 0 && (
					<MessagePane source={source} version={paneVersion} me={state.me} width={parts.chat.width} height={parts.chat.height} anchor={scroll.anchor} newMessages={unread.whileScrolled} newMentions={unread.mentions} decorate={search.decorate} look={look} />
				);
				if (!parts.file) return messages;
				const filePane = <FilePane {...sharedFile.pane} width={parts.file.width} height={parts.file.height} keysHint={`${keyPairLabel('fileLineUp', 'fileLineDown', '↑', '↓', bindings)} ${keyPairLabel('filePageUp', 'filePageDown', 'PgUp', 'PgDn', bindings)} scroll · ${primaryKeyFor('toggleFilePane', bindings)} hides`} />;
				return (
					<Box flexDirection={parts.beside ? 'row' : 'column'} width={width} height={height}>
						{messages}
						{parts.beside ? (
							// A rule as the sidebar's, or a full-width message would run into the file.
							<Box width={parts.file.width + FILE_RULE_COLUMNS} height={parts.file.height} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderDimColor>
								{filePane}
							</Box>
						) : filePane}
					</Box>
				);
			}}
			roster={(width, height) => <Sidebar conversations={manyConversations ? conversations : undefined} members={rosterRows} width={width} height={height} memberOffset={rosterOffset} look={look} />}
			status={width => <StatusBar status={status} width={width} now={ticker.now} spinnerFrame={ticker.frame} conversation={manyConversations ? shownConversation : undefined} elsewhere={screenLayout.showRoster ? undefined : elsewhere} />}
			input={width => {
				if (dialogue.current) return <PasswordPrompt dialogue={dialogue.current} width={width} />;
				if (switcherOpen) return <QuickSwitcher state={switcherOpen} matches={switcherMatchesNow} width={width} />;
				if (searchOpen) {
					const matches = selectSearchMatches(state, searchOpen.query);
					return <SearchPrompt session={searchOpen} status={searchStatus(searchOpen, matches, state.capacity)} nothingFound={searchNothingFound(searchOpen, matches)} bindings={bindings} />;
				}

				return <InputLine view={view} width={width} />;
			}}
		/>
	);
}
