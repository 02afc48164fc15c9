// One way to write the client's own small files (tokens, open rooms, the
// ignore list): whole, to a fresh temporary file created 0600, flushed, then
// renamed over the old one, so a crash leaves the old file or the new one and
// no other user can read either, not even for a moment.
import {randomBytes} from 'node:crypto';
import {closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync} from 'node:fs';

/** Replaces `file` with `body`. Throws the file system's error; the temporary file is gone by then. */
export function writePrivateFile(file: string, body: string): void {
	const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
	try {
		// 'wx': a fresh file of our own; the mode is set at creation, so it is never readable by others.
		const fd = openSync(temporary, 'wx', 0o600);
		try {
			writeSync(fd, body);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}

		renameSync(temporary, file);
	} catch (error) {
		try {
			rmSync(temporary, {force: true});
		} catch {
			// No folder to hold it (a file stands where the folder should be): nothing to remove.
		}

		throw error;
	}
}

/** The file system's code of an error (ENOENT, EACCES…), for the one line a user reads; 'error' when it has none. */
export function errorCode(error: unknown): string {
	return (error as NodeJS.ErrnoException).code ?? 'error';
}
