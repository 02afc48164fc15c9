import {describe, expect, it} from 'vitest';
import {CURRENT_SCRYPT, formatHash, HashFormatError, parseHash, PasswordHasher} from '../../../source/server/accounts/password-hash.js';

// Cheap parameters keep the suite fast; the format and the rules do not depend on the cost.
const cheap = {ln: 4, r: 8, p: 1};

describe('scrypt password hashes', () => {
	it('writes parameters, salt and key into the string, with a fresh salt each time', async () => {
		const hasher = new PasswordHasher(cheap);
		const first = await hasher.hash('correct horse');
		const second = await hasher.hash('correct horse');
		expect(first).toMatch(/^\$scrypt\$ln=4,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
		expect(second).not.toBe(first);
		expect(first).not.toContain('correct horse');
		expect(parseHash(first).parameters).toEqual(cheap);
	});

	it('accepts the right password and refuses a wrong one', async () => {
		const hasher = new PasswordHasher(cheap);
		const stored = await hasher.hash('correct horse');
		expect(await hasher.verify(stored, 'correct horse')).toEqual({match: true, needsRehash: false});
		expect(await hasher.verify(stored, 'correct horsf')).toEqual({match: false, needsRehash: false});
	});

	it('treats the same text in composed and decomposed form as one password', async () => {
		const hasher = new PasswordHasher(cheap);
		const stored = await hasher.hash('caf\u00e9 au lait');
		expect((await hasher.verify(stored, 'cafe\u0301 au lait')).match).toBe(true);
	});

	it('verifies a hash made with other parameters, and asks for a rehash', async () => {
		const old = await new PasswordHasher({ln: 3, r: 8, p: 1}).hash('correct horse');
		const current = new PasswordHasher(cheap);
		expect(await current.verify(old, 'correct horse')).toEqual({match: true, needsRehash: true});
		expect(await current.verify(old, 'wrong horse')).toEqual({match: false, needsRehash: true});
	});

	it.each([
		['empty', ''],
		['not scrypt', '$2b$10$abcdefghijklmnopqrstuv'],
		['missing key', '$scrypt$ln=4,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA=='],
		['bad base64', '$scrypt$ln=4,r=8,p=1$c2Fs!HNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U='],
		['absurd cost', '$scrypt$ln=40,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U='],
		['zero parallelism', '$scrypt$ln=4,r=8,p=0$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U='],
		['short salt', '$scrypt$ln=4,r=8,p=1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U='],
	])('a corrupt stored hash (%s) is a typed error, not a wrong password', async (_, stored) => {
		const verifying = new PasswordHasher(cheap).verify(stored, 'correct horse');
		await expect(verifying).rejects.toBeInstanceOf(HashFormatError);
		await expect(verifying).rejects.toMatchObject({code: 'corrupt-hash'});
		await expect(verifying).rejects.not.toThrow(/correct horse/);
	});

	it('round-trips formatHash and parseHash', () => {
		const salt = Buffer.alloc(16, 1);
		const key = Buffer.alloc(32, 2);
		expect(parseHash(formatHash(CURRENT_SCRYPT, salt, key))).toEqual({parameters: CURRENT_SCRYPT, salt, key});
	});

	it('makes the dummy with the current parameters, and checks against it', async () => {
		const hasher = new PasswordHasher(cheap);
		const made: string[] = [];
		const verify = hasher.verify.bind(hasher);
		hasher.verify = async (stored, password) => {
			made.push(stored);
			return verify(stored, password);
		};

		await hasher.verifyDummy('whatever password');
		await hasher.verifyDummy('another password');
		expect(made).toHaveLength(2);
		expect(made[1]).toBe(made[0]);
		expect(parseHash(made[0]!).parameters).toEqual(cheap);
	});
});
