import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {configDirectory, OpenRoomsError, OpenRoomsStore} from '../../source/cli/open-rooms.js';

const dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

function tempDir(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'open-rooms-'));
	dirs.push(dir);
	return dir;
}

const here = {host: 'chat.example', port: 8080, tls: false};

describe('the open rooms store', () => {
	it('lives under $XDG_CONFIG_HOME/codechat-tui, else ~/.config (a relative value is ignored)', () => {
		expect(configDirectory({XDG_CONFIG_HOME: '/x/conf'}, '/home/a')).toBe('/x/conf/codechat-tui');
		expect(configDirectory({}, '/home/a')).toBe('/home/a/.config/codechat-tui');
		expect(configDirectory({XDG_CONFIG_HOME: 'rel'}, '/home/a')).toBe('/home/a/.config/codechat-tui');
	});

	it('keeps one set per server and name, in a 0600 file written whole, in a 0700 folder', () => {
		const dir = tempDir();
		const store = new OpenRoomsStore(dir, here);
		expect(store.read('alice')).toEqual([]);
		store.save('alice', ['#dev', '#ops', 'bob']);
		store.save('Alice', ['#dev', 'bob']);
		expect(store.read('ALICE')).toEqual(['#dev', 'bob']);
		expect(store.read('carol')).toEqual([]);
		expect(new OpenRoomsStore(dir, {...here, tls: true}).read('alice')).toEqual([]);
		expect(new OpenRoomsStore(dir, {...here, port: 9090}).read('alice')).toEqual([]);
		const files = readdirSync(store.directory);
		// No temporary file is left behind.
		expect(files).toHaveLength(1);
		expect(statSync(path.join(store.directory, files[0])).mode & 0o777).toBe(0o600);
		expect(statSync(store.directory).mode & 0o777).toBe(0o700);
	});

	it('a damaged file or one of another server is an OpenRoomsError, and bad names in it are left out', () => {
		const dir = tempDir();
		const store = new OpenRoomsStore(dir, here);
		store.save('alice', ['#dev']);
		const file = path.join(store.directory, readdirSync(store.directory)[0]);
		writeFileSync(file, '{"server": "tcp://chat.example:80');
		expect(() => store.read('alice')).toThrow(OpenRoomsError);
		writeFileSync(file, JSON.stringify({server: 'tcp://elsewhere:8080', name: 'alice', open: ['#dev']}));
		expect(() => store.read('alice')).toThrow(/damaged or not ours/);
		writeFileSync(file, JSON.stringify({server: 'tcp://chat.example:8080', name: 'alice', open: ['#dev', '#bad room', 7, '\u001b[31m', 'bob', '#\u202eevil']}));
		expect(store.read('alice')).toEqual(['#dev', 'bob']);
	});

	it('a folder that cannot be written is an OpenRoomsError that says what happens', () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, 'open-rooms'), 'a file where the folder should be');
		expect(() => new OpenRoomsStore(dir, here).save('alice', ['#dev'])).toThrow(/the next start will not rejoin them/);
	});

	it('keeps how far each stored direct conversation was seen beside the set, each write keeping the other half', () => {
		const dir = tempDir();
		const store = new OpenRoomsStore(dir, here);
		expect(store.readSeen('alice')).toEqual(new Map());
		store.save('alice', ['#dev', 'bob']);
		store.saveSeen('alice', new Map([['bob', {epoch: 'e1', seq: 7}]]));
		store.save('alice', ['#dev', 'bob', 'carol']);
		expect(store.read('alice')).toEqual(['#dev', 'bob', 'carol']);
		expect(store.readSeen('ALICE')).toEqual(new Map([['bob', {epoch: 'e1', seq: 7}]]));
		store.saveSeen('alice', new Map([['bob', {epoch: 'e1', seq: 9}]]));
		expect(store.read('alice')).toEqual(['#dev', 'bob', 'carol']);

		// A hand-edited file: marks that are not a name key with an epoch and a seq are left out.
		const file = path.join(store.directory, readdirSync(store.directory)[0]);
		const body = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
		writeFileSync(file, JSON.stringify({...body, seen: {bob: {epoch: 'e1', seq: 9}, Carol: {epoch: 'e1', seq: 1}, dave: {epoch: 'e1', seq: -1}, 'x y': {epoch: 'e', seq: 1}, erin: 'seq 3'}}));
		expect(store.readSeen('alice')).toEqual(new Map([['bob', {epoch: 'e1', seq: 9}]]));
	});
});
