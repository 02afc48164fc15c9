// Pipe mode with rooms (§10) against the reference server: --room joins at
// start and takes the plain lines; /msg, /join and /part work as typed and
// in order; NDJSON events name their room, and `to` for direct messages. A
// seed-style server (no rooms) still gets exactly what it always got.
import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient, type ChatClientOptions} from '../../source/client/index.js';
import {runPipe} from '../../source/cli/pipe-mode.js';
import {parseCommandLine} from '../../source/cli/command-line.js';
import {closeRawClients, connectRaw, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {ok, startScriptedServer, type ScriptedServer} from '../client/scripted-server.js';

const scripted: ScriptedServer[] = [];
afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
	await Promise.all(scripted.splice(0).map(async server => server.close()));
});

function startPipe(client: Omit<ChatClientOptions, 'host'>, room?: string) {
	const input = new PassThrough();
	const output = new PassThrough();
	let text = '';
	output.setEncoding('utf8').on('data', (chunk: string) => {
		text += chunk;
	});
	const chatClient = new ChatClient({host: '127.0.0.1', ...client});
	const done = runPipe({client: chatClient, input, output, json: true, room});
	const events = () => text.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as Record<string, unknown>);
	return {input, events, done};
}

/** A raw user who speaks `direct`, in `rooms`. */
async function member(port: number, name: string, rooms: string[]): Promise<RawClient> {
	const raw = await connectRaw(port);
	raw.sendFrame({cmd: 'connect', username: name, features: ['rooms', 'direct']});
	await raw.expectStatus(true);
	for (const room of rooms) {
		raw.sendFrame({cmd: 'join', room});
		await raw.expectStatus(true);
	}

	return raw;
}

describe('pipe mode with rooms', () => {
	it('takes --room more than once, each checked', () => {
		const line = parseCommandLine(['--room', '#dev', '--room=#ops', '--json']);
		expect(line).toMatchObject({kind: 'run', flags: {room: ['#dev', '#ops'], json: true}});
		expect(parseCommandLine(['--user', 'a', '--user', 'b'])).toMatchObject({kind: 'error'});
	});

	it('joins --room at start, sends plain lines there, and /msg, /join, /part as typed', async () => {
		const server = await startTestServer({rate: 0});
		const carol = await member(server.port, 'carol', ['#dev', '#ops']);
		const bob = await member(server.port, 'bob', []);
		const {input, events, done} = startPipe({port: server.port, user: 'bot', rooms: ['#dev']}, '#dev');
		input.write('deploy done\n/msg bob psst\n/join #ops\n/msg #ops ops line\n/part #ops leaving\n/part #nowhere\n');
		expect(await carol.nextEvent('message')).toMatchObject({user: 'bot', msg: 'deploy done', room: '#dev'});
		expect(await bob.nextEvent('message')).toMatchObject({user: 'bot', msg: 'psst', to: 'bob'});
		expect(await carol.nextEvent('message')).toMatchObject({user: 'bot', msg: 'ops line', room: '#ops'});
		expect(await carol.nextEvent('client-exit')).toMatchObject({user: 'bot', room: '#ops', part: true, msg: 'leaving'});
		carol.sendFrame({cmd: 'msg', room: '#dev', msg: 'thanks'});
		await carol.expectStatus(true);
		bob.sendFrame({cmd: 'msg', to: 'bot', msg: 'back at you'});
		await bob.expectStatus(true);
		await waitUntil(() => events().filter(event => event.type === 'message').length === 2, 15_000, 'both messages to reach the bot');
		input.end();
		// /part #nowhere was refused: the run says so with 1.
		expect(await done).toBe(1);

		const out = events();
		expect(out.filter(event => event.type === 'joined').map(event => event.room)).toEqual(['#dev', '#ops']);
		expect(out.filter(event => event.type === 'parted')).toEqual([{type: 'parted', room: '#ops'}]);
		expect(out.filter(event => event.type === 'sent').map(({text, room, to}) => ({text, room, to}))).toEqual([
			{text: 'deploy done', room: '#dev', to: undefined},
			{text: 'psst', room: undefined, to: 'bob'},
			{text: 'ops line', room: '#ops', to: undefined},
		]);
		expect(out.filter(event => event.type === 'message').map(({user, text, room, to}) => ({user, text, room, to})).sort((a, b) => String(a.text).localeCompare(String(b.text)))).toEqual([
			{user: 'bob', text: 'back at you', room: undefined, to: 'bot'},
			{user: 'carol', text: 'thanks', room: '#dev', to: undefined},
		]);
		expect(out.filter(event => event.type === 'error').map(event => event.message)).toEqual([expect.stringContaining('#nowhere')]);
	});

	it('against a server without rooms: events carry no room, and /join is one line that sends nothing', async () => {
		const seen: Array<Record<string, unknown>> = [];
		const server = await startScriptedServer(connection => {
			connection.onCommand(frame => {
				seen.push(frame);
				if (frame.cmd === 'get-clients') {
					connection.send(ok('bot, peer', ['bot', 'peer']));
					connection.send({cmd: 'message', user: 'peer', msg: 'hi'});
				} else {
					connection.send(ok(''));
				}
			});
		});
		scripted.push(server);
		const {input, events, done} = startPipe({port: server.port, user: 'bot'});
		input.end('hello\n/join #dev\n');
		expect(await done).toBe(1);
		const out = events();
		expect(out.find(event => event.type === 'message')).toEqual({type: 'message', user: 'peer', text: 'hi', time: expect.any(String)});
		expect(out.find(event => event.type === 'sent')).toEqual({type: 'sent', text: 'hello'});
		expect(out.find(event => event.type === 'error')?.message).toMatch(/single room/);
		expect(seen.map(frame => frame.cmd)).toEqual(['connect', 'get-clients', 'msg', 'exit']);
		expect(seen[2]).toEqual({cmd: 'msg', msg: 'hello'});
	});
});
