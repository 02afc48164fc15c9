// The shape of the chat state and every action the reducer understands.
// Pure data: no React, no sockets. The client turns network events into these
// actions; the UI reads the state only through the selectors in selectors.ts.
//
// Every text here (names, messages, reasons) is stored raw, exactly as it came
// from the network. The UI passes each one through its sanitiser before it
// reaches the terminal (PROTOCOL.md §7); the state never does, so that nothing
// is sanitised twice or not at all.
import type {RosterSnapshot} from '../protocol/roster.js';
import type {Dialect} from '../protocol/types.js';
import type {Log} from './log.js';

export type {Dialect} from '../protocol/types.js';
export type {Log} from './log.js';
export type {RosterSnapshot, RosterUser} from '../protocol/roster.js';

// ---------------------------------------------------------------- log entries

/** Delivery state of one of your own messages. */
export type Delivery = 'pending' | 'sent' | 'failed';

type EntryBase = {
	/** Stable, unique, increasing; also the entry's position key (see log.ts). */
	readonly id: number;
	/** Epoch ms, taken from the action that created the entry. */
	readonly time: number;
};

export type ChatEntry = EntryBase & {
	readonly kind: 'chat';
	readonly user: string;
	readonly text: string;
	/** True for a message you typed: here (ownMessageQueued), or on another terminal of your account (delivery 'sent', no localId). */
	readonly own: boolean;
	/** Only on own messages. */
	readonly delivery?: Delivery;
	/** The server's `error-msg` when delivery is 'failed'. */
	readonly error?: string;
	/** Only on own messages: the client's outbox id, which ownMessageSent/Failed refer to. */
	readonly localId?: number;
	/** Someone else's message that names you as a word. Never true on your own messages. */
	readonly mention: boolean;
	/** Said before you joined (the first connect's backlog, or an older page): no bell, no unread count. */
	readonly backlog?: boolean;
	/** Said while you were cut off, fetched on the resume. */
	readonly recovered?: boolean;
	/** Its place in the room's log (§9), when the server keeps one. */
	readonly seq?: number;
	/** Someone else under your name (a server that allows duplicates): never shown as yours. */
	readonly namesake?: boolean;
	/** §13: a `/me` action, shown as "* user text". */
	readonly action?: boolean;
};

/** `history`: a hole in the log that cannot be filled, or a log that was reset. */
/** `presence`: a run of joins, leaves and renames folded into one line (presence-runs.ts). */
export type SystemEvent = 'enter' | 'exit' | 'rename' | 'presence' | 'connection' | 'history';

/** One join, leave or rename, as a presence line keeps it so that later ones can fold into it. */
export type PresenceItem =
	| {readonly event: 'enter'; readonly user: string; readonly label: string; readonly time: number; readonly text: string}
	/** `reason`: the quit or part message, as sent (the UI sanitises it). */
	| {readonly event: 'exit'; readonly user: string; readonly label: string; readonly time: number; readonly text: string; readonly reason?: string}
	| {readonly event: 'rename'; readonly oldname: string; readonly newname: string; readonly time: number; readonly text: string};

export type SystemEntry = EntryBase & {
	readonly kind: 'system';
	readonly event: SystemEvent;
	/** Plain text ("→ bob joined"); the UI dims it. */
	readonly text: string;
	/** enter/exit: who. */
	readonly user?: string;
	/** rename: the names. */
	readonly oldname?: string;
	readonly newname?: string;
	/** enter/exit/rename: what a later one folds with. */
	readonly item?: PresenceItem;
	/** presence: the folded items, oldest first (two or more). */
	readonly run?: readonly PresenceItem[];
};

export type ErrorEntry = EntryBase & {readonly kind: 'error'; readonly text: string};

/** Local output such as /who or /help. May hold newlines. */
export type InfoEntry = EntryBase & {readonly kind: 'info'; readonly text: string};

/** A rule across the pane: below it, what was said after you joined. */
export type SeparatorEntry = EntryBase & {readonly kind: 'separator'; readonly text: string};

/** Above the oldest message while an older page is on its way; replaced by the page. */
export type LoadingEntry = EntryBase & {readonly kind: 'loading'};

export type LogEntry = ChatEntry | SystemEntry | ErrorEntry | InfoEntry | SeparatorEntry | LoadingEntry;

// ---------------------------------------------------------------------- state

export type ConnectionPhase = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export type ConnectionState = {
	readonly phase: ConnectionPhase;
	/** Why we are disconnected (or why the last attempt failed), for the status bar. */
	readonly reason?: string;
	/** Reconnect attempt number (1, 2, …) while reconnecting/connecting again; cleared on connected. */
	readonly attempt?: number;
	/** Epoch ms when the next attempt starts, so the UI can count down "reconnecting in 4 s". */
	readonly retryAt?: number;
	/** "host:port". */
	readonly server: string;
	readonly dialect?: Dialect;
	/** Last measured round trip of get-clients, ms. */
	readonly lagMs?: number;
};

export type MentionState = {
	/** Mentions of you among the unread messages (Conversation.unread). */
	readonly unread: number;
	/**
	 * Id of the newest non-backlog mention. The UI rings the bell when this
	 * changes, which gives exactly one bell per mentioning message.
	 */
	readonly lastId?: number;
};

export type ViewState = {
	/** Told by the UI: the message pane is not at the bottom. */
	readonly scrolledUp: boolean;
	/** Id of the first message counted unread (Conversation.unread), for a "new" divider. */
	readonly firstUnreadId?: number;
};

/**
 * A room (`#name`) or a direct conversation (the other user's name).
 *
 * Key scheme: a conversation is named by a string, its `name`, as the server
 * spells it: a room name starts with `#` (PROTOCOL.md §10), a user name never
 * does, so a name that starts with `#` is a room and any other is the partner
 * of a direct conversation. The map is keyed by conversationKey(name)
 * (conversations.ts): roomKey for rooms, '@' + nameKey for partners, so
 * `#Lobby` and `#lobby`, or `Bob` and `bob`, are one conversation. Actions
 * carry the name; the reducer keys it.
 */
export type ConversationKind = 'room' | 'direct';

/** One conversation: its log and how much of it you have read. */
export type Conversation = {
	/** As the server spells it (a room), or the partner's name as last seen (direct). */
	readonly name: string;
	readonly kind: ConversationKind;
	/** The bounded message log; read it with selectEntryCount/selectEntries. */
	readonly log: Log;
	readonly mentions: MentionState;
	/**
	 * Messages from others (not backlog) that arrived where you did not see
	 * them (another conversation on screen, or this one scrolled up), since
	 * you last saw its bottom. The sidebar counts them, and the pane's
	 * "N new messages ↓" while scrolled up.
	 */
	readonly unread: number;
	readonly view: ViewState;
	/**
	 * Where each of your messages still waiting for the server is in the log,
	 * by the client's localId, to mark it sent or failed. What is waiting is
	 * the client's outbox; this is only an index into the log.
	 */
	readonly ownEntries: ReadonlyMap<number, number>;
	/** The newest message shown from the room's log (§9): a message at or below it in the same epoch is shown already. */
	readonly logTop?: {readonly epoch: string; readonly seq: number};
	/** Id of the "loading…" row while an older page is on its way. */
	readonly loadingId?: number;
	/**
	 * The room's members as the client last reported them (a room other than
	 * #lobby, on a server with rooms). #lobby, and every room of a server
	 * without rooms, use ChatState.roster (everyone on the server).
	 */
	readonly roster?: RosterSnapshot;
};

export {LOBBY} from '../protocol/rooms.js';

export type ChatState = {
	readonly connection: ConnectionState;
	/** Your own name: the roster's, kept here for the screen to read. */
	readonly me: string;
	/** As the client last reported it: the client owns the rules, the state only shows them. */
	readonly roster: RosterSnapshot;
	/** By conversationKey(name); in the order they were opened, #lobby first. */
	readonly conversations: ReadonlyMap<string, Conversation>;
	/** The key of the conversation on screen (conversationKey of its name). */
	readonly room: string;
	/** Log entries each conversation keeps; the oldest go first. */
	readonly capacity: number;
	/** Id the next entry gets, in any room. */
	readonly nextId: number;
	/** Id the next entry put above the oldest gets (an older page): counts down from 0, so ids still grow down the log. */
	readonly olderId: number;
	/** The 2015 dialect has been named once already. */
	readonly dialectNamed: boolean;
	/** Words that mention you as your name does (--highlight, the config file). */
	readonly highlights: readonly string[];
	/** Fold runs of joins, leaves and renames into one line; hide a quiet visit under a minute. */
	readonly quietJoins: boolean;
	/** Where an earlier run had read each conversation (read-marks.ts): backlog past it counts as unread. */
	readonly readSince: ReadonlyMap<string, {readonly epoch: string; readonly seq: number}>;
};

export type InitialStateOptions = {
	/** How many log entries to keep; the oldest go first. @default 10_000 */
	readonly capacity?: number;
	/** Your name before the first connect. @default '' */
	readonly me?: string;
	/** "host:port". @default '' */
	readonly server?: string;
	/** Words that count as mentions of you. @default [] */
	readonly highlights?: readonly string[];
	/** Fold runs of joins, leaves and renames (the config file's display.quiet-joins). @default true */
	readonly quietJoins?: boolean;
	/** Where the last run had read each conversation, by conversation key. @default none */
	readonly readSince?: ReadonlyMap<string, {readonly epoch: string; readonly seq: number}>;
};

// -------------------------------------------------------------------- actions

/**
 * Which conversation an action is about: a room name or a direct partner's
 * name (see Conversation). Left out, it means #lobby for what comes from the
 * network (a server without rooms has only that room) and the conversation
 * on screen for what the user did (a line typed, local output).
 */
type In = {conversation?: string};

/**
 * Everything that changes the state. Every action that can append a log
 * entry carries `time` (epoch ms); the reducer never reads the clock.
 */
export type ChatAction =
	/** A connection attempt starts (first connect or a retry). No log entry: the status bar shows it. */
	| {type: 'connecting'; server: string}
	/** `connect` succeeded. The line goes to the conversation on screen. */
	| {type: 'connected'; server: string; dialect?: Dialect; time: number; roster: RosterSnapshot}
	/** The connection is gone. The client sends reconnecting next if it will retry. */
	| {type: 'disconnected'; reason: string; time: number; roster: RosterSnapshot}
	/** The next attempt starts in delayMs. attempt counts from 1. */
	| {type: 'reconnecting'; attempt: number; delayMs: number; time: number}
	| {type: 'lag'; ms: number}
	/**
	 * The roster changed without a line to show (a get-clients or join answer, a 2015 user gone quiet).
	 * With a room other than #lobby as `conversation`: that room's members; else everyone's.
	 */
	| ({type: 'roster'; roster: RosterSnapshot} & In)
	/** `roster`: that of `conversation`, as for the roster action. A room not open is ignored. */
	| ({type: 'enter'; user: string; time: number; roster: RosterSnapshot; namesake?: boolean} & In)
	/** `msg`: the reason they gave for leaving; `part`: they left the room, not the server. */
	| ({type: 'exit'; user: string; time: number; roster: RosterSnapshot; msg?: string; namesake?: boolean; part?: boolean} & In)
	/**
	 * Someone, possibly you (the roster's `me` then follows), changed name;
	 * `roster` is everyone's. The line goes to each of `conversations` that is
	 * open (default: #lobby); a direct conversation with `oldname` follows the new name.
	 */
	| {type: 'rename'; oldname: string; newname: string; time: number; roster: RosterSnapshot; conversations?: readonly string[]}
	/**
	 * Someone else's message. A direct conversation opens on its first
	 * message; so does a room the client says we are in. Counted as unread
	 * when it arrives where you do not see it (backlog never is).
	 */
	| ({type: 'message'; user: string; text: string; time: number; roster?: RosterSnapshot; backlog?: boolean; recovered?: boolean; namesake?: boolean; own?: boolean; seq?: number; epoch?: string; action?: boolean} & In)
	/** The backlog or a resume is in: a separator under `backlog` messages from before you joined. */
	| ({type: 'historyCaughtUp'; backlog: number; recovered: number; time: number} & In)
	/** A resume found `missed` messages gone for good; the server keeps the last `kept`. */
	| ({type: 'historyGap'; missed: number; kept: number; time: number} & In)
	/** The server's log was reset: earlier seqs name nothing now. */
	| ({type: 'historyReset'; time: number} & In)
	/** An older page was asked for: "loading…" above the oldest message (default: on screen). */
	| ({type: 'olderRequested'; time: number} & In)
	/** The older page, oldest first, goes above the oldest message; the view stays where it is. Default: on screen. */
	| ({type: 'olderLoaded'; messages: ReadonlyArray<{user: string; text: string; time: number; seq?: number; own?: boolean; action?: boolean}>} & In)
	/** You typed a message; it shows as pending (default: on screen). localId is the client's outbox id. */
	| ({type: 'ownMessageQueued'; localId: number; text: string; time: number; action?: boolean} & In)
	/** Found by localId in whichever conversation holds it. */
	| {type: 'ownMessageSent'; localId: number; seq?: number}
	| {type: 'ownMessageFailed'; localId: number; error: string}
	/** Default: the conversation on screen. */
	| ({type: 'error'; text: string; time: number} & In)
	| ({type: 'info'; text: string; time: number} & In)
	/** /clear: empties the log on screen (messages still pending go out all the same: the client's outbox holds them). */
	| {type: 'clear'}
	/** The UI's scroll state. Back at the bottom has seen everything: the counts go to 0. */
	| {type: 'scroll'; scrolledUp: boolean}
	/**
	 * Opens a conversation (a room being joined, /query NAME) if it is not open
	 * yet, and with `focus` puts it on screen. Opening one that is open only
	 * focuses it (and takes the server's spelling of a room's name).
	 */
	| {type: 'openConversation'; conversation: string; focus?: boolean}
	/** Closes a conversation (/part done, /close); #lobby never closes. On screen: the one before it takes its place. */
	| {type: 'closeConversation'; conversation: string}
	/** Puts an open conversation on screen: at its bottom its unread and mention counts go to 0. One not open is ignored. */
	| {type: 'switchConversation'; conversation: string}
	/** The next (1) or previous (-1) conversation in sidebar order, wrapping round (Alt-→/←). */
	| {type: 'switchBy'; offset: number};

export type ChatActionType = ChatAction['type'];
