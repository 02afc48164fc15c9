// --log FILE: an appended, sanitised, timestamped plain-text transcript of
// what happened in the room, written whichever interface is running.
// Messages are stamped with the server's time (§9) and come in seq order,
// each once, recovered ones included; the backlog is left out, since it was
// said before this session (an earlier session's transcript has it).
import {closeSync, openSync, writeSync} from 'node:fs';
import {subscribe, type ChatClient} from '../client/index.js';
import {DisconnectLines} from '../state/connection-lines.js';
import {sanitize, sanitizeLine} from '../text/sanitize.js';
import {placeOf, placeTag, toPlainLine, type PipeEvent} from './pipe-output.js';

export type Transcript = {close(): void};

/** Opens FILE for appending; throws an Error whose message says what to do. */
export function openTranscript(file: string): number {
	try {
		return openSync(file, 'a');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'error';
		throw new Error(`cannot open the transcript file ${file} (${code}) — check that its folder exists and is writable`);
	}
}

export function attachTranscript(client: ChatClient, fd: number, now: () => Date = () => new Date()): Transcript {
	const disconnects = new DisconnectLines();
	const append = (line: string, at: Date = now()) => {
		try {
			writeSync(fd, `${at.toISOString()} ${line}\n`);
		} catch {
			// A full disk must not take the chat down; the transcript just stops growing.
		}
	};

	// Events read as pipe mode's plain lines; chat lines drop its clock, the timestamp is in front.
	const log = (event: PipeEvent) => {
		const line = toPlainLine(event);
		if (line !== undefined) append(line.trimEnd());
		if (event.type === 'connected') disconnects.connected();
		else if (event.type === 'error') disconnects.error(event.message);
		else if (event.type !== 'disconnected') disconnects.other();
	};

	const said = (tag: string, user: string, text: string, time?: number, action?: true) => {
		append(`${tag}${action ? `* ${sanitizeLine(user)}` : `<${sanitizeLine(user)}>`} ${sanitize(text).replaceAll('\n', '\n    ')}`, time === undefined ? now() : new Date(time));
		disconnects.other();
	};
	/** Rooms other than #lobby and direct messages are tagged, so one file holds every conversation readably. */
	const where = (conversation: string, to?: string) => placeOf(conversation, client.supports('rooms'), to);
	// One entry per client event (undefined: not written); who we are is the client's.
	subscribe(client, {
		connected: event => log({type: 'connected', user: event.user, server: event.server}),
		message(event) {
			if (!event.backlog) said(placeTag(where(event.conversation, event.to)), event.user, event.text, event.time, event.action);
		},
		sent: event => said(placeTag(where(event.conversation)), client.user, event.text, event.time, event.action),
		failed: event => log({type: 'failed', text: event.text, error: event.error, ...where(event.conversation)}),
		enter: event => log({type: 'enter', user: event.user, ...where(event.conversation)}),
		exit: event => log({type: 'exit', user: event.user, ...(event.msg === undefined ? {} : {msg: event.msg}), ...where(event.conversation)}),
		conversation(event) {
			if (event.kind === 'joined' && !event.again) log({type: 'joined', room: event.room, users: event.users});
			else if (event.kind === 'parted') log({type: 'parted', room: event.room});
		},
		roomList: undefined,
		away: undefined,
		gone: undefined,
		rename: event => log({type: 'rename', oldname: event.oldname, newname: event.newname}),
		renamed: event => log({type: 'rename', oldname: event.oldname, newname: event.newname}),
		renameFailed: undefined,
		passwordNeeded: undefined,
		account: undefined,
		roster: undefined,
		file: undefined,
		disconnected(event) {
			if (disconnects.disconnected(event.reason)) log({type: 'disconnected', reason: event.reason});
		},
		reconnecting: undefined,
		lag: undefined,
		caughtUp: undefined,
		historyGap: event => log({type: 'gap', missed: event.missed, kept: event.kept}),
		historyReset: () => log({type: 'reset'}),
		older: undefined,
		error: event => log({type: 'error', message: event.message}),
		warning: undefined,
	});
	return {
		close() {
			try {
				closeSync(fd);
			} catch {
				// Already closed.
			}
		},
	};
}
