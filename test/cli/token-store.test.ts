import {chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {stateDirectory, TokenStore, TokenStoreError} from '../../source/cli/token-store.js';

const server = {host: 'chat.example.com', port: 8080, tls: true};
const token = 'A'.repeat(43);

let root: string;
beforeEach(() => {
	root = mkdtempSync(path.join(tmpdir(), 'tokens-'));
});
afterEach(() => {
	chmodSync(root, 0o700);
	rmSync(root, {recursive: true, force: true});
});

const mode = (file: string) => statSync(file).mode & 0o777;

describe('stateDirectory', () => {
	it('is $XDG_STATE_HOME/codechat-tui, or ~/.local/state/codechat-tui when unset or relative', () => {
		expect(stateDirectory({XDG_STATE_HOME: '/x/state'}, '/home/a')).toBe('/x/state/codechat-tui');
		expect(stateDirectory({}, '/home/a')).toBe('/home/a/.local/state/codechat-tui');
		expect(stateDirectory({XDG_STATE_HOME: 'relative'}, '/home/a')).toBe('/home/a/.local/state/codechat-tui');
	});
});

describe('TokenStore', () => {
	it('keeps a token per server and name: the name in any case, not another port, name or transport', () => {
		const store = new TokenStore(path.join(root, 'codechat-tui'));
		store.write(server, 'Alice', token);
		store.write(server, 'bob', 'B'.repeat(43));
		expect(store.read(server, 'alice')).toBe(token);
		expect(store.read({...server, host: 'CHAT.example.com'}, 'ALICE')).toBe(token);
		expect(store.read(server, 'bob')).toBe('B'.repeat(43));
		expect(store.read({...server, port: 8081}, 'alice')).toBeUndefined();
		expect(store.read({...server, tls: false}, 'alice')).toBeUndefined();
		expect(store.read(server, 'carol')).toBeUndefined();
	});

	it('makes its folders 0700 and its files 0600, whatever the umask, and tightens a folder left looser', () => {
		const stateDir = path.join(root, 'codechat-tui');
		mkdirSync(stateDir, {mode: 0o755});
		chmodSync(stateDir, 0o755);
		const previous = process.umask(0);
		try {
			const store = new TokenStore(stateDir);
			store.write(server, 'alice', token);
			expect(mode(stateDir)).toBe(0o700);
			expect(mode(store.directory)).toBe(0o700);
			const files = readdirSync(store.directory);
			expect(files).toHaveLength(1);
			expect(mode(path.join(store.directory, files[0]!))).toBe(0o600);
		} finally {
			process.umask(previous);
		}
	});

	it('replaces a token by renaming a whole new file over it, leaving no temporary file', () => {
		const store = new TokenStore(path.join(root, 'codechat-tui'));
		store.write(server, 'alice', token);
		const [file] = readdirSync(store.directory);
		const before = statSync(path.join(store.directory, file!)).ino;
		store.write(server, 'alice', 'C'.repeat(43));
		expect(readdirSync(store.directory)).toEqual([file]);
		// A new inode: the old file was never opened for writing, so a crash leaves one whole token or the other.
		expect(statSync(path.join(store.directory, file!)).ino).not.toBe(before);
		expect(store.read(server, 'alice')).toBe('C'.repeat(43));
	});

	it('does not use a token file that others can read, nor a damaged one', () => {
		const store = new TokenStore(path.join(root, 'codechat-tui'));
		store.write(server, 'alice', token);
		const file = path.join(store.directory, readdirSync(store.directory)[0]!);
		chmodSync(file, 0o644);
		expect(store.read(server, 'alice')).toBeUndefined();
		chmodSync(file, 0o600);
		writeFileSync(file, '{"server":');
		expect(store.read(server, 'alice')).toBeUndefined();
	});

	it('forgets a token on remove, and removing one that is not there is fine', () => {
		const store = new TokenStore(path.join(root, 'codechat-tui'));
		store.write(server, 'alice', token);
		store.remove(server, 'alice');
		expect(store.read(server, 'alice')).toBeUndefined();
		expect(() => {
			store.remove(server, 'alice');
		}).not.toThrow();
	});

	it('says which folder it cannot write, and never the token', () => {
		// A file where the folder should be: refused even for root, which ignores permissions.
		writeFileSync(path.join(root, 'codechat-tui'), '');
		const store = new TokenStore(path.join(root, 'codechat-tui'));
		expect(() => {
			store.write(server, 'alice', token);
		}).toThrow(TokenStoreError);
		try {
			store.write(server, 'alice', token);
		} catch (error) {
			expect((error as Error).message).toContain(store.directory);
			expect((error as Error).message).not.toContain(token);
		}
	});

	it('keeps the token out of the file name', () => {
		const store = new TokenStore(path.join(root, 'codechat-tui'));
		store.write(server, 'alice', token);
		const [file] = readdirSync(store.directory);
		expect(file).not.toContain(token);
		expect(file).toMatch(/^[0-9a-f]{32}\.json$/);
		expect(readFileSync(path.join(store.directory, file!), 'utf8')).toContain('tls://chat.example.com:8080');
	});
});
