import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {openFileStore} from '../../../source/server/files/open-files.js';
import {openMessageLog} from '../../../source/server/store/open-log.js';

const dirs: string[] = [];
afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

describe('openFileStore', () => {
	it('keeps files in memory beside a memory log', async () => {
		expect((await openFileStore({kind: 'memory'})).kind).toBe('memory');
	});

	it('keeps them in the --data database, under the log\'s lock, and needs that log', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'codechat-open-files-'));
		dirs.push(dir);
		const config = {kind: 'sqlite', dir} as const;
		await expect(openFileStore(config)).rejects.toThrow(/needs the SQLite room log/);
		const log = await openMessageLog(config);
		const files = await openFileStore(config, log);
		expect(files.kind).toBe('sqlite');
		await files.update({room: '#lobby', name: 'a.go', msg: 'x', base: 0, user: 'ann'});
		await files.close();
		await log.close();
		const again = await openMessageLog(config);
		expect(await (await openFileStore(config, again)).get('#lobby')).toMatchObject({msg: 'x', version: 1});
		await again.close();
	});
});
