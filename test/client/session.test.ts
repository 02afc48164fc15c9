// ChatClient's own logic, over in-memory socket pairs and a fake clock: no
// port, no real time for the client's timers.
import {afterEach, describe, expect, it} from 'vitest';
import {connectRefusal} from '../../source/client/refusal.js';
import {closeTestClients} from './recorder.js';
import {pairedClient} from './paired-client.js';

const ok = (text = '', extra: Record<string, unknown> = {}) => ({success: true, 'error-msg': '', 'success-msg': text, ...extra});
const refused = (error: string, extra: Record<string, unknown> = {}) => ({success: false, 'error-msg': error, 'success-msg': '', ...extra});
const codes = {features: ['codes', 'history'], server: 'codechat-tui/9', limits: {frame: 65_536, msg: 4096, file: 49_152}};

afterEach(() => {
	closeTestClients();
});

describe('ChatClient session, in memory', () => {
	it('sends connect with the features it speaks, records what the server lists, and fills the roster', async () => {
		const {client, events, peer} = pairedClient();
		const server = await peer(0);
		expect(await server.nextCommand('connect')).toEqual({cmd: 'connect', username: 'alice', features: ['rooms', 'direct', 'presence']});
		server.send(ok('welcome', codes));
		await server.nextCommand('get-clients');
		server.send(ok('alice, bob'));
		expect(await events.waitFor('roster')).toEqual({users: ['alice', 'bob'], complete: true, source: 'connect', conversation: '#lobby'});
		expect(client.supports('history')).toBe(true);
		expect(client.supports('rooms')).toBe(false);
		expect(client.limits).toEqual({frame: 65_536, msg: 4096, file: 49_152});
	});

	it('a seed server lists nothing', async () => {
		const {client, events, peer} = pairedClient();
		const server = await peer(0);
		await server.nextCommand('connect');
		server.send(ok('welcome'));
		await events.waitFor('connected');
		expect(client.supports('codes')).toBe(false);
	});

	it('resets the backoff only after a connection stayed up for stableAfterMs', async () => {
		const {events, clock, peer} = pairedClient({backoff: {baseMs: 1000, capMs: 64_000}, stableAfterMs: 30_000});
		for (let index = 0; index < 3; index++) {
			const server = await peer(index);
			await server.nextCommand('connect');
			server.send(ok('welcome'));
			await events.waitFor('connected', () => events.of('connected').length === index + 1);
			server.end();
			await events.waitFor('reconnecting', () => events.of('reconnecting').length === index + 1);
			clock.advance(events.of('reconnecting').at(-1)!.delayMs);
		}

		// This one stays up long enough: the next drop starts the backoff over.
		const server = await peer(3);
		await server.nextCommand('connect');
		server.send(ok('welcome'));
		await events.waitFor('connected', () => events.of('connected').length === 4);
		clock.advance(30_000);
		server.end();
		await events.waitFor('reconnecting', () => events.of('reconnecting').length === 4);
		expect(events.of('reconnecting').map(event => event.attempt)).toEqual([1, 2, 3, 1]);
		expect(events.of('reconnecting').map(event => event.delayMs)).toEqual([500, 1000, 2000, 500]);
	});

	it('a server that closes the room says why; one not coming back is retried at the longest wait', async () => {
		const {events, clock, peer} = pairedClient({backoff: {baseMs: 1000, capMs: 8000}});
		let server = await peer(0);
		await server.nextCommand('connect');
		server.send(ok('welcome'));
		await events.waitFor('connected');
		server.send({cmd: 'server-closing', msg: 'restarting', reconnect: true});
		server.end();
		expect(await events.waitFor('disconnected')).toEqual({reason: 'the host closed the room: restarting', willReconnect: true});
		clock.advance(events.of('reconnecting')[0].delayMs);

		server = await peer(1);
		await server.nextCommand('connect');
		server.send(ok('welcome'));
		await events.waitFor('connected', () => events.of('connected').length === 2);
		server.send({cmd: 'server-closing', msg: 'for good', reconnect: false});
		server.end();
		expect(await events.waitFor('disconnected', event => event.reason.includes('for good'))).toEqual({
			reason: 'the host closed the room: for good — it does not expect to be back; retrying now and then',
			willReconnect: true,
		});
		expect(events.of('reconnecting').at(-1)!.delayMs).toBe(6000); // top half of the 8 s cap
	});

	it('shows quit reasons', async () => {
		const {events, peer} = pairedClient();
		const server = await peer(0);
		await server.nextCommand('connect');
		server.send(ok('welcome'));
		await server.nextCommand('get-clients');
		server.send(ok('', {clients: ['alice', 'bob']}));
		await events.waitFor('roster');
		server.send({cmd: 'client-exit', user: 'bob', msg: 'lunch'});
		expect(await events.waitFor('exit')).toEqual({user: 'bob', conversation: '#lobby', msg: 'lunch'});
	});

	it('stops with one clear line on a server that speaks no JSON (February 2015)', async () => {
		const {client, events, peer} = pairedClient();
		const server = await peer(0);
		server.raw('Welcome to CodeChat! Type your name:\n');
		expect(await events.waitFor('disconnected')).toMatchObject({willReconnect: false});
		expect(events.of('error').map(error => error.message)).toEqual([
			`127.0.0.1:8080 does not speak JSON — it may be an early (February 2015) CodeChat server, which this client cannot talk to; use a later server`,
		]);
		expect(events.of('reconnecting')).toEqual([]);
		expect(client.debugStats().timers).toBe(0);
	});
});

describe('ChatClient and the 2015 server, in memory', () => {
	const status2015 = (payload = '') => ({cmd: 'return-status', 'return-cmd': 'client-connect', status: true, payload});

	it('shows a user whose connection ended as possibly gone until they speak; empty messages are not shown', async () => {
		const {client, events, peer} = pairedClient();
		const server = await peer(0);
		await server.nextCommand('connect');
		server.raw(JSON.stringify(status2015()) + JSON.stringify({cmd: 'client-connect', from: 'bob', payload: ''}));
		await events.waitFor('enter');
		server.raw(JSON.stringify({cmd: '', from: 'bob', payload: ''}));
		expect(await events.waitFor('gone')).toEqual({user: 'bob'});
		expect(client.roster).toEqual({me: 'alice', complete: false, users: [
			{name: 'alice', isMe: true, gone: false, namesake: false},
			{name: 'bob', isMe: false, gone: true, namesake: false},
		]});
		server.raw(JSON.stringify({cmd: 'message', from: 'bob', payload: ''}) + JSON.stringify({cmd: 'message', from: 'bob', payload: 'back'}));
		expect(await events.waitFor('message')).toMatchObject({user: 'bob', text: 'back'});
		expect(events.of('message')).toHaveLength(1);
		expect(client.roster.users[1]).toMatchObject({name: 'bob', gone: false});
		// Senders seen count as present: /who shows the same list.
		server.raw(JSON.stringify({cmd: 'message', from: 'carol', payload: 'hi'}));
		await events.waitFor('message', message => message.user === 'carol');
		client.who();
		expect(await events.waitFor('roster', roster => roster.source === 'who')).toEqual({users: ['alice', 'bob', 'carol'], complete: false, source: 'who', conversation: '#lobby'});
	});
});

describe('connect refusals on codes', () => {
	const decide = async (status: Record<string, unknown>, everConnected = false) => {
		const {events, clock, peer} = pairedClient();
		let server = await peer(0);
		await server.nextCommand('connect');
		if (everConnected) {
			server.send(ok('welcome', codes));
			await events.waitFor('connected');
			server.end();
			await events.waitFor('reconnecting');
			clock.advance(events.of('reconnecting')[0].delayMs);
			server = await peer(1);
			await server.nextCommand('connect');
		}

		server.send(status);
		return events.waitFor('disconnected', event => !everConnected || events.of('disconnected').indexOf(event) > 0);
	};

	it('stops on name-taken, invalid-name and server-full with the server text, whatever it says', async () => {
		expect(await decide(refused('nope', {code: 'name-taken', ...codes}))).toEqual({reason: 'the name alice is taken on 127.0.0.1:8080 — choose another name', willReconnect: false});
		expect(await decide(refused('nope', {code: 'invalid-name', ...codes}))).toEqual({reason: '127.0.0.1:8080 refused the name alice (nope) — choose another name', willReconnect: false});
		expect(await decide(refused('taken rate', {code: 'server-full', ...codes}))).toEqual({reason: '127.0.0.1:8080 is full (taken rate) — try again later', willReconnect: false});
	});

	it('retries on name-taken after a drop (our old session), and on rate-limited', async () => {
		expect(await decide(refused('nope', {code: 'name-taken', ...codes}), true)).toEqual({reason: 'name alice is still held by the old session', willReconnect: true});
		expect(await decide(refused('slow down', {code: 'rate-limited', retry: 2, ...codes}))).toEqual({reason: 'the server is rate limiting us', willReconnect: true});
	});

	it('an unknown or missing code from a server with codes is a plain refusal, never matched as text', async () => {
		expect(await decide(refused('name taken', {code: 'made-up', ...codes}))).toEqual({reason: '127.0.0.1:8080 refused the connection (name taken)', willReconnect: false});
		expect(await decide(refused('rate limited', codes))).toEqual({reason: '127.0.0.1:8080 refused the connection (rate limited)', willReconnect: false});
	});

	it('matches the text only for servers without codes', () => {
		expect(connectRefusal({error: 'name taken'}, false)).toBe('name-held');
		expect(connectRefusal({error: 'that name is already in use'}, false)).toBe('name-held');
		expect(connectRefusal({error: 'rate limited'}, false)).toBe('retry-later');
		expect(connectRefusal({error: 'server full'}, false)).toBe('server-full');
		expect(connectRefusal({error: 'username must be 1–32 letters'}, false)).toBe('invalid-name');
		expect(connectRefusal({error: 'name taken'}, true)).toBe('refused');
		expect(connectRefusal({error: 'whatever', code: 'name-taken'}, false)).toBe('name-held');
	});
});
