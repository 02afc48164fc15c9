// Finds, reads and checks the config file. A file that is not there is no
// config (unless --config named it); one that cannot be read or says
// something wrong is one line naming the file, the line and the key.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {parse, TomlError} from 'smol-toml';
import {lineOfKey} from './config-lines.js';
import {ConfigProblem, readSettings, type FileSettings} from './config-schema.js';

/** `file`: where the settings were looked for; `found`: whether a file was there. */
export type ConfigFileResult = {ok: true; settings: FileSettings; file: string; found: boolean} | {ok: false; error: string};

export type ConfigEnvironment = Partial<Record<'XDG_CONFIG_HOME', string>>;

/** $XDG_CONFIG_HOME/codechat-tui/config.toml; the spec says a relative $XDG_CONFIG_HOME is ignored, so then ~/.config. */
export function defaultConfigPath(environment: ConfigEnvironment, home: string): string {
	const base = environment.XDG_CONFIG_HOME;
	const directory = base !== undefined && path.isAbsolute(base) ? base : path.join(home, '.config');
	return path.join(directory, 'codechat-tui', 'config.toml');
}

/** The key a TOML syntax error stands at, when its line starts with one: "port" of "port = = 1". */
function keyOnLine(text: string, line: number): string | undefined {
	return /^\s*([A-Za-z0-9_.-]+)\s*=/.exec(text.split(/\r?\n/)[line - 1] ?? '')?.[1];
}

/** Checks a config file's text; `file` names it in errors and is where its relative paths start. */
export function parseConfigText(text: string, file: string, home: string): ConfigFileResult {
	let document: unknown;
	try {
		document = parse(text);
	} catch (error) {
		if (!(error instanceof TomlError)) throw error;
		// smol-toml's message is "Invalid TOML document: what\n\n(the lines around it)": the first line is the one to show.
		const what = error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
		const key = keyOnLine(text, error.line);
		return {ok: false, error: `${file}:${error.line}:${error.column}: ${key === undefined ? '' : `${key}: `}not valid TOML: ${what}`};
	}

	try {
		return {ok: true, settings: readSettings(document, {directory: path.dirname(path.resolve(file)), home}), file, found: true};
	} catch (error) {
		if (!(error instanceof ConfigProblem)) throw error;
		const line = lineOfKey(text, error.path);
		return {ok: false, error: `${file}${line === undefined ? '' : `:${line}`}: ${error.path.join('.')}: ${error.message}`};
	}
}

/**
 * Reads the config file: `explicit` (--config FILE) must be there; the
 * default one may be missing.
 */
export function loadConfigFile(explicit: string | undefined, environment: ConfigEnvironment, home: string): ConfigFileResult {
	if (explicit !== undefined && explicit.trim() === '') return {ok: false, error: '--config needs a file name'};
	const file = explicit ?? defaultConfigPath(environment, home);
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' && explicit === undefined) return {ok: true, settings: {}, file, found: false};
		const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
		return {ok: false, error: `cannot read the config file ${file}: ${why}${explicit === undefined ? '' : ' (given with --config)'}`};
	}

	return parseConfigText(text, file, home);
}
