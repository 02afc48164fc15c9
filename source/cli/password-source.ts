// Where a script's password comes from (PROTOCOL.md §11): --password-file
// FILE, refused when others could read it (as ssh refuses a private key),
// or $CODECHAT_PASSWORD, taken out of the environment at start-up so that no
// child process ($EDITOR, a hook) inherits it. The password is never part of
// an error text.
import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {MAX_PASSWORD_CHARS} from '../protocol/password-rules.js';

export const PASSWORD_VARIABLE = 'CODECHAT_PASSWORD';

/** A password file larger than this is not a password file (1,024 characters of up to 4 UTF-8 bytes, and a newline). */
const MAX_PASSWORD_FILE_BYTES = (MAX_PASSWORD_CHARS * 4) + 2;

/** Why the password file cannot be used and what to do; the caller prints it and exits 2. */
export class PasswordFileError extends Error {}

/**
 * Removes $CODECHAT_PASSWORD from `environment` (process.env) and returns
 * it; undefined when unset or empty. Call it before anything can spawn.
 */
export function takeEnvironmentPassword(environment: NodeJS.ProcessEnv): string | undefined {
	const value = environment[PASSWORD_VARIABLE];
	delete environment[PASSWORD_VARIABLE];
	return value === undefined || value === '' ? undefined : value;
}

/** The first line of FILE, its line ending removed. Throws PasswordFileError. */
export function readPasswordFile(file: string): string {
	let fd: number;
	try {
		fd = openSync(file, 'r');
	} catch (error) {
		throw new PasswordFileError(`cannot open the password file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
	}

	try {
		// Checked on the open file, not the name, so it cannot be swapped between the check and the read.
		const stat = fstatSync(fd);
		if (!stat.isFile()) throw new PasswordFileError(`the password file ${file} is not a regular file`);
		if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
			const octal = (stat.mode & 0o777).toString(8).padStart(4, '0');
			throw new PasswordFileError(`the password file ${file} is open to other users (mode ${octal}); make it yours alone: chmod 600 ${file}`);
		}

		if (stat.size > MAX_PASSWORD_FILE_BYTES) throw new PasswordFileError(`the password file ${file} is too large for a password (at most ${MAX_PASSWORD_CHARS} characters, on its first line)`);
		const buffer = Buffer.alloc(MAX_PASSWORD_FILE_BYTES + 1);
		const length = readSync(fd, buffer, 0, buffer.length, 0);
		const text = buffer.subarray(0, length).toString('utf8');
		const line = text.split('\n', 1)[0]!.replace(/\r$/, '');
		if (line === '') throw new PasswordFileError(`the password file ${file} is empty; put the password on its first line`);
		return line;
	} finally {
		closeSync(fd);
	}
}
