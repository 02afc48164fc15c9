// PROTOCOL.md §8 over real TCP: every failure status the server can send
// carries its code, and every connect status (success or failure) says who
// the server is, what it speaks and its limits.
import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {FAILURE_CODES, type FailureCode} from '../../source/protocol/codes.js';
import type {StatusFrame} from '../../source/protocol/types.js';
import {closeRawClients, connectRaw, connectUser, type Frame} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

const {version} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string};
// The default frame limit carries a 48 KiB shared file with every byte escaped.
const hello = {server: `codechat-tui/${version}`, features: ['codes', 'history', 'rooms', 'direct', 'file', 'presence'], limits: {frame: 6 * 48 * 1024 + 1024, msg: 4096, file: 48 * 1024}};
const HELLO_KEYS = ['server', 'features', 'limits'];

function expectCode(status: StatusFrame, code: FailureCode): void {
	expect(status.success).toBe(false);
	expect(status.code).toBe(code);
	expect(FAILURE_CODES).toContain(status.code);
	expect(status['error-msg']).not.toBe('');
}

describe('connect statuses', () => {
	it('carry server, features and limits on success', async () => {
		const server = await startTestServer({maxFrameBytes: 4096});
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'connect', username: 'alice', features: ['codes', 'history', 'not-a-feature']});
		expect(await client.expectStatus(true, 'welcome alice')).toEqual({
			success: true,
			'error-msg': '',
			'success-msg': 'welcome alice',
			...hello,
			// A 4 KiB frame limit leaves room for a 512-byte file, every byte escaped.
			limits: {...hello.limits, frame: 4096, file: 512},
			// §12: no shared file in the room yet.
			file: null,
		});
		// Only connect statuses carry them.
		const roster = await client.sync();
		for (const key of HELLO_KEYS) expect(roster).not.toHaveProperty(key);
	});

	it.each<[string, Frame, FailureCode]>([
		['an invalid name', {cmd: 'connect', username: 'bad name'}, 'invalid-name'],
		['an empty name', {cmd: 'connect', username: ''}, 'invalid-name'],
		['no name', {cmd: 'connect'}, 'bad-field'],
		['features that are not a list', {cmd: 'connect', username: 'alice', features: 'codes'}, 'bad-field'],
	])('carry them on failure too: %s', async (_, frame, code) => {
		const server = await startTestServer();
		const client = await connectRaw(server.port);
		client.sendFrame(frame);
		const status = await client.expectStatus(false);
		expectCode(status, code);
		expect(status).toMatchObject(hello);
		expect(server.users).toBe(0);
	});

	it('name-taken and already-connected carry them', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const other = await connectRaw(server.port);
		other.sendFrame({cmd: 'connect', username: 'ALICE'});
		const taken = await other.expectStatus(false, 'taken');
		expectCode(taken, 'name-taken');
		expect(taken).toMatchObject(hello);
		alice.sendFrame({cmd: 'connect', username: 'bob'});
		const again = await alice.expectStatus(false, 'already connected');
		expectCode(again, 'already-connected');
		expect(again).toMatchObject(hello);
	});

	it('server-full carries them, with its code', async () => {
		const server = await startTestServer({maxClients: 1});
		await connectUser(server.port, 'a');
		const second = await connectRaw(server.port);
		second.sendFrame({cmd: 'connect', username: 'b'});
		const status = await second.expectStatus(false, 'server full');
		expectCode(status, 'server-full');
		expect(status).toMatchObject(hello);
		await second.waitClosed();
	});
});

describe('failure codes', () => {
	it.each<[string, Frame, FailureCode]>([
		['an unknown command', {cmd: 'fly'}, 'unknown-command'],
		['a missing cmd', {msg: 'hi'}, 'bad-field'],
		['a cmd that is not a string', {cmd: 5}, 'bad-field'],
		['a msg that is not a string', {cmd: 'msg', msg: 3}, 'bad-field'],
		['an empty message', {cmd: 'msg', msg: ' \n '}, 'bad-field'],
		['a message over 4,096 characters', {cmd: 'msg', msg: 'x'.repeat(4097)}, 'too-long'],
		['a rename with the wrong oldname', {cmd: 'rename', oldname: 'zed', newname: 'ally'}, 'bad-field'],
		['a rename to an invalid name', {cmd: 'rename', oldname: 'alice', newname: 'a b'}, 'invalid-name'],
		['a rename to a taken name', {cmd: 'rename', oldname: 'alice', newname: 'Bob'}, 'name-taken'],
		['an exit reason that is not a string', {cmd: 'exit', msg: 1}, 'bad-field'],
	])('%s: %s', async (_, frame, code) => {
		const server = await startTestServer();
		await connectUser(server.port, 'bob');
		const alice = await connectUser(server.port, 'alice');
		alice.sendFrame(frame);
		const status = await alice.expectStatus(false);
		expectCode(status, code);
		// No hello: that is for connect statuses.
		for (const key of HELLO_KEYS) expect(status).not.toHaveProperty(key);
		expect((await alice.sync())['success-msg']).toBe('bob, alice');
	});

	it('not-connected before connect', async () => {
		const server = await startTestServer();
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'get-clients'});
		expectCode(await client.expectStatus(false, 'not connected'), 'not-connected');
	});

	it('malformed-frame for text that is not a JSON object, and the connection stays', async () => {
		const server = await startTestServer();
		const client = await connectUser(server.port, 'alice');
		client.send('[1,2]\n{"cmd": nope}\n');
		expectCode(await client.expectStatus(false, /^malformed frame/), 'malformed-frame');
		expectCode(await client.expectStatus(false, /^malformed frame/), 'malformed-frame');
		await client.sync();
	});

	it('frame-too-large for a frame over the limit, then the connection closes', async () => {
		const server = await startTestServer({maxFrameBytes: 1024});
		const client = await connectUser(server.port, 'alice');
		client.sendFrame({cmd: 'msg', msg: 'x'.repeat(2000)});
		expectCode(await client.expectStatus(false, 'frame too large'), 'frame-too-large');
		await client.waitClosed();
	});

	it('rate-limited with retry, in seconds', async () => {
		const server = await startTestServer({rate: 0.5, burst: 1, maxQueuedCommands: 0});
		const client = await connectUser(server.port, 'alice');
		client.sendFrame({cmd: 'get-clients'});
		const status = await client.expectStatus(false, 'rate limited');
		expectCode(status, 'rate-limited');
		expect(status.retry).toBe(2);
	});
});
