// §12 over raw TCP against the real server, on each backend: memory, a real
// SQLite file (the room log's database), a real redis-server.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {FileStore} from '../../../source/server/files/file-store.js';
import {MemoryFileStore} from '../../../source/server/files/memory-files.js';
import {RedisFileStore} from '../../../source/server/files/redis-files.js';
import {SqliteFileStore} from '../../../source/server/files/sqlite-files.js';
import {SqliteLog} from '../../../source/server/store/sqlite-log.js';
import {DATABASE_FILE} from '../../../source/server/store/sqlite-open.js';
import {closeRawClients, connectRaw, connectUser} from '../../helpers/raw-client.js';
import {startRedis, stopRedisServers, type RedisServer} from '../../helpers/redis.js';
import {closeTestServers, startTestServer} from '../../helpers/server.js';

let redis: RedisServer;
let prefixes = 0;
const dirs: string[] = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
	redis = await startRedis();
});
afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
	await Promise.all(closers.splice(0).map(async close => close()));
});
afterAll(async () => {
	await stopRedisServers();
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

const backends: Array<[string, () => Promise<FileStore>]> = [
	['memory', async () => new MemoryFileStore()],
	['sqlite', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'codechat-file-conf-'));
		dirs.push(dir);
		const log = await SqliteLog.open(dir);
		closers.push(async () => log.close());
		return new SqliteFileStore(log.database, path.join(dir, DATABASE_FILE));
	}],
	['redis', async () => {
		const store = await RedisFileStore.connect(redis.url, {prefix: `conf${++prefixes}:`});
		closers.push(async () => store.close());
		return store;
	}],
];

describe.each(backends)('the shared file over TCP (%s)', (_name, makeStore) => {
	it('versions updates, tells the others, answers get-file, and conflicts on a stale base', async () => {
		const server = await startTestServer({files: await makeStore()});
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		alice.sendFrame({cmd: 'get-file'});
		expect(await alice.expectStatus(true)).toMatchObject({file: null});

		alice.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main\n', base: 0});
		expect(await alice.expectStatus(true)).toMatchObject({version: 1});
		const event = await bob.nextEvent('update-file');
		expect(event).toMatchObject({cmd: 'update-file', user: 'alice', room: '#lobby', name: 'main.go', msg: 'package main\n', version: 1});
		expect(typeof event.time).toBe('number');
		// Not echoed to the sender.
		await alice.sync();
		expect(alice.pendingEvents().filter(frame => frame.cmd === 'update-file')).toEqual([]);

		bob.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main\n\nfunc main() {}\n', base: 1});
		expect(await bob.expectStatus(true)).toMatchObject({version: 2});
		alice.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'lost', base: 1});
		expect(await alice.expectStatus(false, /version 2, not 1/)).toMatchObject({code: 'conflict', version: 2});

		bob.sendFrame({cmd: 'get-file', room: '#lobby'});
		expect(await bob.expectStatus(true)).toMatchObject({file: {name: 'main.go', msg: 'package main\n\nfunc main() {}\n', version: 2, user: 'bob'}});

		// A newcomer learns there is a file, without its text.
		const carol = await connectRaw(server.port);
		carol.sendFrame({cmd: 'connect', username: 'carol'});
		const welcome = await carol.expectStatus(true);
		expect(welcome.file).toMatchObject({name: 'main.go', version: 2, user: 'bob'});
		expect(welcome.file).not.toHaveProperty('msg');
	});

	it('takes 48 KiB with every byte escaped in one frame, and refuses a byte more with too-long', async () => {
		const server = await startTestServer({files: await makeStore()});
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		const escaped = '\\u0001'.repeat(48 * 1024);
		alice.send(`{"cmd":"update-file","name":"ctl.bin.txt","base":0,"msg":"${escaped}"}\n`);
		expect(await alice.expectStatus(true)).toMatchObject({version: 1});
		expect((await bob.nextEvent('update-file')).msg).toBe('\u0001'.repeat(48 * 1024));

		alice.sendFrame({cmd: 'update-file', name: 'big.txt', msg: 'é'.repeat(24 * 1024) + 'x', base: 1});
		expect(await alice.expectStatus(false, 'file is 49153 bytes of UTF-8; the limit is 49152')).toMatchObject({code: 'too-long'});
		alice.sendFrame({cmd: 'get-file'});
		expect((await alice.expectStatus(true)).file).toMatchObject({version: 1, name: 'ctl.bin.txt'});
	});

	it('refuses bad names, a missing base and another room, and stays up', async () => {
		const server = await startTestServer({files: await makeStore()});
		const alice = await connectUser(server.port, 'alice');
		const cases: Array<[Record<string, unknown>, string, RegExp]> = [
			[{name: '../../etc/passwd', msg: 'x', base: 0}, 'bad-field', /not a path/],
			[{name: 'a\u001b[31m.go', msg: 'x', base: 0}, 'bad-field', /U\+001B/],
			[{name: '', msg: 'x', base: 0}, 'bad-field', /required/],
			[{name: 'x'.repeat(65), msg: 'x', base: 0}, 'bad-field', /limit is 64/],
			[{name: 'a.go', msg: 'x'}, 'bad-field', /needs "base"/],
			[{name: 'a.go', msg: 'x', base: -1}, 'bad-field', /whole number/],
			[{name: 'a.go', msg: 3, base: 0}, 'bad-field', /string "msg"/],
			[{name: 'a.go', msg: 'x', base: 0, room: '#elsewhere'}, 'not-in-room', /not in #elsewhere/],
		];
		for (const [fields, code, why] of cases) {
			alice.sendFrame({cmd: 'update-file', ...fields});
			expect(await alice.expectStatus(false, why), JSON.stringify(fields)).toMatchObject({code});
		}

		alice.sendFrame({cmd: 'get-file'});
		expect(await alice.expectStatus(true)).toMatchObject({file: null});
	});
});

describe('--data: the file lives in the room log\'s database', () => {
	it('survives a restart of the server', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'codechat-file-data-'));
		dirs.push(dir);
		const first = await startTestServer({dataDir: dir});
		const alice = await connectUser(first.port, 'alice');
		alice.sendFrame({cmd: 'update-file', name: 'main.go', msg: 'package main\n', base: 0});
		expect(await alice.expectStatus(true)).toMatchObject({version: 1});
		await closeRawClients();
		await closeTestServers();

		const second = await startTestServer({dataDir: dir});
		const bob = await connectRaw(second.port);
		bob.sendFrame({cmd: 'connect', username: 'bob'});
		expect((await bob.expectStatus(true)).file).toMatchObject({name: 'main.go', version: 1, user: 'alice'});
		bob.sendFrame({cmd: 'get-file'});
		expect((await bob.expectStatus(true)).file).toMatchObject({msg: 'package main\n'});
	});
});

describe('a server without the shared file', () => {
	it('does not list it, and treats its commands as unknown', async () => {
		const server = await startTestServer({fileBytes: 0});
		const alice = await connectRaw(server.port);
		alice.sendFrame({cmd: 'connect', username: 'alice'});
		const welcome = await alice.expectStatus(true);
		expect(welcome.features).not.toContain('file');
		expect(welcome.limits).toMatchObject({file: 0, frame: 65_536});
		expect(welcome).not.toHaveProperty('file');
		alice.sendFrame({cmd: 'update-file', name: 'a.go', msg: 'x', base: 0});
		expect(await alice.expectStatus(false)).toMatchObject({code: 'unknown-command'});
	});
});
