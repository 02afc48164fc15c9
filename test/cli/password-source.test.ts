import {execFileSync} from 'node:child_process';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {PasswordFileError, readPasswordFile, takeEnvironmentPassword} from '../../source/cli/password-source.js';

const secret = 'correct horse battery';
let root: string;
beforeEach(() => {
	root = mkdtempSync(path.join(tmpdir(), 'password-file-'));
});
afterEach(() => {
	rmSync(root, {recursive: true, force: true});
});

function passwordFile(text: string, mode: number): string {
	const file = path.join(root, 'password');
	writeFileSync(file, text);
	chmodSync(file, mode);
	return file;
}

function refusal(file: string): string {
	try {
		readPasswordFile(file);
	} catch (error) {
		expect(error).toBeInstanceOf(PasswordFileError);
		return (error as Error).message;
	}

	throw new Error('the file was accepted');
}

describe('readPasswordFile', () => {
	it('reads the first line, without its line ending', () => {
		expect(readPasswordFile(passwordFile(`${secret}\n`, 0o600))).toBe(secret);
		expect(readPasswordFile(passwordFile(`${secret}\r\nsecond line\n`, 0o400))).toBe(secret);
		expect(readPasswordFile(passwordFile(secret, 0o600))).toBe(secret);
	});

	it('refuses a file that group or others may read or write, saying how to fix it, without the password', () => {
		for (const mode of [0o644, 0o640, 0o604, 0o620, 0o660]) {
			const message = refusal(passwordFile(`${secret}\n`, mode));
			expect(message).toContain(`mode ${mode.toString(8).padStart(4, '0')}`);
			expect(message).toContain('chmod 600');
			expect(message).not.toContain(secret);
		}
	});

	it('refuses a missing file, a folder, an empty file and a huge one, each in its own words', () => {
		expect(refusal(path.join(root, 'nothing'))).toContain('ENOENT');
		const folder = path.join(root, 'folder');
		mkdirSync(folder, {mode: 0o700});
		expect(refusal(folder)).toContain('not a regular file');
		expect(refusal(passwordFile('\nnext\n', 0o600))).toContain('empty');
		expect(refusal(passwordFile('x'.repeat(100_000), 0o600))).toContain('too large');
	});
});

describe('takeEnvironmentPassword', () => {
	it('returns $CODECHAT_PASSWORD and removes it, so a child process does not inherit it', () => {
		const environment: NodeJS.ProcessEnv = {CODECHAT_PASSWORD: secret, PATH: process.env.PATH};
		expect(takeEnvironmentPassword(environment)).toBe(secret);
		const childEnvironment = execFileSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], {env: environment, encoding: 'utf8'});
		expect(childEnvironment).not.toContain(secret);
		expect(environment).not.toHaveProperty('CODECHAT_PASSWORD');
	});

	it('treats an empty value as no password, and still removes it', () => {
		const environment: NodeJS.ProcessEnv = {CODECHAT_PASSWORD: ''};
		expect(takeEnvironmentPassword(environment)).toBeUndefined();
		expect(environment).not.toHaveProperty('CODECHAT_PASSWORD');
	});
});
