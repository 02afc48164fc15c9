// --log FILE: an appended, sanitised, timestamped plain-text transcript of
// what happened in the room, written whichever interface is running.
import {closeSync, openSync, writeSync} from 'node:fs';
import type {ChatClient} from '../client/index.js';
import {sanitize, sanitizeLine} from '../text/sanitize.js';
import {toPlainLine, type PipeEvent} from './pipe-output.js';

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
	let me = client.user;
	const append = (line: string) => {
		try {
			writeSync(fd, `${now().toISOString()} ${line}\n`);
		} catch {
			// A full disk must not take the chat down; the transcript just stops growing.
		}
	};

	// Events read as pipe mode's plain lines; chat lines drop its clock, the timestamp is in front.
	const log = (event: PipeEvent) => {
		const line = toPlainLine(event);
		if (line !== undefined) append(line.trimEnd());
	};

	const said = (user: string, text: string) => append(`<${sanitizeLine(user)}> ${sanitize(text).replaceAll('\n', '\n    ')}`);
	client
		.on('connected', event => {
			me = event.user;
			log({type: 'connected', user: event.user, server: event.server});
		})
		.on('message', event => said(event.user, event.text))
		.on('sent', event => said(me, event.text))
		.on('failed', event => log({type: 'failed', text: event.text, error: event.error}))
		.on('enter', event => log({type: 'enter', user: event.user}))
		.on('exit', event => log({type: 'exit', user: event.user}))
		.on('rename', event => log({type: 'rename', oldname: event.oldname, newname: event.newname}))
		.on('renamed', event => {
			me = event.newname;
			log({type: 'rename', oldname: event.oldname, newname: event.newname});
		})
		.on('disconnected', event => log({type: 'disconnected', reason: event.reason}))
		.on('error', event => log({type: 'error', message: event.message}));
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
