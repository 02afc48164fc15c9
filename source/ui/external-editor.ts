// Opens the draft in the user's editor ($VISUAL, then $EDITOR, then vi) and
// reads it back. The draft goes to a file only its owner can read, in a
// directory of its own that is removed afterwards. The editor's environment
// has no $CODECHAT_PASSWORD: an editor's plugins have no business with it.
import {spawn} from 'node:child_process';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

/** Variables the editor must not see. */
export const SECRET_VARIABLES = ['CODECHAT_PASSWORD'] as const;

export type EditorOutcome = {ok: true; text: string} | {ok: false; why: string};

export type ExternalEditorOptions = {
	/** @default process.env */
	readonly env?: NodeJS.ProcessEnv;
	/** Where the private directory is made. @default os.tmpdir() */
	readonly directory?: string;
	/** The file's name inside it, for the editor's syntax mode; a plain name made by the caller, never one from the network. @default 'message.txt' */
	readonly fileName?: string;
};

/** The editor command: a shell word list such as "code --wait", as git and the shells take it. */
export function editorCommand(env: NodeJS.ProcessEnv): string {
	return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}

/** Runs the editor on `draft` (the terminal must already be handed over) and returns the text it left. */
export async function editInExternalEditor(draft: string, options: ExternalEditorOptions = {}): Promise<EditorOutcome> {
	const env = options.env ?? process.env;
	const command = editorCommand(env);
	const childEnv = {...env};
	for (const name of SECRET_VARIABLES) delete childEnv[name];

	// mkdtemp makes the directory 0700; the file is 0600 and must not exist yet.
	const directory = await mkdtemp(path.join(options.directory ?? tmpdir(), 'codechat-'));
	try {
		const file = path.join(directory, path.basename(options.fileName ?? 'message.txt'));
		await writeFile(file, draft, {mode: 0o600, flag: 'wx'});
		const status = await new Promise<{code: number | null; signal: NodeJS.Signals | null} | Error>(resolve => {
			// The file is "$1" to the shell, so its name is never parsed as shell code.
			const child = spawn('/bin/sh', ['-c', `${command} "$1"`, 'codechat-editor', file], {stdio: 'inherit', env: childEnv});
			child.once('error', resolve);
			child.once('exit', (code, signal) => {
				resolve({code, signal});
			});
		});
		if (status instanceof Error) return {ok: false, why: `could not start the editor (${status.message}): the draft is unchanged`};
		if (status.code === 127) return {ok: false, why: `could not start the editor "${command}": set $VISUAL or $EDITOR; the draft is unchanged`};
		if (status.code !== 0) {
			const how = status.signal ? `was stopped by ${status.signal}` : `exited with status ${status.code}`;
			return {ok: false, why: `the editor ${how}: the draft is unchanged`};
		}
		return {ok: true, text: await readFile(file, 'utf8')};
	} catch (error) {
		return {ok: false, why: `could not edit the draft in a file: ${(error as Error).message}`};
	} finally {
		await rm(directory, {recursive: true, force: true});
	}
}
