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
import type {ChatClientEvents} from '../client/events.js';
import type {EventBuffer} from '../client/event-buffer.js';
import type {CommandDescriptor} from '../commands/types.js';
import {chatReducer, initialState} from '../state/reducer.js';
import type {ChatAction, ChatState} from '../state/types.js';
import {sanitizeLine} from '../text/sanitize.js';

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
	/** Clock, for tests. @default Date.now */
	readonly now?: () => number;
};

export type ChatController = {
	readonly state: ChatState;
	/** Applies a UI action now (scrolling, /clear), after any queued client events. */
	readonly dispatch: (action: ChatAction) => void;
	/** Carries out what a command or a typed line asked for. */
	readonly run: (descriptor: CommandDescriptor) => void;
	/** True once /quit (or Ctrl-C) has started leaving. */
	readonly quitting: () => boolean;
};

type EventContext = {
	readonly time: number;
	/** What the status bar calls the server: "host:port", or "ADDR (hosting)" with --serve. */
	readonly serverLabel: string;
};

type EventHandlers = {
	[K in keyof ChatClientEvents]?: (payload: ChatClientEvents[K], context: EventContext) => ChatAction | ChatAction[] | undefined;
};

/** Client events -> reducer actions, one entry per event (STYLE.md example 7). */
const eventActions: EventHandlers = {
	connected: ({user, dialect}, {time, serverLabel}) => ({type: 'connected', me: user, server: serverLabel, dialect, time}),
	message: ({user, text, time}) => ({type: 'message', user, text, time}),
	enter: ({user}, {time}) => ({type: 'enter', user, time}),
	exit: ({user}, {time}) => ({type: 'exit', user, time}),
	rename: ({oldname, newname}, {time}) => ({type: 'rename', oldname, newname, time}),
	renamed: ({oldname, newname}, {time}) => ({type: 'rename', oldname, newname, time, self: true}),
	renameFailed: ({newname, error}, {time}) => ({type: 'error', text: `cannot rename to ${newname}: ${error}`, time}),
	roster({users, source}, {time}) {
		const roster: ChatAction = {type: 'roster', names: users};
		if (source !== 'who') return roster;
		// /who prints the list as well; names are sanitised when the pane renders it.
		const list = [...users].sort((a, b) => a.localeCompare(b)).join(', ');
		return [roster, {type: 'info', text: `Users (${users.length}): ${list}`, time}];
	},
	sent: ({localId}) => ({type: 'ownMessageSent', localId}),
	failed: ({localId, error}) => ({type: 'ownMessageFailed', localId, error}),
	disconnected: ({reason}, {time}) => ({type: 'disconnected', reason, time}),
	reconnecting: ({attempt, delayMs}, {time}) => ({type: 'reconnecting', attempt, delayMs, time}),
	lag: ({ms}) => ({type: 'lag', ms}),
	error: ({message}, {time}) => ({type: 'error', text: message, time}),
	warning: ({message}, {time}) => ({type: 'info', text: `warning: ${message}`, time}),
};

export function useChat({client, serverLabel, warning, onExit, earlyEvents, now = Date.now}: UseChatOptions): ChatController {
	const [state, dispatchBatch] = useReducer(applyActions, undefined, () =>
		initialState({me: client.user, server: serverLabel}));
	const queue = useRef<ChatAction[]>([]);
	const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
	const quitting = useRef(false);
	const exited = useRef(false);
	const exitRef = useRef(onExit);
	exitRef.current = onExit;

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
		const listeners = new Map<keyof ChatClientEvents, (payload: unknown) => void>();
		for (const name of Object.keys(eventActions) as Array<keyof ChatClientEvents>) {
			const toActions = eventActions[name] as (payload: unknown, context: EventContext) => ChatAction | ChatAction[] | undefined;
			const listener = (payload: unknown) => {
				const actions = toActions(payload, {time: now(), serverLabel});
				if (actions) enqueue(actions);
			};
			listeners.set(name, listener);
			client.on(name, listener);
			unsubscribe.push(() => client.off(name, listener));
		}
		// The server gone for good (no reconnect coming) ends the app, unless we are leaving anyway.
		const onDisconnected = ({reason, willReconnect}: ChatClientEvents['disconnected']) => {
			if (!willReconnect && !quitting.current) finish(1, `disconnected: ${sanitizeLine(reason)}`);
		};
		client.on('disconnected', onDisconnected);
		unsubscribe.push(() => client.off('disconnected', onDisconnected));

		// What happened while the interface loaded comes first, in this same turn, so nothing is missed.
		for (const event of earlyEvents?.drain() ?? []) {
			listeners.get(event.name)?.(event.payload);
			if (event.name === 'disconnected') onDisconnected(event.payload);
		}

		client.start();
		return () => {
			for (const off of unsubscribe) off();
			if (timer.current !== undefined) clearTimeout(timer.current);
			timer.current = undefined;
		};
		// Runs once per client: the warning is read when the client starts.
	}, [client, serverLabel, enqueue, dispatch, finish, now]);

	const quit = useCallback((reason?: string) => {
		if (quitting.current) return;
		quitting.current = true;
		dispatch({type: 'info', text: 'leaving…', time: now()});
		void client.exit(reason).then(() => {
			finish(0);
		});
	}, [client, dispatch, finish, now]);

	const run = useCallback((descriptor: CommandDescriptor) => {
		const time = now();
		switch (descriptor.type) {
			case 'send': {
				const localId = client.send(descriptor.text);
				dispatch({type: 'ownMessageQueued', localId, text: descriptor.text, time});
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
		}
	}, [client, dispatch, quit, now]);

	const isQuitting = useCallback(() => quitting.current, []);
	return {state, dispatch, run, quitting: isQuitting};
}
