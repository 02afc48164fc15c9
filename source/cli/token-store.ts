// The login tokens of PROTOCOL.md §11, kept so that a reconnect (or the next
// start) logs in without asking for the password again. One file per server
// and name under $XDG_STATE_HOME/codechat-tui/tokens/, the directories 0700,
// the files 0600, each written whole to a temporary file, flushed and renamed
// over the old one, so a crash leaves the old token or the new, never half.
// No error text, log line or return value other than read() holds a token.
import {createHash} from 'node:crypto';
import {chmodSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, unlinkSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {nameKey} from '../protocol/limits.js';
import {errorCode, writePrivateFile} from './private-file.js';

/** Which server a token belongs to: a token got over TLS is not offered to a plain-TCP server of the same address. */
export type TokenServer = {host: string; port: number; tls: boolean};

/** A stored token larger than this is no token of ours (they are 43 characters): ignored. */
const MAX_TOKEN_FILE_BYTES = 4096;

/** $XDG_STATE_HOME/codechat-tui, or ~/.local/state/codechat-tui (the XDG default). */
export function stateDirectory(environment: {XDG_STATE_HOME?: string}, home: string = homedir()): string {
	// The XDG spec says a relative value is invalid and must be ignored.
	const base = environment.XDG_STATE_HOME !== undefined && path.isAbsolute(environment.XDG_STATE_HOME) ? environment.XDG_STATE_HOME : path.join(home, '.local', 'state');
	return path.join(base, 'codechat-tui');
}

/** Says what went wrong with the token directory and what to do; never carries a token. */
export class TokenStoreError extends Error {}

type StoredToken = {server: string; name: string; token: string};

export class TokenStore {
	readonly directory: string;

	/** `stateDir` is the codechat-tui state directory (see stateDirectory()); tokens go in its `tokens` folder. */
	constructor(stateDir: string) {
		this.directory = path.join(stateDir, 'tokens');
	}

	/** The saved token for this server and name, or undefined (none, unreadable, or not ours). */
	read(server: TokenServer, name: string): string | undefined {
		const text = readOwnPrivateFile(this.#file(server, name));
		if (text === undefined) return undefined;
		try {
			const stored = JSON.parse(text) as Partial<StoredToken>;
			// The file name is a digest: the content says whose it is, and a mismatch is not used.
			if (stored.server !== serverKey(server) || stored.name !== nameKey(name) || typeof stored.token !== 'string' || stored.token === '') return undefined;
			return stored.token;
		} catch {
			return undefined;
		}
	}

	/** Saves (or replaces) the token for this server and name. Throws TokenStoreError. */
	write(server: TokenServer, name: string, token: string): void {
		this.#prepareDirectory();
		const file = this.#file(server, name);
		const body = JSON.stringify({server: serverKey(server), name: nameKey(name), token} satisfies StoredToken) + '\n';
		try {
			writePrivateFile(file, body);
		} catch (error) {
			throw new TokenStoreError(`cannot save the login token in ${this.directory} (${errorCode(error)}); you will be asked for the password next time`);
		}
	}

	/** Forgets the token for this server and name (logout, or the server refused it). */
	remove(server: TokenServer, name: string): void {
		try {
			unlinkSync(this.#file(server, name));
		} catch (error) {
			if (errorCode(error) !== 'ENOENT') throw new TokenStoreError(`cannot delete the login token in ${this.directory} (${errorCode(error)}); delete the folder by hand`);
		}
	}

	#file(server: TokenServer, name: string): string {
		// A digest names the file: host names and Unicode names need no escaping, and no key can reach outside the folder.
		const digest = createHash('sha256').update(`${serverKey(server)}\n${nameKey(name)}`).digest('hex').slice(0, 32);
		return path.join(this.directory, `${digest}.json`);
	}

	/** Makes the folders 0700, and tightens them if they exist looser (they are ours: the umask may have widened them). */
	#prepareDirectory(): void {
		try {
			mkdirSync(this.directory, {recursive: true, mode: 0o700});
			if (process.platform !== 'win32') {
				chmodSync(path.dirname(this.directory), 0o700);
				chmodSync(this.directory, 0o700);
			}
		} catch (error) {
			throw new TokenStoreError(`cannot make the folder ${this.directory} for login tokens (${errorCode(error)}); check $XDG_STATE_HOME, or that your home folder is writable`);
		}
	}
}

/** The file's text, unless it is missing, too big, not a plain file, or one that others could read or that we did not write. */
function readOwnPrivateFile(file: string): string | undefined {
	let fd: number;
	try {
		fd = openSync(file, 'r');
	} catch {
		return undefined;
	}

	try {
		const stat = fstatSync(fd);
		// A token others could read may be in their hands already; a file we did not write is not trusted.
		const exposed = process.platform !== 'win32' && ((stat.mode & 0o077) !== 0 || stat.uid !== process.getuid?.());
		if (!stat.isFile() || stat.size > MAX_TOKEN_FILE_BYTES || exposed) return undefined;
		return readFileSync(fd, 'utf8');
	} catch {
		return undefined;
	} finally {
		closeSync(fd);
	}
}

function serverKey(server: TokenServer): string {
	const host = server.host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
	return `${server.tls ? 'tls' : 'tcp'}://${host.includes(':') ? `[${host}]` : host}:${server.port}`;
}
