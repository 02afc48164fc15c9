// The operator's account command as a process: the built CLI makes, resets
// and deletes accounts in a --data directory, a login through the Accounts
// facade on the same directory then works, and the password's bytes are
// nowhere: not in the database file or its WAL, not in stdout or stderr,
// not on the terminal.
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {Accounts} from '../../source/server/accounts/accounts.js';
import {Lockout} from '../../source/server/accounts/lockout.js';
import {MemoryLockoutStore} from '../../source/server/accounts/memory-lockout.js';
import {SqliteAccountStore} from '../../source/server/accounts/sqlite-account-store.js';
import {DATABASE_FILE} from '../../source/server/store/sqlite-open.js';
import {SqliteLog} from '../../source/server/store/sqlite-log.js';
import {cliPath, closePtys, spawnCli} from '../helpers/pty.js';

const dirs: string[] = [];
function freshDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'codechat-account-cli-'));
	dirs.push(dir);
	return dir;
}

afterEach(closePtys);
afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

function account(dir: string, args: string[], input: string) {
	return spawnSync(process.execPath, [cliPath, 'serve', '--data', dir, 'account', ...args], {input, encoding: 'utf8', timeout: 20_000});
}

/** The database file and its WAL, as the bytes on disk. */
function databaseBytes(dir: string): Buffer {
	const files = [DATABASE_FILE, `${DATABASE_FILE}-wal`].map(name => path.join(dir, name)).filter(file => existsSync(file));
	return Buffer.concat(files.map(file => readFileSync(file)));
}

async function withAccounts<T>(dir: string, use: (accounts: Accounts) => Promise<T>): Promise<T> {
	const accounts = new Accounts({store: await SqliteAccountStore.open(dir), lockout: new Lockout(new MemoryLockoutStore())});
	try {
		return await use(accounts);
	} finally {
		await accounts.close();
	}
}

const password = 'Tr0ub4dor&3-unique-bytes';

describe('serve --data DIR account', () => {
	it('adds an account from a piped password; a login on the same DIR then works; the password is nowhere', async () => {
		const dir = freshDir();
		const added = account(dir, ['add', 'Alice'], `${password}\n`);
		expect(added.stderr).toBe('');
		expect(added.stdout).toBe('account Alice added\n');
		expect(added.status).toBe(0);
		const afterAdd = databaseBytes(dir);
		expect(afterAdd.length).toBeGreaterThan(0);
		expect(afterAdd.includes(Buffer.from(password))).toBe(false);

		const login = await withAccounts(dir, async accounts => accounts.login('alice', {password}, '127.0.0.1'));
		expect(login).toMatchObject({ok: true, name: 'Alice'});
		const wrong = await withAccounts(dir, async accounts => accounts.login('alice', {password: 'not the password'}, '127.0.0.1'));
		expect(wrong).toMatchObject({ok: false, code: 'auth-failed'});
		expect(databaseBytes(dir).includes(Buffer.from(password))).toBe(false);
		expect(`${added.stdout}${added.stderr}`).not.toContain(password);
	});

	it('resets a password (old one refused, saved logins ended) and deletes an account', async () => {
		const dir = freshDir();
		expect(account(dir, ['add', 'bob'], `${password}\n`).status).toBe(0);
		const token = await withAccounts(dir, async accounts => {
			const login = await accounts.login('bob', {password}, '127.0.0.1');
			return login.ok ? login.token : '';
		});
		const reset = account(dir, ['reset', 'BOB'], 'the new password here\n');
		expect(reset.stdout).toBe('password of BOB reset; its saved logins no longer work\n');
		expect(reset.status).toBe(0);
		await withAccounts(dir, async accounts => {
			expect(await accounts.login('bob', {password}, '127.0.0.1')).toMatchObject({code: 'auth-failed'});
			expect(await accounts.login('bob', {token}, '127.0.0.1')).toMatchObject({code: 'auth-failed'});
			expect((await accounts.login('bob', {password: 'the new password here'}, '127.0.0.1')).ok).toBe(true);
		});
		const deleted = account(dir, ['delete', 'bob'], '');
		expect(deleted.stdout).toBe('account bob deleted, with its saved logins\n');
		expect(await withAccounts(dir, async accounts => accounts.isRegistered('bob'))).toBe(false);
	});

	it.each([
		['a taken name', ['add', 'аlice'], `${password}\n`, 1, 'codechat-tui: the name аlice is already registered\n'],
		['a short password', ['add', 'carol'], 'short\n', 1, 'codechat-tui: that password is not usable: a password has 8 to 1,024 characters; nothing was changed\n'],
		['no password at all', ['add', 'carol'], '', 1, 'codechat-tui: no password on standard input; nothing was changed\n'],
		['an unknown account', ['reset', 'nobody'], `${password}\n`, 1, 'codechat-tui: no account is named nobody\n'],
		['a bad name', ['add', 'no spaces'], `${password}\n`, 2, expect.stringMatching(/^codechat-tui: user name may hold only .* "no spaces" cannot be an account name \(see codechat-tui --help\)\n$/)],
	])('refuses %s in one line', (_, args, input, status, stderr) => {
		const dir = freshDir();
		expect(account(dir, ['add', 'Alice'], `${password}\n`).status).toBe(0);
		const result = account(dir, args, input);
		expect(result.stderr).toEqual(stderr);
		expect(result.stdout).toBe('');
		expect(result.status).toBe(status);
	});

	it('says to stop the server when one holds the directory', async () => {
		const dir = freshDir();
		const log = await SqliteLog.open(dir);
		try {
			const result = account(dir, ['add', 'dave'], `${password}\n`);
			expect(result.stderr).toBe(`codechat-tui: a server is running on ${dir}: stop it, run this command, then start the server again\n`);
			expect(result.status).toBe(1);
		} finally {
			await log.close();
		}
	});

	it('on a terminal, asks twice and echoes nothing', async () => {
		const dir = freshDir();
		const screen = spawnCli(['serve', '--data', dir, 'account', 'add', 'erin']);
		await screen.waitForText('Password for erin:');
		screen.type(`${password}\r`);
		await screen.waitForText('The same password again:');
		screen.type(`${password}\r`);
		expect(await screen.waitExit()).toBe(0);
		expect(screen.text()).toContain('account erin added');
		expect(screen.output).not.toContain(password);
		expect(screen.output).not.toContain('*'.repeat(password.length));
		expect((await withAccounts(dir, async accounts => accounts.login('erin', {password}, '127.0.0.1'))).ok).toBe(true);
	});

	it('on a terminal, refuses two passwords that differ, and changes nothing', async () => {
		const dir = freshDir();
		const screen = spawnCli(['serve', '--data', dir, 'account', 'add', 'fred']);
		await screen.waitForText('Password for fred:');
		screen.type(`${password}\r`);
		await screen.waitForText('The same password again:');
		screen.type(`${password}x\r`);
		expect(await screen.waitExit()).toBe(1);
		expect(screen.text()).toContain('the two passwords differ; nothing was changed');
		expect(screen.output).not.toContain(password);
		expect(await withAccounts(dir, async accounts => accounts.isRegistered('fred'))).toBe(false);
	});

	it('on a terminal, Ctrl-C cancels', async () => {
		const dir = freshDir();
		const screen = spawnCli(['serve', '--data', dir, 'account', 'add', 'gina']);
		await screen.waitForText('Password for gina:');
		screen.type('abc\u0003');
		expect(await screen.waitExit()).toBe(1);
		expect(screen.text()).toContain('cancelled; nothing was changed');
	});
});
