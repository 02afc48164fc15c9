// Pipe mode, --json and the --log transcript against a server that keeps the
// room log (§9): backlog only when asked, recovered messages in seq order,
// marked, each once, and `seq` and `time` on every message.
import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {openSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/index.js';
import {runPipe} from '../../source/cli/pipe-mode.js';
import {attachTranscript} from '../../source/cli/transcript.js';
import type {LogServer} from '../helpers/history-server.js';
import {startRealLogServer} from '../helpers/real-log-server.js';
import {cliPath} from '../helpers/pty.js';
import {waitUntil} from '../helpers/server.js';

// The reference server with its room log in memory, behind a gate that can cut and hold links.
const startServer = startRealLogServer;

const servers: LogServer[] = [];
const dirs: string[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => server.close()));
	for (const dir of dirs.splice(0)) rmSync(dir, {recursive: true, force: true});
});

async function serverWith(count: number): Promise<LogServer> {
	const server = await startServer();
	servers.push(server);
	await server.fill('bob', Array.from({length: count}, (_, index) => `old ${index + 1}`));
	return server;
}

function pipe(port: number, backlog?: number) {
	const input = new PassThrough();
	const output = new PassThrough();
	let text = '';
	output.setEncoding('utf8');
	output.on('data', (chunk: string) => {
		text += chunk;
	});
	const client = new ChatClient({host: '127.0.0.1', port, user: 'bot', backlog, backoff: {baseMs: 20, capMs: 50}});
	const done = runPipe({client, input, output, json: true});
	const events = () => text.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as Record<string, unknown>);
	return {input, client, done, events, text: () => text};
}

const messagesOf = (events: Array<Record<string, unknown>>) => events.filter(event => event.type === 'message');

describe('pipe mode and the room log', () => {
	it('prints no backlog by default, and seq and time on each live message', async () => {
		const server = await serverWith(20);
		const run = pipe(server.port);
		await waitUntil(() => run.events().some(event => event.type === 'caught-up'));
		await server.say('carol', 'live now');
		await waitUntil(() => messagesOf(run.events()).length === 1);
		const [message] = messagesOf(run.events());
		expect(message).toMatchObject({user: 'carol', text: 'live now', seq: 21});
		expect(message.backlog).toBeUndefined();
		expect(Date.parse(String(message.time))).toBeGreaterThan(0);
		run.input.end();
		expect(await run.done).toBe(0);
	});

	it('with a backlog prints the newest N in seq order, marked, then what is live', async () => {
		const server = await serverWith(20);
		const run = pipe(server.port, 5);
		await waitUntil(() => run.events().some(event => event.type === 'caught-up'));
		await server.say('carol', 'live');
		await waitUntil(() => messagesOf(run.events()).length === 6);
		const messages = messagesOf(run.events());
		expect(messages.map(message => [message.seq, message.backlog ?? false])).toEqual([[16, true], [17, true], [18, true], [19, true], [20, true], [21, false]]);
		expect(messages[0]).toMatchObject({text: 'old 16', user: 'bob'});
		expect(run.events().find(event => event.type === 'caught-up')).toEqual({type: 'caught-up', backlog: 5, recovered: 0});
		run.input.end();
		expect(await run.done).toBe(0);
	});

	it('after a drop prints what was said meanwhile once, in seq order, marked recovered; the transcript has it once too', async () => {
		const server = await serverWith(3);
		const dir = mkdtempSync(path.join(tmpdir(), 'codechat-log-'));
		dirs.push(dir);
		const file = path.join(dir, 'transcript.txt');
		const run = pipe(server.port);
		const transcript = attachTranscript(run.client, openSync(file, 'a'));
		await waitUntil(() => run.events().some(event => event.type === 'caught-up'));
		await server.say('carol', 'before the drop');
		await waitUntil(() => messagesOf(run.events()).length === 1);
		for (let round = 0; round < 3; round++) {
			const connects = run.events().filter(event => event.type === 'connected').length;
			server.refuse(true);
			server.dropAll();
			await server.say('carol', `while away ${round} a`);
			await server.say('carol', `while away ${round} b`);
			server.refuse(false);
			await waitUntil(() => run.events().filter(event => event.type === 'connected').length === connects + 1);
		}

		await waitUntil(() => messagesOf(run.events()).length === 7);
		await server.say('carol', 'after');
		await waitUntil(() => messagesOf(run.events()).length === 8);
		const messages = messagesOf(run.events());
		expect(messages.map(message => message.seq)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
		expect(messages.filter(message => message.recovered).map(message => message.text)).toEqual([
			'while away 0 a', 'while away 0 b', 'while away 1 a', 'while away 1 b', 'while away 2 a', 'while away 2 b',
		]);
		run.input.end();
		expect(await run.done).toBe(0);
		transcript.close();
		const lines = readFileSync(file, 'utf8').split('\n').filter(line => line.includes('<carol>')).map(line => line.replace(/^\S+ /, ''));
		expect(lines).toEqual(['<carol> before the drop', ...messages.slice(1, 7).map(message => `<carol> ${String(message.text)}`), '<carol> after']);
	});

	it('the transcript says a disconnect once per outage and reason, not once per retry', async () => {
		const server = await serverWith(0);
		const dir = mkdtempSync(path.join(tmpdir(), 'codechat-log-'));
		dirs.push(dir);
		const file = path.join(dir, 'transcript.txt');
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'bot', backoff: {baseMs: 5, capMs: 10}});
		const transcript = attachTranscript(client, openSync(file, 'a'));
		let retries = 0;
		client.on('reconnecting', () => retries++);
		client.start();
		await new Promise(resolve => client.once('connected', resolve));
		server.refuse(true);
		server.dropAll();
		await waitUntil(() => retries >= 5);
		client.close();
		transcript.close();
		const lines = readFileSync(file, 'utf8').split('\n').filter(line => line.includes('disconnected:')).map(line => line.replace(/^\S+ /, ''));
		// Five retries fail the same way: said once (the drop itself may come as an error line or a disconnect line).
		const retried = `* disconnected: 127.0.0.1:${server.port} closed the connection before answering connect`;
		expect(lines.filter(line => line === retried)).toHaveLength(1);
		expect(lines.at(-1)).toBe('* disconnected: closed');
		expect(lines.length).toBeLessThanOrEqual(3);
	});

	it('--backlog N through the built CLI asks for N', async () => {
		const server = await serverWith(10);
		const child = spawn(process.execPath, [cliPath, '--host', `127.0.0.1:${server.port}`, '--user', 'bot', '--json', '--backlog', '2']);
		let stdout = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
		});
		await waitUntil(() => stdout.includes('"caught-up"'));
		child.stdin.end();
		await new Promise(resolve => child.on('close', resolve));
		const messages = stdout.split('\n').filter(line => line.includes('"message"')).map(line => JSON.parse(line) as Record<string, unknown>);
		expect(messages.map(message => [message.seq, message.backlog])).toEqual([[9, true], [10, true]]);
		expect(server.commands.find(command => command.frame.cmd === 'history')?.frame).toEqual({cmd: 'history', limit: 2});
	});
});
