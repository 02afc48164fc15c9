// Pipe mode through the built CLI's process: one rule for the exit code (1 if
// any line failed), and what a line says of itself printed in its place, not
// before `connected`. A scripted server on loopback refuses what the test
// needs refused, so each refusal is the server's and not a race.
import net from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli, type CliResult} from '../helpers/cli-process.js';
import {onJsonLines} from '../helpers/json-lines.js';

const servers = new Set<net.Server>();

afterEach(async () => {
	await Promise.all([...servers].map(async server => new Promise(resolve => {
		server.close(resolve);
	})));
	servers.clear();
});

/** Answers like a CodeChat server, but refuses every rename and the message "refuse me". */
async function startRefusingServer(): Promise<number> {
	const server = net.createServer(socket => {
		socket.on('error', () => {});
		let user = '';
		const status = (success: boolean, text: string) => socket.write(JSON.stringify({success, 'error-msg': success ? '' : text, 'success-msg': success ? text : ''}) + '\n');
		onJsonLines(socket, frame => {
			switch (frame.cmd) {
				case 'connect':
					user = String(frame.username);
					status(true, `welcome ${user}`);
					break;
				case 'get-clients':
					socket.write(JSON.stringify({'success': true, 'error-msg': '', 'success-msg': '', 'clients': [user]}) + '\n');
					break;
				case 'rename':
					status(false, `user name "${String(frame.newname)}" is taken`);
					break;
				case 'msg':
					status(frame.msg !== 'refuse me', frame.msg === 'refuse me' ? 'refused by the test' : 'sent');
					break;
				case 'exit':
					status(true, 'goodbye');
					socket.end();
					break;
				default:
					status(false, 'unknown command');
			}
		});
	});
	servers.add(server);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return (server.address() as net.AddressInfo).port;
}

async function runPipe(port: number, input: string, extra: string[] = []): Promise<CliResult> {
	return runCli(['--host', `127.0.0.1:${port}`, '--user', 'bot', ...extra], input);
}

describe('the pipe-mode exit code', () => {
	it('is 0 when every line took effect', async () => {
		const port = await startRefusingServer();
		const result = await runPipe(port, 'hello\n/who\n/help\n');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	it.each([
		['an unknown command', '/frobnicate', '! unknown command /frobnicate'],
		['a command that does nothing here', '/clear', '! /clear does nothing in pipe mode'],
		['a message too long to send', 'x'.repeat(5000), '! not sent: '],
		['a rename the server refused', '/rename alice', '! cannot rename to alice: user name "alice" is taken'],
		['a message the server refused', 'refuse me', '! not sent: refuse me (refused by the test)'],
	])('is 1 after %s', async (_what, line, printed) => {
		const port = await startRefusingServer();
		const result = await runPipe(port, `hello\n${line}\nbye\n`);
		expect(result.stdout).toContain(printed);
		expect(result.status).toBe(1);
	});
});

describe('what a line says of itself', () => {
	it('comes in input order, after connected', async () => {
		const port = await startRefusingServer();
		const result = await runPipe(port, 'first\n/frobnicate\nsecond\n/help who\n', ['--json']);
		const events = result.stdout.trim().split('\n').map(line => JSON.parse(line) as {type: string; text?: string});
		const names = events.map(event => (event.type === 'sent' ? `sent ${event.text}` : event.type));
		expect(names).toEqual(['connected', 'roster', 'sent first', 'error', 'sent second', 'info', 'disconnected']);
		expect(result.status).toBe(1);
	});

	it('puts the users of /who before what the next line says', async () => {
		const port = await startRefusingServer();
		const result = await runPipe(port, '/who\n/frobnicate\n', ['--json']);
		const names = result.stdout.trim().split('\n').map(line => (JSON.parse(line) as {type: string}).type);
		expect(names).toEqual(['connected', 'roster', 'roster', 'error', 'disconnected']);
	});
});
