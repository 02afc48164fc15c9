// Wires a ChatClient to the chat reducer, and command descriptors to client
// calls. The only module of the UI that knows the client.
//
// Chat traffic is throttled here: the client's events are queued and folded
// into the state at most every FLUSH_INTERVAL_MS in one React update, so a
// burst of 10,000 messages costs a few frames, not 10,000, and the screen
// changes at most 30 times a second from traffic. (Ink's own cap is higher,
// so that keypresses echo at once: see run-tui.tsx.)
import {useCallback, useEffect, useReducer, useRef} from 'react';
import type {ChatClient} from '../client/client.js';
import {CLIENT_EVENTS, type ChatClientEvents} from '../client/events.js';
import type {EventBuffer} from '../client/event-buffer.js';
import type {RosterSnapshot} from '../protocol/roster.js';
import type {CommandDescriptor, RoomAction} from '../commands/types.js';
import type {RoomSummary} from '../protocol/types.js';
import {conversationKey} from '../state/conversations.js';
import {chatReducer, currentConversation, initialState} from '../state/reducer.js';
import type {ChatAction, ChatState} from '../state/types.js';
import type {StoredReadMarks} from '../state/read-marks.js';
import {sanitizeLine} from '../text/sanitize.js';
import {ignoreAction, type IgnoreList} from './ignore-list.js';
import {whoisLine} from './whois.js';

/** How often queued client events are folded into the state: 30 per second. */
export const FLUSH_INTERVAL_MS = 33;

function applyActions(state: ChatState, actions: readonly ChatAction[]): ChatState {
	let next = state;
	for (const action of actions) next = chatReducer(next, action);
	return next;
}

export type UseChatOptions = {
	readonly client: ChatClient;
	/** What the status bar calls the server: "host:port", or "ADDR (hosting)" when this process hosts the room (ADDR: where others join). */
	readonly serverLabel: string;
	/** Shown in red before anything else (e.g. TLS checks are off). */
	readonly warning?: string;
	/** Called once, when the app should end: 0 after /quit, 1 when the server is gone for good. */
	readonly onExit: (code: number, message?: string) => void;
	/** Events of a client started before the interface loaded, to show first. */
	readonly earlyEvents?: EventBuffer;
	/** The server wants the password (§11): the screen opens its masked prompt. Early events included. */
	readonly onPasswordNeeded?: (notice: string) => void;
	/** Clock, for tests. @default Date.now */
	readonly now?: () => number;
	/** Words that count as mentions of you. @default [] */
	readonly highlights?: readonly string[];
	/** Fold runs of joins, leaves and renames into one line. @default true */
	readonly quietJoins?: boolean;
	/** Whose messages are hidden (/ignore, the config file). @default nobody */
	readonly ignore?: IgnoreList;
	/** Where the last run had read each conversation: backlog past it counts as unread. @default none */
	readonly readSince?: StoredReadMarks;
};

export type ChatController = {
	readonly state: ChatState;
	/** Applies a UI action now (scrolling, /clear), after any queued client events. */
	readonly dispatch: (action: ChatAction) => void;
	/** Carries out what a command or a typed line asked for. */
	readonly run: (descriptor: CommandDescriptor) => void;
	/** True once /quit (or Ctrl-C) has started leaving. */
	readonly quitting: () => boolean;
	/** The view reached the oldest loaded message: ask for the page before it, if the server keeps one. True when it was asked for. */
	readonly loadOlder: () => boolean;
};

type EventContext = {
	readonly time: number;
	/** What the status bar calls the server: "host:port", or "ADDR (hosting)" with --serve. */
	readonly serverLabel: string;
	/** The client's roster (everyone's) right after the event: the state stores it, it never recomputes it. */
	readonly roster: RosterSnapshot;
	/** The members of a room right after the event (#lobby's: everyone's). */
	readonly rosterOf: (room: string) => RosterSnapshot;
	/** True for a message to hide (from an ignored user; never your own, whatever your name now); counts the hidden one. */
	readonly hides: (message: {readonly user: string; readonly own?: boolean}) => boolean;
	/** True for a user whose messages are hidden; counts nothing. */
	readonly ignoring: (user: string) => boolean;
};

/** Every client event -> reducer actions; a new event without an entry does not compile. */
type EventHandlers = {
	[K in keyof ChatClientEvents]: (payload: ChatClientEvents[K], context: EventContext) => ChatAction | ChatAction[] | undefined;
};

/** "a, b (gone?)": the same list the roster pane shows. */
function whoLine(roster: RosterSnapshot): string {
	const names = roster.users.map(user => (user.namesake ? `${user.name} (not you)` : user.gone ? `${user.name} (gone?)` : user.name));
	return `Users (${names.length}): ${names.sort((a, b) => a.localeCompare(b)).join(', ')}`;
}

/** "Rooms (3): #lobby (5), #dev (2), …", in the server's order. */
function roomsLine(rooms: readonly RoomSummary[]): string {
	return `Rooms (${rooms.length}): ${rooms.map(({room, users}) => `${room} (${users})`).join(', ')}`;
}

/** Client events -> reducer actions, one entry per event. */
const eventActions: EventHandlers = {
	connected: ({dialect}, {time, serverLabel, roster}) => ({type: 'connected', server: serverLabel, dialect, time, roster}),
	message: ({conversation, user, text, time, namesake, own, seq, epoch, backlog, recovered, action}, {roster, hides}) => (hides({user, own}) ? undefined : {
		type: 'message',
		conversation,
		user,
		text,
		time,
		roster,
		...(namesake ? {namesake} : {}),
		...(own ? {own} : {}),
		...(seq === undefined || epoch === undefined ? {} : {seq, epoch}),
		...(backlog ? {backlog} : {}),
		...(recovered ? {recovered} : {}),
		...(action ? {action} : {}),
	}),
	enter: ({user, conversation, namesake}, {time, rosterOf}) => ({type: 'enter', conversation, user, time, roster: rosterOf(conversation), ...(namesake ? {namesake} : {})}),
	exit: ({user, conversation, msg, namesake, part}, {time, rosterOf}) =>
		({type: 'exit', conversation, user, time, roster: rosterOf(conversation), ...(msg === undefined ? {} : {msg}), ...(namesake ? {namesake} : {}), ...(part ? {part} : {})}),
	gone: (_payload, {roster}) => ({type: 'roster', roster}),
	rename: ({oldname, newname, conversations}, {time, roster}) => ({type: 'rename', oldname, newname, time, roster, conversations}),
	// Our own: said where we are; each room's roster follows in its own event.
	renamed: ({oldname, newname}, {time, roster}) => ({type: 'rename', oldname, newname, time, roster}),
	renameFailed: ({newname, error}, {time}) => ({type: 'error', text: `cannot rename to ${newname}: ${error}`, time}),
	roster({source, conversation}, {time, rosterOf}) {
		const roster = rosterOf(conversation);
		const action: ChatAction = {type: 'roster', conversation, roster};
		// /who prints the list as well; names are sanitised when the pane renders it.
		return source === 'who' ? [action, {type: 'info', text: whoLine(roster), time}] : action;
	},
	sent: ({localId, seq}) => ({type: 'ownMessageSent', localId, ...(seq === undefined ? {} : {seq})}),
	failed: ({localId, error}) => ({type: 'ownMessageFailed', localId, error}),
	disconnected: ({reason}, {time, roster}) => ({type: 'disconnected', reason, time, roster}),
	reconnecting: ({attempt, delayMs}, {time}) => ({type: 'reconnecting', attempt, delayMs, time}),
	lag: ({ms}) => ({type: 'lag', ms}),
	caughtUp: ({conversation, backlog, recovered}, {time}) => ({type: 'historyCaughtUp', conversation, backlog, recovered, time}),
	historyGap: ({conversation, missed, kept}, {time}) => ({type: 'historyGap', conversation, missed, kept, time}),
	historyReset: ({conversation}, {time}) => ({type: 'historyReset', conversation, time}),
	older: ({conversation, messages}, {hides}) => ({
		type: 'olderLoaded',
		conversation,
		messages: messages.filter(message => !hides(message)).map(({user, text, time, seq, own, action}) => ({user, text, time, ...(seq === undefined ? {} : {seq}), ...(own ? {own} : {}), ...(action ? {action} : {})})),
	}),
	away({conversations, user, reason}, {time, roster, rosterOf}) {
		const actions: ChatAction[] = conversations.map(conversation => ({type: 'roster', conversation, roster: rosterOf(conversation)}));
		// Our own change is said where we are; the others' only dim the roster.
		if (user !== undefined && roster.users.some(row => row.isMe && row.name === user)) {
			actions.push({type: 'info', text: reason ? `you are away: ${reason}` : 'you are back', time});
		}

		return actions;
	},
	conversation(event, {time, rosterOf, ignoring}) {
		switch (event.kind) {
			case 'joining':
				return {type: 'openConversation', conversation: event.room};
			case 'joined':
				// The server's spelling, and its members; said once, not on every rejoin.
				return [
					{type: 'openConversation', conversation: event.room},
					{type: 'roster', conversation: event.room, roster: rosterOf(event.room)},
					...(event.again ? [] : [{type: 'info', conversation: event.room, text: `you joined ${event.room}`, time} as const]),
				];
			case 'parted':
				return [{type: 'closeConversation', conversation: event.room}, {type: 'info', text: `you left ${event.room}`, time}];
			case 'opened':
				// An ignored user's direct message would open an empty conversation, now or (kept as open) at the next start: nothing to show.
				return ignoring(event.with) ? undefined : {type: 'openConversation', conversation: event.with};
			case 'closed':
				return {type: 'closeConversation', conversation: event.with};
			case 'refused':
				// A refused join leaves nothing open; a refused part leaves the room as it was.
				return event.action === 'join'
					? [{type: 'error', text: event.error, time}, {type: 'closeConversation', conversation: event.room}]
					: {type: 'error', text: event.error, time};
			default: {
				const unknown: never = event;
				throw new Error(`unhandled conversation event ${JSON.stringify(unknown)}`);
			}
		}
	},
	roomList: (event, {time}) => (event.ok ? {type: 'info', text: roomsLine(event.rooms), time} : {type: 'error', text: `/rooms: ${event.error}`, time}),
	// The screen opens the masked prompt itself (ChatScreen); nothing goes to the log.
	passwordNeeded: () => undefined,
	account: ({ok, message}, {time}) => ({type: ok ? 'info' : 'error', text: message, time}),
	// The shared file has its own owner (use-shared-file.ts), which says its lines itself.
	file: () => undefined,
	error: ({message}, {time}) => ({type: 'error', text: message, time}),
	warning: ({message}, {time}) => ({type: 'info', text: `warning: ${message}`, time}),
};

export function useChat({client, serverLabel, warning, onExit, earlyEvents, onPasswordNeeded, now = Date.now, highlights, quietJoins, ignore, readSince}: UseChatOptions): ChatController {
	const [state, dispatchBatch] = useReducer(applyActions, undefined, () =>
		initialState({me: client.user, server: serverLabel, highlights, quietJoins, readSince}));
	// What a typed line is sent to: the conversation on screen when it ran.
	const stateRef = useRef(state);
	stateRef.current = state;
	const queue = useRef<ChatAction[]>([]);
	const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
	const quitting = useRef(false);
	const exited = useRef(false);
	const exitRef = useRef(onExit);
	exitRef.current = onExit;
	const passwordRef = useRef(onPasswordNeeded);
	passwordRef.current = onPasswordNeeded;

	const finish = useCallback((code: number, message?: string) => {
		if (exited.current) return;
		exited.current = true;
		exitRef.current(code, message);
	}, []);

	const flush = useCallback(() => {
		if (timer.current !== undefined) clearTimeout(timer.current);
		timer.current = undefined;
		if (queue.current.length === 0) return;
		const actions = queue.current;
		queue.current = [];
		dispatchBatch(actions);
	}, []);

	const enqueue = useCallback((actions: ChatAction | ChatAction[]) => {
		if (Array.isArray(actions)) queue.current.push(...actions);
		else queue.current.push(actions);
		// Trailing edge only: a burst folds into one frame. (A leading edge showed the
		// first event 33 ms sooner but drew a 10k burst in 4 frames, not 1: bench flood.)
		timer.current ??= setTimeout(flush, FLUSH_INTERVAL_MS);
	}, [flush]);

	const dispatch = useCallback((action: ChatAction) => {
		queue.current.push(action);
		flush();
	}, [flush]);

	useEffect(() => {
		if (warning) dispatch({type: 'error', text: `warning: ${warning}`, time: now()});
		dispatch({type: 'connecting', server: serverLabel});

		const unsubscribe: Array<() => void> = [];
		const listeners = new Map<keyof ChatClientEvents, (payload: unknown, roster: RosterSnapshot) => void>();
		for (const name of CLIENT_EVENTS) {
			const toActions = eventActions[name] as (payload: unknown, context: EventContext) => ChatAction | ChatAction[] | undefined;
			const apply = (payload: unknown, roster: RosterSnapshot) => {
				const hides = ({user, own}: {user: string; own?: boolean}) => {
					if (own === true || !ignore?.has(user)) return false;
					ignore.hid(user);
					return true;
				};

				const actions = toActions(payload, {time: now(), serverLabel, roster, rosterOf: room => client.rosterOf(room) ?? roster, hides, ignoring: user => ignore?.has(user) ?? false});
				if (actions) enqueue(actions);
			};
			listeners.set(name, apply);
			// Listeners run inside the client's emit, so its roster is the one right after the event.
			const listener = (payload: unknown) => {
				apply(payload, client.roster);
			};
			client.on(name, listener);
			unsubscribe.push(() => client.off(name, listener));
		}
		// The server gone for good (no reconnect coming) ends the app, unless we are leaving anyway;
		// a logout that closed the session is a way of leaving.
		const onDisconnected = ({reason, willReconnect, loggedOut}: ChatClientEvents['disconnected']) => {
			if (willReconnect || quitting.current) return;
			if (loggedOut) finish(0, sanitizeLine(reason));
			else finish(1, `disconnected: ${sanitizeLine(reason)}`);
		};
		client.on('disconnected', onDisconnected);
		unsubscribe.push(() => client.off('disconnected', onDisconnected));
		const onPassword = ({notice}: ChatClientEvents['passwordNeeded']) => passwordRef.current?.(notice);
		client.on('passwordNeeded', onPassword);
		unsubscribe.push(() => client.off('passwordNeeded', onPassword));

		// What happened while the interface loaded comes first, in this same turn, so nothing is missed.
		for (const event of earlyEvents?.drain() ?? []) {
			listeners.get(event.name)?.(event.payload, event.roster);
			if (event.name === 'disconnected') onDisconnected(event.payload);
			if (event.name === 'passwordNeeded') onPassword(event.payload);
		}

		client.start();
		return () => {
			for (const off of unsubscribe) off();
			if (timer.current !== undefined) clearTimeout(timer.current);
			timer.current = undefined;
		};
		// Runs once per client: the warning is read when the client starts.
	}, [client, serverLabel, enqueue, dispatch, finish, now, ignore]);

	const quit = useCallback((reason?: string) => {
		if (quitting.current) return;
		quitting.current = true;
		dispatch({type: 'info', text: 'leaving…', time: now()});
		void client.exit(reason).then(() => {
			finish(0);
		});
	}, [client, dispatch, finish, now]);

	/** /join, /part, /rooms, /msg, /query, /close: the client carries them out and its events open and close the conversations. */
	const runRoomAction = useCallback((action: RoomAction, time: number) => {
		const say = (conversation: string, text: string, target: {room: string} | {to: string}) => {
			const localId = client.send(text, target);
			dispatch({type: 'ownMessageQueued', conversation, localId, text, time});
		};

		switch (action.kind) {
			case 'join':
				// A room open already (#lobby always) is only shown: joining it again would say "you joined" again.
				if (stateRef.current.conversations.has(conversationKey(action.room))) {
					dispatch({type: 'switchConversation', conversation: action.room});
					return;
				}
				client.join(action.room);
				// Shown at once; a refusal closes it again.
				dispatch({type: 'openConversation', conversation: action.room, focus: true});
				return;
			case 'part':
				client.part(action.room, action.reason);
				return;
			case 'list':
				client.listRooms();
				return;
			case 'say':
				say(action.room, action.text, {room: action.room});
				return;
			case 'direct':
				say(action.to, action.text, {to: action.to});
				return;
			case 'query':
				client.openDirect(action.with);
				dispatch({type: 'openConversation', conversation: action.with, focus: true});
				if (action.text !== undefined) say(action.with, action.text, {to: action.with});
				return;
			case 'close':
				client.closeDirect(action.with);
				dispatch({type: 'closeConversation', conversation: action.with});
				return;
			default: {
				const unknown: never = action;
				throw new Error(`unhandled room action ${JSON.stringify(unknown)}`);
			}
		}
	}, [client, dispatch]);

	const run = useCallback((descriptor: CommandDescriptor) => {
		const time = now();
		switch (descriptor.type) {
			case 'send': {
				const {name, kind} = currentConversation(stateRef.current);
				const localId = client.send(descriptor.text, kind === 'room' ? {room: name} : {to: name});
				dispatch({type: 'ownMessageQueued', conversation: name, localId, text: descriptor.text, time});
				return;
			}
			case 'rename':
				client.rename(descriptor.newname);
				return;
			case 'who':
				client.who();
				return;
			case 'quit':
				quit(descriptor.reason);
				return;
			case 'clear':
				dispatch({type: 'clear'});
				return;
			case 'reconnect':
				client.reconnectNow();
				return;
			case 'help':
			case 'info':
				dispatch({type: 'info', text: descriptor.text, time});
				return;
			case 'error':
				dispatch({type: 'error', text: descriptor.text, time});
				return;
			case 'logout':
				client.logout();
				return;
			case 'register':
			case 'password':
				// They need the masked prompt: the screen asks, then calls the client (ChatScreen).
				return;
			case 'file':
				// The screen holds the shared file: ChatScreen hands these to use-shared-file.
				throw new Error('a shared-file command reached use-chat');
			case 'search':
				// The screen holds the search: ChatScreen hands it to use-search.
				throw new Error('a search command reached use-chat');
			case 'room':
				runRoomAction(descriptor.action, time);
				return;
			case 'action': {
				const {name, kind} = currentConversation(stateRef.current);
				const localId = client.send(descriptor.text, kind === 'room' ? {room: name} : {to: name}, {action: true});
				dispatch({type: 'ownMessageQueued', conversation: name, localId, text: descriptor.text, time, action: true});
				return;
			}
			case 'away':
				if (!client.setAway(descriptor.reason)) dispatch({type: 'error', text: '/away: not connected: try again once connected', time});
				return;
			case 'whois':
				dispatch({type: 'info', text: whoisLine(descriptor.name, client.roster, ignore?.has(descriptor.name) ?? false), time});
				return;
			case 'ignore':
				dispatch(ignoreAction(descriptor.action, ignore, client.user, time));
				return;
			default: {
				const unknown: never = descriptor;
				throw new Error(`unhandled command ${JSON.stringify(unknown)}`);
			}
		}
	}, [client, dispatch, quit, now, runRoomAction, ignore]);

	const isQuitting = useCallback(() => quitting.current, []);
	const loadOlder = useCallback(() => {
		const {name} = currentConversation(stateRef.current);
		// One page at a time: the client refuses while one is on its way (and for a guest's direct conversation, which has no log).
		if (!client.loadOlder(name)) return false;
		dispatch({type: 'olderRequested', conversation: name, time: now()});
		return true;
	}, [client, dispatch, now]);
	return {state, dispatch, run, quitting: isQuitting, loadOlder};
}
