// /file, /share PATH, /edit, /save PATH and /save! PATH: the room's shared
// file (PROTOCOL.md §12). /share reads and checks the local file here (a
// regular file, UTF-8 text, within the file limit), so the TUI only uploads
// what these return; the rest is carried out by the screen, which holds the file.
import path from 'node:path';
import {DEFAULT_FILE_BYTES, fileNameProblem} from '../protocol/file-rules.js';
import {nodeFiles, type PasteFiles} from './paste-command.js';
import type {CommandDescriptor, SlashCommand} from './types.js';

const number = (value: number) => value.toLocaleString('en-US');

function expandHome(target: string, home: string): string {
	return target === '~' || target.startsWith('~/') ? home + target.slice(1) : target;
}

/** Why a file system call failed, for a person, by errno code. */
function why(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	if (code === 'EISDIR') return 'it is a folder';
	return code ?? String(error);
}

/** Reads PATH for /share: the descriptor that uploads it, or the one line saying why not. */
export function runShare(args: string, files: PasteFiles): CommandDescriptor {
	const shown = args.trim();
	if (shown === '') return {type: 'error', text: 'usage: /share PATH (uploads a local text file as the room\'s shared file)'};
	const target = expandHome(shown, files.home);
	let stats;
	try {
		stats = files.stat(target);
	} catch (error) {
		return {type: 'error', text: `cannot share ${shown}: ${why(error)}`};
	}

	if (!stats) return {type: 'error', text: `cannot share ${shown}: no such file`};
	if (!stats.isFile) return {type: 'error', text: `cannot share ${shown}: not a regular file`};
	if (stats.size > DEFAULT_FILE_BYTES) {
		return {type: 'error', text: `cannot share ${shown}: it is ${number(stats.size)} bytes; a shared file holds at most ${number(DEFAULT_FILE_BYTES)} bytes (48 KiB)`};
	}

	let text: string;
	try {
		text = new TextDecoder('utf-8', {fatal: true}).decode(files.read(target));
	} catch (error) {
		return {type: 'error', text: error instanceof TypeError ? `cannot share ${shown}: it is not UTF-8 text` : `cannot share ${shown}: ${why(error)}`};
	}

	if (text.includes('\0')) return {type: 'error', text: `cannot share ${shown}: it looks binary (a shared file is text)`};
	const name = path.basename(target);
	const problem = fileNameProblem(name);
	if (problem) return {type: 'error', text: `cannot share ${shown}: ${problem}`};
	return {type: 'file', action: {kind: 'share', name, text}};
}

function saveAction(args: string, overwrite: boolean, files: PasteFiles): CommandDescriptor {
	const shown = args.trim();
	if (shown === '') return {type: 'error', text: `usage: /save${overwrite ? '!' : ''} PATH (writes the shared file there${overwrite ? ', replacing what is there' : ''})`};
	return {type: 'file', action: {kind: 'save', path: expandHome(shown, files.home), overwrite}};
}

export function createFileCommands(files: PasteFiles): SlashCommand[] {
	return [
		{
			name: 'file',
			altNames: [],
			description: 'show or hide the room\'s shared file (F2)',
			usage: '/file',
			action: () => ({type: 'file', action: {kind: 'toggle'}}),
		},
		{
			name: 'share',
			altNames: [],
			description: 'make a local text file the room\'s shared file (up to 48 KiB)',
			usage: '/share PATH',
			action: args => runShare(args, files),
		},
		{
			name: 'edit',
			altNames: [],
			description: 'edit the shared file in $VISUAL or $EDITOR; it is uploaded if you change it',
			usage: '/edit',
			action: () => ({type: 'file', action: {kind: 'edit'}}),
		},
		{
			name: 'save',
			altNames: [],
			description: 'write the shared file to a local file (never over an existing one)',
			usage: '/save PATH',
			action: args => saveAction(args, false, files),
		},
		{
			name: 'save!',
			altNames: [],
			description: 'the same, replacing an existing file',
			usage: '/save! PATH',
			action: args => saveAction(args, true, files),
		},
	];
}

export const fileCommands: readonly SlashCommand[] = createFileCommands(nodeFiles);
