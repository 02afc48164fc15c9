// What every FileStore backend promises (PROTOCOL.md §12), run against each
// real backend by its own test file.
import {afterEach, describe, expect, it} from 'vitest';
import type {FileStore, FileUpdate} from '../../../source/server/files/file-store.js';

export type FileStoreFactory = (options: {now?: () => number}) => Promise<FileStore>;

const edit = (base: number, msg: string, extra: Partial<FileUpdate> = {}): FileUpdate => ({room: '#lobby', name: 'main.go', msg, base, user: 'ann', ...extra});

export function fileStoreContract(name: string, make: FileStoreFactory): void {
	describe(`${name}: the FileStore contract`, () => {
		const open: FileStore[] = [];
		const store = async (options: {now?: () => number} = {}) => {
			const made = await make(options);
			open.push(made);
			return made;
		};

		afterEach(async () => {
			await Promise.all(open.splice(0).map(async made => made.close()));
		});

		it('has no file before the first update, then versions 1, 2, 3 with who and when', async () => {
			let clock = 1000;
			const files = await store({now: () => clock});
			expect(await files.get('#lobby')).toBeNull();
			expect(await files.update(edit(0, 'package main\n'))).toEqual({outcome: 'updated', version: 1, time: 1000});
			clock = 2000;
			expect(await files.update(edit(1, 'package main\n\nfunc main() {}\n', {user: 'bob', name: 'app.go'}))).toEqual({outcome: 'updated', version: 2, time: 2000});
			expect(await files.get('#lobby')).toEqual({name: 'app.go', msg: 'package main\n\nfunc main() {}\n', version: 2, user: 'bob', time: 2000});
		});

		it('refuses a stale or future base with the current version and writes nothing', async () => {
			const files = await store();
			await files.update(edit(0, 'one'));
			await files.update(edit(1, 'two'));
			expect(await files.update(edit(1, 'lost'))).toEqual({outcome: 'conflict', version: 2});
			expect(await files.update(edit(0, 'lost'))).toEqual({outcome: 'conflict', version: 2});
			expect(await files.update(edit(7, 'lost'))).toEqual({outcome: 'conflict', version: 2});
			expect((await files.get('#lobby'))?.msg).toBe('two');
		});

		it('lets exactly one of many updates from the same base win', async () => {
			const files = await store();
			const outcomes = await Promise.all(Array.from({length: 20}, async (_, index) => files.update(edit(0, `edit ${index}`))));
			expect(outcomes.filter(outcome => outcome.outcome === 'updated')).toHaveLength(1);
			expect(outcomes.filter(outcome => outcome.outcome === 'conflict')).toHaveLength(19);
		});

		it('keeps each room apart, and drop forgets one room only', async () => {
			const files = await store();
			await files.update(edit(0, 'lobby'));
			await files.update(edit(0, 'other', {room: '#other'}));
			await files.drop('#lobby');
			expect(await files.get('#lobby')).toBeNull();
			expect((await files.get('#other'))?.msg).toBe('other');
			expect(await files.update(edit(0, 'again'))).toMatchObject({outcome: 'updated', version: 1});
		});

		it('keeps text byte for byte: NUL, escapes, CRLF, astral characters, 48 KiB', async () => {
			const files = await store();
			const hostile = '\u0000\u001b]8;;x\u0007\r\n\u202e😀 "quoted" \\ \t';
			await files.update(edit(0, hostile, {name: 'ünï 😀.ts'}));
			expect(await files.get('#lobby')).toMatchObject({msg: hostile, name: 'ünï 😀.ts'});
			const big = 'x'.repeat(48 * 1024);
			await files.update(edit(1, big));
			expect((await files.get('#lobby'))?.msg).toBe(big);
		});

		it('never goes back in time within a room when the clock does', async () => {
			let clock = 5000;
			const files = await store({now: () => clock});
			await files.update(edit(0, 'a'));
			clock = 10;
			expect(await files.update(edit(1, 'b'))).toEqual({outcome: 'updated', version: 2, time: 5000});
		});
	});
}
