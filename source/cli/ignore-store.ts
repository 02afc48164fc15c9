// The names /ignore added, kept across runs in
// $XDG_CONFIG_HOME/codechat-tui/ignore.json beside the open-rooms folder:
// one list for every server, since it names people, not accounts of one
// server. The file is 0600 in a 0700 folder, written whole to a temporary
// file, flushed and renamed over the old one. What is read back is checked
// name by name; a damaged file is an IgnoreStoreError (a warning), never a crash.
import {mkdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {usernameProblem} from '../protocol/limits.js';
import {errorCode, writePrivateFile} from './private-file.js';

/** Far more than anyone ignores: a bigger file is not ours. */
const MAX_FILE_BYTES = 64 * 1024;
const MAX_NAMES = 1000;

export class IgnoreStoreError extends Error {}

export class IgnoreStore {
	readonly file: string;
	readonly #directory: string;

	/** `configDir`: see configDirectory() in open-rooms.ts. */
	constructor(configDir: string) {
		this.#directory = configDir;
		this.file = path.join(configDir, 'ignore.json');
	}

	/** The names saved; [] when there is no file. Throws IgnoreStoreError. */
	read(): string[] {
		let text: string;
		try {
			text = readFileSync(this.file, 'utf8');
		} catch (error) {
			if (errorCode(error) === 'ENOENT') return [];
			throw new IgnoreStoreError(`cannot read your ignore list from ${this.file} (${errorCode(error)}); nobody is ignored but the config file's names`);
		}

		const names = parse(text);
		if (names === undefined) throw new IgnoreStoreError(`your ignore list, ${this.file}, is damaged; nobody is ignored but the config file's names (it is replaced on the next /ignore)`);
		return names.filter(name => usernameProblem(name) === undefined).slice(0, MAX_NAMES);
	}

	/** Replaces the list. Throws IgnoreStoreError. */
	save(names: readonly string[]): void {
		try {
			mkdirSync(this.#directory, {recursive: true, mode: 0o700});
			writePrivateFile(this.file, JSON.stringify({ignore: [...names]}) + '\n');
		} catch (error) {
			throw new IgnoreStoreError(`cannot save your ignore list in ${this.file} (${errorCode(error)}); it holds for this run only`);
		}
	}
}

function parse(text: string): string[] | undefined {
	if (text.length > MAX_FILE_BYTES) return undefined;
	try {
		const value = JSON.parse(text) as {ignore?: unknown};
		if (typeof value !== 'object' || value === null || !Array.isArray(value.ignore)) return undefined;
		return value.ignore.filter((name): name is string => typeof name === 'string');
	} catch {
		return undefined;
	}
}
