// /paste FILE [lang]: sends a local text file as one fenced code block, the
// language taken from the argument or the file's extension. The file is
// checked before it is read (a regular file, small enough to fit the message
// limit), so pointing it at a device or a huge log never stalls the TUI.
import {readFileSync, statSync} from 'node:fs';
import {homedir} from 'node:os';
import {countChars, MAX_MESSAGE_CHARS} from '../protocol/limits.js';
import {fenceName, languageFromName, languageFromPath} from '../text/languages.js';
import type {CommandDescriptor, SlashCommand} from './types.js';

/** What /paste needs from the file system; the real one by default, a stand-in in tests. */
export type PasteFiles = {
	/** undefined when nothing is at the path; throws (with an errno code) when it cannot be looked at. */
	stat(path: string): {readonly size: number; readonly isFile: boolean} | undefined;
	read(path: string): Uint8Array;
	readonly home: string;
};

export const nodeFiles: PasteFiles = {
	stat(path) {
		const stats = statSync(path, {throwIfNoEntry: false});
		return stats && {size: stats.size, isFile: stats.isFile()};
	},
	read: path => readFileSync(path),
	home: homedir(),
};

const USAGE = 'usage: /paste FILE [LANG]';
// A character is at most 4 bytes of UTF-8: a file larger than this cannot fit.
const MAX_FILE_BYTES = MAX_MESSAGE_CHARS * 4;
/** What the client will write after ``` for a language it does not ship: a plain tag, nothing that could break the line. */
const languageTag = /^[A-Za-z0-9_+#.-]{1,32}$/;

const number = (value: number) => value.toLocaleString('en-US');
const tooLong = (path: string, size: string) => `${path} is ${size}; the limit is ${number(MAX_MESSAGE_CHARS)} characters — use /share for longer files`;

/** Why a file system call failed, for a person; keyed by errno code. */
function accessProblem(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	switch (code) {
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'ENOTDIR':
			return 'a part of the path is not a folder';
		case 'ELOOP':
			return 'too many symbolic links';
		case 'ENAMETOOLONG':
			return 'the path is too long';
		default:
			return code ?? String(error);
	}
}

type Target = {readonly path: string; readonly shown: string; readonly language: string | undefined};

function expandHome(path: string, home: string): string {
	return path === '~' || path.startsWith('~/') ? home + path.slice(1) : path;
}

/**
 * FILE [LANGUAGE]: the last word is the language only when the whole is not
 * a file, so that a path with spaces still works without quotes.
 */
function targetOf(args: string, files: PasteFiles): Target | undefined {
	const whole = args.trim();
	if (whole === '') return undefined;
	const split = /^(.*\S)\s+(\S+)$/.exec(whole);
	if (split && languageTag.test(split[2]!) && files.stat(expandHome(whole, files.home)) === undefined) {
		return {path: expandHome(split[1]!, files.home), shown: split[1]!, language: split[2]!};
	}
	return {path: expandHome(whole, files.home), shown: whole, language: undefined};
}

/** The fence: one backtick longer than any fence-like run at the start of a line of the file. */
function fenceFor(content: string): string {
	let longest = 2;
	for (const match of content.matchAll(/^ {0,3}(`{3,})/gm)) longest = Math.max(longest, match[1]!.length);
	return '`'.repeat(longest + 1);
}

/**
 * The message /paste sends for `content` (already decoded), or why it
 * cannot: the text as a fenced block, with the language's fence name.
 */
export function pasteMessage(shown: string, content: string, language: string | undefined): CommandDescriptor {
	// Line ends as the chat has them; a final newline would be an empty last line.
	const text = content.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').replace(/\n$/, '');
	if (text.trim() === '') return {type: 'error', text: `${shown} is empty: nothing to paste`};
	if (language !== undefined && !languageTag.test(language)) {
		return {type: 'error', text: 'a language name holds only letters, digits and + # . _ - (up to 32)'};
	}
	const known = language === undefined ? undefined : languageFromName(language);
	const tag = known ? fenceName(known) : language ?? '';
	const fence = fenceFor(text);
	const message = `${fence}${tag}\n${text}\n${fence}`;
	const chars = countChars(message);
	if (chars > MAX_MESSAGE_CHARS) return {type: 'error', text: tooLong(shown, `${number(chars)} characters as a code block`)};
	return {type: 'send', text: message};
}

/** Reads and checks the file named in `args`, then builds the message. */
export function runPaste(args: string, files: PasteFiles): CommandDescriptor {
	const target = targetOf(args, files);
	if (!target) return {type: 'error', text: USAGE};
	const {path, shown} = target;

	let stats;
	try {
		stats = files.stat(path);
	} catch (error) {
		return {type: 'error', text: `cannot paste ${shown}: ${accessProblem(error)}`};
	}
	if (!stats) return {type: 'error', text: `cannot paste ${shown}: no such file`};
	if (!stats.isFile) return {type: 'error', text: `cannot paste ${shown}: not a regular file`};
	if (stats.size > MAX_FILE_BYTES) return {type: 'error', text: tooLong(shown, `${number(stats.size)} bytes`)};

	let bytes: Uint8Array;
	try {
		bytes = files.read(path);
	} catch (error) {
		return {type: 'error', text: `cannot paste ${shown}: ${accessProblem(error)}`};
	}
	let content: string;
	try {
		content = new TextDecoder('utf-8', {fatal: true}).decode(bytes);
	} catch {
		return {type: 'error', text: `cannot paste ${shown}: it is not UTF-8 text (/paste sends text files)`};
	}
	if (content.includes('\0')) return {type: 'error', text: `cannot paste ${shown}: it looks binary (/paste sends text files)`};
	const fromPath = languageFromPath(path);
	return pasteMessage(shown, content, target.language ?? (fromPath && fenceName(fromPath)));
}

export function createPasteCommand(files: PasteFiles): SlashCommand {
	return {
		name: 'paste',
		altNames: [],
		description: 'send a text file as a code block',
		usage: '/paste FILE [LANG]',
		action: args => runPaste(args, files),
	};
}

export const pasteCommand: SlashCommand = createPasteCommand(nodeFiles);
