// --log FILE: an appended, sanitised, timestamped plain-text transcript of
// what happened in the room, written whichever interface is running.
import {closeSync, openSync, writeSync} from 'node:fs';
import type {ChatClient} from '../client/index.js';
import {sanitize, sanitizeLine} from '../text/sanitize.js';

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

	const indent = (text: string) => sanitize(text).replaceAll('\n', '\n    ');
	client
		.on('connected', event => {
			me = event.user;
			append(`* connected to ${sanitizeLine(event.server)} as ${sanitizeLine(event.user)}`);
		})
		.on('message', event => append(`<${sanitizeLine(event.user)}> ${indent(event.text)}`))
		.on('sent', event => append(`<${sanitizeLine(me)}> ${indent(event.text)}`))
		.on('failed', event => append(`! not sent: ${sanitizeLine(event.text)} (${sanitizeLine(event.error)})`))
		.on('enter', event => append(`* ${sanitizeLine(event.user)} joined`))
		.on('exit', event => append(`* ${sanitizeLine(event.user)} left`))
		.on('rename', event => append(`* ${sanitizeLine(event.oldname)} is now ${sanitizeLine(event.newname)}`))
		.on('renamed', event => {
			me = event.newname;
			append(`* ${sanitizeLine(event.oldname)} is now ${sanitizeLine(event.newname)}`);
		})
		.on('disconnected', event => append(`* disconnected: ${sanitizeLine(event.reason)}`))
		.on('error', event => append(`! ${sanitizeLine(event.message)}`));
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
