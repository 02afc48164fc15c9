// The room's shared file as the TUI knows it, and the one chat line each
// change earns. Pure: use-shared-file.ts feeds it the client's `file` events
// and says the lines.
import type {SharedFileChange, SharedFileText} from '../client/events.js';
import {changeSummary, lineChanges} from './line-changes.js';

export type PendingEdit = {
	readonly name: string;
	readonly text: string;
	/** The version the edit started from; undefined on a server without versions. */
	readonly base: number | undefined;
	/** The text at `base`, to tell the size of someone else's change if ours is refused. */
	readonly baseText: string;
};

export type SharedFileModel = {
	/** undefined until the server has said (or it keeps none); null when the room has no file. */
	readonly file: SharedFileText | null | undefined;
	/** Lines of `file` the last change added or changed (from 0). */
	readonly changed: ReadonlySet<number>;
	/** Our update on its way. */
	readonly pending: PendingEdit | undefined;
	/** Our text of an update that was refused for a conflict: kept, so /edit can reopen it. */
	readonly kept: PendingEdit | undefined;
};

export const EMPTY_FILE_MODEL: SharedFileModel = {file: undefined, changed: new Set(), pending: undefined, kept: undefined};

export type FileLine = {readonly kind: 'info' | 'error'; readonly text: string};

/** "main.go", or what a 2015 server's nameless file is called. */
export function shownName(name: string): string {
	return name === '' ? 'the shared file' : name;
}

const versionText = (version: number | undefined) => (version === undefined ? '' : ` to v${version}`);

/** The next model and the chat line to show, if any. Names in lines are raw: the chat sanitises what it draws. */
export function applyFileEvent(model: SharedFileModel, event: SharedFileChange): {model: SharedFileModel; line?: FileLine} {
	switch (event.kind) {
		case 'updated': {
			const file: SharedFileText = {name: event.name, text: event.text, user: event.user, ...(event.version === undefined ? {} : {version: event.version}), ...(event.time === undefined ? {} : {time: event.time})};
			const changes = lineChanges(model.file?.text ?? '', file.text);
			const line = `${event.user} updated ${shownName(file.name)}${versionText(file.version)} (${changeSummary(changes)})`;
			return {model: {...model, file, changed: changes.changed}, line: {kind: 'info', text: line}};
		}

		case 'loaded': {
			const {file} = event;
			const before = model.file;
			// The same version again (a reconnect): nothing new to mark or say.
			if (file && before && file.version !== undefined && file.version === before.version) return {model: {...model, file}};
			const changes = file && before ? lineChanges(before.text, file.text) : undefined;
			const next = {...model, file, changed: changes?.changed ?? new Set<number>()};
			if (!file || !changes || (changes.added === 0 && changes.removed === 0)) return {model: next};
			const by = file.user === undefined ? '' : ` by ${file.user}`;
			return {model: next, line: {kind: 'info', text: `${shownName(file.name)} is now${versionText(file.version).replace(' to', '')}${by} (${changeSummary(changes)})`}};
		}

		case 'saved': {
			const changes = lineChanges(model.file?.text ?? '', event.text);
			const file: SharedFileText = {name: event.name, text: event.text, ...(event.version === undefined ? {} : {version: event.version}), user: 'you', time: Date.now()};
			const noVersions = event.version === undefined ? '; this server keeps no versions' : '';
			return {
				model: {file, changed: changes.changed, pending: undefined, kept: undefined},
				line: {kind: 'info', text: `you updated ${shownName(event.name)}${versionText(event.version)} (${changeSummary(changes)})${noVersions}`},
			};
		}

		case 'refused': {
			const pending = model.pending;
			const cleared = {...model, pending: undefined};
			if (event.code !== 'conflict' || !pending) {
				return {model: cleared, line: {kind: 'error', text: `cannot update ${shownName(event.name)}: ${event.error}`}};
			}

			const current = model.file;
			// Their change is known when its update-file event came first, as it does from our server.
			const theirs = current && current.version === event.version ? ` (${changeSummary(lineChanges(pending.baseText, current.text))} since your v${pending.base ?? 0})` : '';
			const version = event.version === undefined ? 'a newer version' : `v${event.version}`;
			const text = `${shownName(event.name)} changed before your update: it is ${version} now${theirs}. Your copy is kept: /edit reopens it to merge by hand (it then replaces ${version}); F2 shows ${version}`;
			return {model: {...cleared, kept: {...pending, base: event.version}}, line: {kind: 'error', text}};
		}

		default: {
			const unknown: never = event;
			throw new Error(`unknown file event ${JSON.stringify(unknown)}`);
		}
	}
}
