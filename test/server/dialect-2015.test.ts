// `serve --dialect 2015` over raw TCP: the frames the original 2015 clients
// read (PROTOCOL.md §5), back to back, from our real server.
import {afterEach, describe, expect, it} from 'vitest';
import {resolveServeFlags} from '../../source/cli/serve-flags.js';
import {resolveOptions} from '../../source/server/options.js';
import {closeRawClients, connectRaw, type Frame, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

async function start2015(): Promise<number> {
	const server = await startTestServer({dialect: '2015', rate: 0});
	return server.port;
}

/** Every byte the server sent this client, as text. */
function recordBytes(client: RawClient): () => string {
	const chunks: Buffer[] = [];
	client.socket.on('data', (chunk: Buffer) => chunks.push(chunk));
	return () => Buffer.concat(chunks).toString('utf8');
}

async function status(client: RawClient): Promise<Frame> {
	return client.nextEvent('return-status');
}

/** What a 2015 client sends: JSON objects, no newline. */
function send(client: RawClient, frame: Frame): void {
	client.send(JSON.stringify(frame));
}

async function join(port: number, username: string): Promise<RawClient> {
	const client = await connectRaw(port);
	send(client, {cmd: 'connect', username});
	expect(await status(client)).toMatchObject({'return-cmd': 'client-connect', status: true});
	return client;
}

describe('serve --dialect 2015', () => {
	it('answers connect as that server does: return-cmd client-connect, the shared file as payload, none of our fields', async () => {
		const port = await start2015();
		const alice = await connectRaw(port);
		const bytes = recordBytes(alice);
		send(alice, {cmd: 'connect', username: 'alice'});
		expect(await status(alice)).toEqual({cmd: 'return-status', 'return-cmd': 'client-connect', status: true, payload: ''});
		send(alice, {cmd: 'update-file', msg: 'package main\n'});
		expect(await status(alice)).toEqual({cmd: 'return-status', 'return-cmd': 'update-file', status: true, payload: ''});

		const bob = await connectRaw(port);
		send(bob, {cmd: 'connect', username: 'bob'});
		expect(await status(bob)).toEqual({cmd: 'return-status', 'return-cmd': 'client-connect', status: true, payload: 'package main\n'});
		expect(await alice.nextEvent('client-connect')).toEqual({cmd: 'client-connect', from: 'bob', payload: ''});
		// Back to back, as that server writes them: no delimiter at all.
		expect(bytes()).not.toContain('\n');
		expect(bytes().startsWith('{"cmd":"return-status"')).toBe(true);
	});

	it('relays messages (ASCII only on the wire) and renames with from/payload, and a failure names its command', async () => {
		const port = await start2015();
		const alice = await join(port, 'alice');
		const bob = await join(port, 'bob');
		const bytes = recordBytes(bob);
		send(alice, {cmd: 'msg', msg: 'héllo 👋 bob'});
		expect(await status(alice)).toMatchObject({'return-cmd': 'msg', status: true});
		expect(await bob.nextEvent('message')).toEqual({cmd: 'message', from: 'alice', payload: 'héllo 👋 bob'});
		// The Python client decodes what it reads as ASCII: all else goes out escaped.
		expect(bytes()).toBe(String.raw`{"cmd":"message","from":"alice","payload":"h\u00e9llo \ud83d\udc4b bob"}`);

		send(bob, {cmd: 'rename', oldname: 'bob', newname: 'robert'});
		expect(await status(bob)).toMatchObject({'return-cmd': 'rename', status: true});
		expect(await alice.nextEvent('client-rename')).toEqual({cmd: 'client-rename', from: 'bob', payload: 'bob,robert'});

		send(bob, {cmd: 'rename', oldname: 'robert', newname: 'alice'});
		expect(await status(bob)).toEqual({cmd: 'return-status', 'return-cmd': 'rename', status: false, payload: 'user name "alice" is taken'});
	});

	it('exit: the others get the reason ("reason unknown" without one), and the socket closes with no status', async () => {
		const port = await start2015();
		const watcher = await join(port, 'watcher');
		const alice = await join(port, 'alice');
		const bob = await join(port, 'bob');
		send(alice, {cmd: 'exit', msg: 'lunch'});
		await alice.waitClosed();
		expect(alice.inbox.filter(item => item.type === 'frame' && item.frame.cmd === 'return-status')).toEqual([]);
		expect(await watcher.nextEvent('client-exit')).toEqual({cmd: 'client-exit', from: 'alice', payload: 'lunch'});

		send(bob, {cmd: 'exit'});
		await bob.waitClosed();
		expect(await watcher.nextEvent('client-exit')).toEqual({cmd: 'client-exit', from: 'bob', payload: 'reason unknown'});

		// A connection that just ends is an exit too, not that server's empty-cmd frame.
		const carol = await join(port, 'carol');
		carol.socket.end();
		expect(await watcher.nextEvent('client-exit')).toEqual({cmd: 'client-exit', from: 'carol', payload: 'reason unknown'});
	});

	it('sends the others at most one update-file a second, the latest text, and every update its status', async () => {
		const port = await start2015();
		const alice = await join(port, 'alice');
		const bob = await join(port, 'bob');
		// The Go client sends the whole file on every keystroke.
		const keystrokes = ['p', 'pa', 'pac', 'pack', 'packa', 'packag', 'package'];
		for (const text of keystrokes) send(alice, {cmd: 'update-file', msg: text});
		for (const _ of keystrokes) expect(await status(alice)).toMatchObject({'return-cmd': 'update-file', status: true});

		expect(await bob.nextEvent('update-file')).toEqual({cmd: 'update-file', from: 'alice', payload: 'p'});
		expect(await bob.nextEvent('update-file')).toEqual({cmd: 'update-file', from: 'alice', payload: 'package'});
		// Everything sent before this message has arrived: nothing between the two.
		send(alice, {cmd: 'msg', msg: 'barrier'});
		await bob.nextEvent('message');
		expect(bob.received.filter(item => item.type === 'frame' && item.frame.cmd === 'update-file')).toHaveLength(2);

		// A newcomer gets the latest text at once.
		const carol = await connectRaw(port);
		send(carol, {cmd: 'connect', username: 'carol'});
		expect(await status(carol)).toMatchObject({payload: 'package'});
	});

	it('a file over the limit is refused with a status the 2015 client can show', async () => {
		const server = await startTestServer({dialect: '2015', rate: 0, fileBytes: 8});
		const alice = await join(server.port, 'alice');
		send(alice, {cmd: 'update-file', msg: 'x'.repeat(9)});
		expect(await status(alice)).toMatchObject({'return-cmd': 'update-file', status: false, payload: expect.stringMatching(/8/) as unknown});
	});
});

describe('--dialect', () => {
	it('takes codechat or 2015, and 2015 keeps no history', () => {
		expect(resolveServeFlags({dialect: '2015'}, {})).toMatchObject({ok: true, flags: {dialect: '2015'}});
		expect(resolveServeFlags({dialect: 'irc'}, {})).toEqual({ok: false, error: '--dialect must be codechat or 2015, not "irc"'});
		expect(resolveServeFlags({dialect: '2015', history: '100'}, {})).toMatchObject({ok: false, error: expect.stringMatching(/no history/) as unknown});
		expect(resolveServeFlags({dialect: '2015', redis: 'redis://127.0.0.1'}, {})).toMatchObject({ok: false, error: expect.stringMatching(/--redis/) as unknown});
		expect(resolveOptions({dialect: '2015'}).history).toBe(0);
		expect(resolveOptions({}).dialect).toBe('codechat');
	});
});
