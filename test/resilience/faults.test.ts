// Faults: the server SIGKILLed mid-conversation and restarted on
// the same port (a real child process), 200 clients coming back spread out
// by full jitter, a server that stops reading, and half-open connections
// found by the client's reply timeout and the server's idle timeout.
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient, type ChatClientOptions} from '../../source/client/index.js';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {startHostileServer, type HostileServer} from '../helpers/hostile-server.js';
import {record, type Recorder} from '../client/recorder.js';
import {connectTimes, killChildServers, useChildServers} from './child-server.js';

const spawnServer = useChildServers();
const clients: ChatClient[] = [];
const hostileServers: HostileServer[] = [];


afterEach(async () => {
	for (const client of clients.splice(0)) client.close();
	await Promise.all(hostileServers.splice(0).map(async server => server.close()));
	await closeRawClients();
	await closeTestServers();
	await killChildServers();
});

function chatClient(options: ChatClientOptions): {client: ChatClient; events: Recorder; connectedAt: number[]} {
	const client = new ChatClient(options);
	clients.push(client);
	const events = record(client);
	const connectedAt: number[] = [];
	client.on('connected', () => connectedAt.push(Date.now()));
	client.start();
	return {client, events, connectedAt};
}

const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('server killed mid-conversation', () => {
	it('every client reconnects to the restarted server and nothing typed is lost', async () => {
		const first = await spawnServer({quiet: true});
		const {port} = first;
		const count = 20;
		const perClient = 20;
		const people = Array.from({length: count}, (_, index) => chatClient({port, user: `u${index}`, backoff: {baseMs: 200, capMs: 1000}}));
		await waitUntil(() => people.every(({events}) => events.of('roster').length > 0), 10_000, 'everyone connected');

		// Everyone types a line every 25 ms; the server dies halfway and comes back 500 ms later.
		const typing = (async () => {
			for (let k = 0; k < perClient; k++) {
				for (const [index, {client}] of people.entries()) client.send(`u${index} line ${k}`);
				await sleep(25);
			}
		})();
		await sleep(perClient * 25 / 2);
		await first.kill('SIGKILL');
		await sleep(500);
		// Lines the first server acknowledged before it died: lines 0 … n-1 of each person (FIFO).
		const ackedByFirst = people.map(({events}) => events.of('sent').length);
		const restarted = await spawnServer({quiet: true, port});
		expect(restarted.port).toBe(port);
		const observer = await connectUser(port, 'observer');
		const observerJoined = Date.now();
		await typing;

		// Every line typed is acknowledged by a server, none refused, in typing order per person.
		await waitUntil(() => people.every(({events}) => events.of('sent').length === perClient), 20_000, 'every line acknowledged');
		for (const [index, {client, events}] of people.entries()) {
			expect(events.of('failed')).toEqual([]);
			expect(client.pending()).toEqual([]);
			expect(client.connected).toBe(true);
			expect(events.of('sent').map(sent => sent.text)).toEqual(Array.from({length: perClient}, (_, k) => `u${index} line ${k}`));
		}

		expect(ackedByFirst.some(acked => acked > 0 && acked < perClient)).toBe(true);

		// Whoever came back well after the observer joined had every line the first server
		// did not acknowledge delivered to it: exactly those, once each, in order.
		await observer.sync();
		const byUser = new Map<string, string[]>();
		for (const item of observer.received) {
			if (item.type === 'frame' && item.frame.cmd === 'message') {
				const user = String(item.frame.user);
				byUser.set(user, [...(byUser.get(user) ?? []), String(item.frame.msg)]);
			}
		}

		let checked = 0;
		for (const [index, {connectedAt}] of people.entries()) {
			if (connectedAt.length !== 2 || connectedAt[1]! < observerJoined + 50) continue;
			checked++;
			const unacknowledged = Array.from({length: perClient - ackedByFirst[index]!}, (_, k) => `u${index} line ${ackedByFirst[index]! + k}`);
			expect(byUser.get(`u${index}`) ?? []).toEqual(unacknowledged);
		}

		expect(checked).toBeGreaterThan(count / 2);
		console.log(`kill/restart: ${count} clients back, ${checked} checked at the observer, ${count * perClient} lines acknowledged, 0 lost`);
	}, 60_000);

	it('200 clients come back spread over time by full jitter, not all in the same second', async () => {
		const first = await spawnServer({quiet: true, maxClients: 1000});
		const {port} = first;
		const count = 200;
		const people = Array.from({length: count}, (_, index) => chatClient({port, user: `p${index}`, refreshIntervalMs: 0}));
		await waitUntil(() => people.every(({client}) => client.connected), 20_000, 'all 200 connected');
		await first.kill('SIGKILL');
		// Down for 2 s: long enough that everyone has retried and backed off a few times.
		await sleep(2000);
		const restarted = await spawnServer({quiet: false, maxClients: 1000, port});
		await waitUntil(() => people.every(({client}) => client.connected), 40_000, 'all 200 reconnected');
		const times = connectTimes(restarted.lines).map(entry => entry.time).sort((a, b) => a - b);
		expect(times).toHaveLength(count);
		const spreadMs = times.at(-1)! - times[0]!;
		// The most reconnects in any one-second window.
		let busiest = 0;
		for (let start = 0, end = 0; start < times.length; start++) {
			while (end < times.length && times[end]! - times[start]! < 1000) end++;
			busiest = Math.max(busiest, end - start);
		}

		console.log(`reconnect spread: ${count} clients over ${spreadMs} ms; at most ${busiest} in any one second`);
		expect(spreadMs).toBeGreaterThan(1000);
		expect(busiest).toBeLessThan(count);
		// Full jitter over backoff ceilings of 1–4 s by now: far from a thundering herd.
		expect(busiest).toBeLessThanOrEqual(count * 0.8);
	}, 90_000);
});

describe('a server stopped for a while (SIGSTOP)', () => {
	it('handles what a paced client typed meanwhile late, in order, and refuses none of it', async () => {
		// A client typing at exactly the server's rate: fine until the server stalls,
		// and then everything typed during the stall arrives at once.
		const rate = 4;
		const server = await spawnServer({quiet: true, rate, burst: 4});
		const watcher = await connectUser(server.port, 'watcher');
		const typist = await connectUser(server.port, 'typist');
		await watcher.nextEvent('client-enter');
		const lines = 16;
		let typed = 0;
		const stopped = new Promise<void>((resolve, reject) => {
			const timer = setInterval(() => {
				try {
					typist.sendFrame({cmd: 'msg', msg: `line ${typed}`});
					typed++;
					// Stopped after the 4th line, resumed after the 12th: a 2 s stall.
					if (typed === 4) server.process.kill('SIGSTOP');
					if (typed === 12) server.process.kill('SIGCONT');
					if (typed === lines) {
						clearInterval(timer);
						resolve();
					}
				} catch (error) {
					clearInterval(timer);
					reject(error as Error);
				}
			}, 1000 / rate);
		});
		try {
			await stopped;
			for (let i = 0; i < lines; i++) await typist.expectStatus(true, 'sent', 10_000);
			for (let i = 0; i < lines; i++) expect((await watcher.nextEvent('message', 10_000)).msg).toBe(`line ${i}`);
		} finally {
			server.process.kill('SIGCONT');
		}
	});
});

describe('a server that stops reading', () => {
	it('is noticed by the reply timeout while a message waits; the client recovers on a real server', async () => {
		const hostile = await startHostileServer();
		hostileServers.push(hostile);
		const {client, events} = chatClient({port: hostile.port, user: 'alice', replyTimeoutMs: 500, backoff: {baseMs: 100, capMs: 300}});
		const peer = await hostile.nextConnection();
		await events.waitFor('roster');
		// From now on the server reads nothing and answers nothing; the socket stays open.
		peer.socket.pause();
		peer.socket.removeAllListeners('data');
		// The hostile server stops listening as the client gives up on it, before its reconnect
		// (the backoff's jitter may make that a few ms): one still listening would take the
		// reconnect, answer the resent message "sent", and the real server would never see it.
		const hostileGone = new Promise<void>(resolve => {
			client.once('error', () => {
				resolve(hostile.close());
			});
		});
		client.send('are you there?');
		const error = await events.waitFor('error', undefined, 15_000);
		expect(error.message).toBe(`127.0.0.1:${hostile.port} stopped answering (no reply within 0.5 s) — the connection is dead or the server is stuck; reconnecting.`);
		expect(client.pending()).toEqual([{localId: 1, text: 'are you there?'}]);

		// A real server takes the port over: the client gets in and the waiting message goes out.
		const {port} = hostile;
		await hostileGone;
		hostileServers.length = 0;
		expect(hostile.peers).toHaveLength(1);
		const real = await startTestServer({port});
		const bob = await connectUser(real.port, 'bob');
		await events.waitFor('sent', undefined, 10_000);
		// Alice may get in before bob does, so the message is looked for in the room's log,
		// which holds it whichever of them connected first.
		bob.sendFrame({cmd: 'history'});
		const {messages} = await bob.expectStatus(true, undefined, 10_000) as unknown as {messages: Array<{msg: string}>};
		expect(messages.map(message => message.msg)).toEqual(['are you there?']);
		expect(client.connected).toBe(true);
	});

	it('is noticed on a quiet connection through the periodic roster probe', async () => {
		const hostile = await startHostileServer({roster: ['bob']});
		hostileServers.push(hostile);
		const {events} = chatClient({port: hostile.port, user: 'alice', refreshIntervalMs: 200, replyTimeoutMs: 400, backoff: {baseMs: 100, capMs: 300}});
		const peer = await hostile.nextConnection();
		await events.waitFor('roster');
		peer.socket.pause();
		peer.socket.removeAllListeners('data');
		const started = Date.now();
		await events.waitFor('disconnected', undefined, 15_000);
		const took = Date.now() - started;
		expect(events.of('error')[0]?.message).toMatch(/stopped answering/);
		// Probe after 200 ms, dead 400 ms later; without the probe it would take the default
		// 30 s interval and 30 s reply timeout. The bound leaves a loaded machine room.
		expect(took).toBeLessThan(10_000);
		await hostile.nextConnection();
		await events.waitFor('connected', () => events.of('connected').length >= 2, 15_000);
	});

	it('a server that accepts and never reads at all: the connect timeout, then retries', async () => {
		const hostile = await startHostileServer({neverRead: true});
		hostileServers.push(hostile);
		const {events} = chatClient({port: hostile.port, user: 'alice', connectTimeoutMs: 300, backoff: {baseMs: 50, capMs: 100}});
		expect((await events.waitFor('error', undefined, 15_000)).message).toMatch(/did not answer within 0\.3 s/);
		await waitUntil(() => hostile.peers.length >= 3, 15_000, 'the client to keep retrying');
	});
});

describe('half-open connections', () => {
	it('the server drops a peer that went silent (idleTimeoutMs) and tells the others it left', async () => {
		// A second of silence, against alice's frame every 100 ms: a stall of the test process,
		// which runs the server too, does not time alice out.
		const server = await startTestServer({idleTimeoutMs: 1000});
		const ghost = await connectUser(server.port, 'ghost');
		// A vanished peer: no FIN, no data, the socket left open on our side.
		ghost.socket.pause();
		const alice = await connectRaw(server.port);
		alice.sendFrame({cmd: 'connect', username: 'alice'});
		await alice.expectStatus(true);
		// alice keeps talking, so only the silent one times out.
		const keepAlive = setInterval(() => alice.sendFrame({cmd: 'get-clients'}), 100);
		try {
			expect((await alice.nextEvent('client-exit', 15_000)).user).toBe('ghost');
		} finally {
			clearInterval(keepAlive);
		}

		await waitUntil(() => server.users === 1, 15_000, 'the ghost to be gone');
	});

	it('the server keeps idle peers by default (idleTimeoutMs 0) and turns TCP keep-alive on', async () => {
		const server = await startTestServer();
		expect(server.options.idleTimeoutMs).toBe(0);
		expect(server.options.keepAliveMs).toBe(60_000);
		const quiet = await connectUser(server.port, 'quiet');
		await sleep(300);
		expect(quiet.isClosed).toBe(false);
	});

	it('the client finds a half-open link by its reply timeout and reconnects', async () => {
		const server = await startTestServer();
		// A proxy that can go silent in both directions without closing: a half-open path.
		const hostile = await startHostileServer();
		hostileServers.push(hostile);
		const {client, events} = chatClient({port: hostile.port, user: 'alice', refreshIntervalMs: 150, replyTimeoutMs: 300, backoff: {baseMs: 50, capMs: 100}});
		const peer = await hostile.nextConnection();
		await events.waitFor('roster');
		peer.socket.pause();
		peer.socket.removeAllListeners('data');
		await events.waitFor('disconnected', undefined, 15_000);
		await events.waitFor('connected', () => events.of('connected').length >= 2, 15_000);
		expect(client.connected).toBe(true);
		expect(server.connections).toBe(0);
	});
});
