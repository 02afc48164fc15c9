// Leaving, as the others and you see it, with the built CLI in real ptys:
// a quit reason reaches the others, a --serve host's guests are told in one
// sentence who closed the room, and the question asked before leaving goes
// away once what it warned of is no longer so.
import {afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli} from '../helpers/pty.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

const CTRL_C = '\x03';

function join(port: number, user: string) {
	return spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', user], {cols: 100, rows: 30});
}

/** A port nothing listens on now, for a server started later. */
async function freePort(): Promise<number> {
	const probe = await startTestServer();
	const {port} = probe;
	await probe.close();
	return port;
}

describe('a quit reason', () => {
	it('/quit lunch reaches a raw client as client-exit {user, msg} and another TUI as "← alice left (lunch)"', async () => {
		const server = await startTestServer({rate: 0});
		const watcher = await connectUser(server.port, 'watcher');
		const bob = join(server.port, 'bob');
		await bob.waitForText('Users (2)');
		const alice = join(server.port, 'alice');
		await alice.waitForText('Users (3)');
		await bob.waitForText('Users (3)');
		// Said something: a visit without a word, under a minute, is not shown at all (quiet joins).
		alice.type('off to eat\r');
		await bob.waitForText('off to eat');
		// Bob may show it before alice has its acknowledgement, and a /quit with a message
		// still pending asks first: wait for its pending mark to go.
		await alice.waitFor(() => /alice +off to eat/.test(alice.text()) && !/off to eat …/.test(alice.text()), 15_000, 'alice\'s line to be acknowledged');
		alice.type('/quit lunch\r');
		expect(await alice.waitExit()).toBe(0);
		const exits = [];
		for (;;) {
			const event = await watcher.nextEvent();
			if (event.cmd === 'client-exit') {
				exits.push(event);
				break;
			}
		}
		expect(exits).toEqual([{cmd: 'client-exit', user: 'alice', msg: 'lunch'}]);
		await bob.waitForText('← alice left (lunch)');
	});
});

describe('a --serve host leaving', () => {
	it('tells a guest\'s TUI in one sentence who closed the room and that it will not be back', async () => {
		const port = await freePort();
		const host = spawnCli(['--serve', '--port', String(port), '--user', 'alice'], {cols: 100, rows: 30});
		await host.waitForText('(hosting)');
		const guest = join(port, 'bob');
		await guest.waitForText('Users (2)');
		await host.waitForText('Users (2)');
		host.type(CTRL_C);
		await host.waitForText('Ctrl-C again to leave.');
		host.type(CTRL_C);
		expect(await host.waitExit()).toBe(0);
		// The pane wraps the line: "… — it does" / "not expect to be back".
		await guest.waitForText(/disconnected: the host closed the room: alice stopped hosting — it does\s/);
		expect(guest.text()).toContain('not expect to be back; retrying now and then');
		expect(guest.text()).not.toMatch(/the host closed the (room|chat).*the host closed/s);
		expect(guest.exitCode).toBeUndefined();
	});
});

describe('the question before leaving', () => {
	it('goes once the pending message it counted is delivered', async () => {
		const port = await freePort();
		const server = await startTestServer({port, rate: 0});
		const alice = join(port, 'alice');
		await alice.waitForText('Users (1)');
		// A restart: the server says it will be back, so the client retries soon.
		await server.close({reason: 'restarting', reconnect: true});
		await alice.waitForText('reconnecting');
		alice.type('not yet sent\r');
		await alice.waitForText(/alice +not yet sent …/);
		alice.type('/quit\r');
		const question = '1 message is not sent yet and would be lost. /quit again to leave.';
		await alice.waitForText(question);

		await startTestServer({port, rate: 0});
		await alice.waitFor(() => !/not yet sent …/.test(alice.text()), 10_000, 'the message to show as delivered');
		await alice.waitFor(() => !alice.text().includes(question), 15_000, 'the question to go');
		// Nothing is at risk now: /quit leaves at once.
		alice.type('/quit\r');
		expect(await alice.waitExit()).toBe(0);
	});
});
