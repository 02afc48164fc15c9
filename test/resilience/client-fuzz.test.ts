// Client fuzzing: a hostile server (test/helpers/hostile-server.ts)
// sends garbage, frames over the limit, floods, escape sequences, events for
// unknown users, duplicate enters and an exit for yourself. The ChatClient
// never crashes, its memory stays bounded, and it says so in a warning. The
// same events fed into chatReducer keep the roster duplicate-free and the
// log capped.
import v8 from 'node:v8';
import vm from 'node:vm';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {ChatClient, type ChatClientEvents} from '../../source/client/index.js';
import {Roster} from '../../source/client/roster.js';
import {nameKey} from '../../source/protocol/limits.js';
import {chatReducer, initialState, selectEntryCount, selectRosterNames} from '../../source/state/index.js';
import type {ChatAction, ChatState} from '../../source/state/index.js';
import {hostileNames, hostileStrings} from '../helpers/hostile-strings.js';
import {startHostileServer, type HostilePeer, type HostileServer} from '../helpers/hostile-server.js';
import {waitUntil} from '../helpers/server.js';
import {seededRandom} from './fuzz-frames.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
	gc();
	gc();
	return process.memoryUsage().heapUsed;
}

const MiB = 1024 * 1024;
const crashes: unknown[] = [];
const onCrash = (error: unknown) => crashes.push(error);
const servers: HostileServer[] = [];
const clients: ChatClient[] = [];

beforeAll(() => {
	process.on('unhandledRejection', onCrash);
	process.on('uncaughtException', onCrash);
});

afterAll(() => {
	process.off('unhandledRejection', onCrash);
	process.off('uncaughtException', onCrash);
});

afterEach(async () => {
	for (const client of clients.splice(0)) client.close();
	await Promise.all(servers.splice(0).map(async server => server.close()));
	expect(crashes).toEqual([]);
});

/** Counts events instead of keeping them, so a flood does not fill the test's own memory. */
type Tally = {counts: Partial<Record<keyof ChatClientEvents, number>>; warnings: string[]; lastMessage?: ChatClientEvents['message']; rosters: string[][]};

async function hostileSetup(roster: string[] = ['bob'], options: {maxFrameBytes?: number} = {}): Promise<{server: HostileServer; client: ChatClient; peer: HostilePeer; tally: Tally}> {
	const server = await startHostileServer({roster});
	servers.push(server);
	const client = new ChatClient({port: server.port, user: 'me', backoff: {baseMs: 20, capMs: 50}, ...options});
	clients.push(client);
	const tally: Tally = {counts: {}, warnings: [], rosters: []};
	const names: Array<keyof ChatClientEvents> = ['connected', 'message', 'enter', 'exit', 'rename', 'roster', 'disconnected', 'reconnecting', 'error', 'warning'];
	for (const name of names) {
		client.on(name, (payload: unknown) => {
			tally.counts[name] = (tally.counts[name] ?? 0) + 1;
			if (name === 'warning') tally.warnings.push((payload as ChatClientEvents['warning']).message);
			if (name === 'message') tally.lastMessage = payload as ChatClientEvents['message'];
			if (name === 'roster') tally.rosters.push([...(payload as ChatClientEvents['roster']).users]);
		});
	}

	client.start();
	const peer = await server.nextConnection();
	await waitUntil(() => tally.rosters.length > 0, 15_000, 'the first roster');
	return {server, client, peer, tally};
}

/** The hostile frames a server can send to a connected client, seeded. */
function hostileFrame(random: () => number): string {
	const any = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
	const hostile = any(hostileStrings).text;
	const who = any(['bob', 'BOB', 'me', 'Me', 'ghost', any(hostileNames).text, '']);
	const frame = any<unknown>([
		{cmd: 'message', user: who, msg: hostile},
		{cmd: 'message', user: 5, msg: hostile},
		{cmd: 'message', user: 'bob'},
		{cmd: 'client-enter', user: who},
		{cmd: 'client-enter', user: 'bob'},
		{cmd: 'client-enter', user: 'me'},
		{cmd: 'client-exit', user: 'me'},
		{cmd: 'client-exit', user: who},
		{cmd: 'client-rename', user: 'x', oldname: who, newname: any(hostileNames).text},
		{cmd: 'client-rename', oldname: 'me', newname: 'evil'},
		{'success': true, 'error-msg': '', 'success-msg': 'answers nothing'},
		{'success': 'yes'},
		{cmd: 'return-status', 'return-cmd': 'msg', status: true, payload: hostile},
		{cmd: 'mystery', user: who},
		{cmd: ''},
		[1, 2, 3],
	]);
	const text = JSON.stringify(frame);
	return any([text + '\n', text, '\u001B[2J\u001B]0;owned\u0007\n', 'garbage ' + hostile.slice(0, 50).replaceAll('\n', ' ') + '\n', '}{\n']);
}

describe('client fuzzing against a hostile server', () => {
	it('survives 20,000 hostile frames: stays connected, warns (capped), roster stays duplicate-free', async () => {
		const {client, peer, tally} = await hostileSetup(['bob', 'carol']);
		const random = seededRandom(0xc11e47);
		let stream = '';
		for (let k = 0; k < 20_000; k++) stream += hostileFrame(random);
		await peer.send(stream);
		await peer.send('\n' + JSON.stringify({cmd: 'message', user: 'bob', msg: 'the end'}) + '\n');
		await waitUntil(() => tally.lastMessage?.text === 'the end', 10_000, 'the last message');

		expect(client.connected).toBe(true);
		expect(tally.counts.disconnected ?? 0).toBe(0);
		// Visible, and capped: 50 warnings, then one saying the rest are hidden.
		expect(tally.warnings.length).toBe(51);
		expect(tally.warnings.at(-1)).toBe('too many warnings; the rest are hidden until the next connection');
		expect(tally.warnings.some(warning => warning.startsWith('bad frame from the server'))).toBe(true);

		const rosters = tally.rosters.length;
		client.who();
		await waitUntil(() => tally.rosters.length > rosters, 15_000, 'the roster after who()');
		const names = tally.rosters.at(-1)!;
		expect(new Set(names.map(name => nameKey(name))).size).toBe(names.length);
		expect(names).toContain('me');
		expect(client.debugStats()).toMatchObject({outbox: 0, expected: 0});
	});

	it('warns about an exit for yourself, an enter for yourself, a duplicate enter and unknown users, and keeps you', async () => {
		const {client, peer, tally} = await hostileSetup(['bob']);
		for (const frame of [
			{cmd: 'client-exit', user: 'me'},
			{cmd: 'client-enter', user: 'me'},
			{cmd: 'client-enter', user: 'bob'},
			{cmd: 'client-exit', user: 'ghost'},
			{cmd: 'client-rename', user: 'z', oldname: 'ghost', newname: 'z'},
			{cmd: 'message', user: 'ghost', msg: 'boo'},
		]) {
			await peer.sendFrame(frame);
		}

		await waitUntil(() => tally.warnings.length >= 6, 15_000, 'six warnings');
		expect(tally.warnings).toEqual([
			'the server announced that you (me) left; ignored',
			'the server announced that me entered, but that is you; ignored',
			'bob entered but is already present; ignored',
			'ghost left but was not in the roster; ignored',
			'ghost was renamed to z but was not in the roster; ignored',
			'message from ghost, who is not in the roster',
		]);
		expect(tally.counts.exit ?? 0).toBe(0);
		expect(tally.counts.enter ?? 0).toBe(0);
		const rosters = tally.rosters.length;
		client.who();
		await waitUntil(() => tally.rosters.length > rosters, 15_000, 'the roster after who()');
		expect(tally.rosters.at(-1)).toEqual(['bob', 'me']);
		expect(client.connected).toBe(true);
	});

	it('takes a 64 MiB flood of messages with every one delivered and the heap bounded', async () => {
		const {client, peer, tally} = await hostileSetup();
		const before = heapAfterGc();
		const frame = JSON.stringify({cmd: 'message', user: 'bob', msg: 'f'.repeat(600)}) + '\n';
		const count = Math.ceil((64 * MiB) / frame.length);
		// Sixteen frames per write: the client sees them split and joined every which way.
		const batch = frame.repeat(16);
		await peer.flood(count * frame.length, () => batch);
		await waitUntil(() => (tally.counts.message ?? 0) >= count, 20_000, 'every flooded message');
		const after = heapAfterGc();
		expect(tally.counts.message).toBe(Math.ceil(count / 16) * 16);
		expect(client.connected).toBe(true);
		// Nothing of the flood is kept: the heap grows by far less than the 64 MiB that passed.
		expect(after - before).toBeLessThan(16 * MiB);
		console.log(`client flood: ${tally.counts.message} messages, ${(count * frame.length / MiB).toFixed(0)} MiB, heap ${((after - before) / MiB).toFixed(1)} MiB`);
	});

	it('cuts off a frame that never ends (32 MiB, no closing brace) at its limit, warns, reconnects; the heap stays bounded', async () => {
		const {server, client, peer, tally} = await hostileSetup(['bob'], {maxFrameBytes: 256 * 1024});
		const before = heapAfterGc();
		const chunk = 'z'.repeat(64 * 1024);
		const flooding = peer.flood(32 * MiB, index => (index === 0 ? '{"cmd":"message","user":"bob","msg":"' : chunk));
		await waitUntil(() => tally.warnings.includes('the server sent a frame over the 262144-byte limit; reconnecting'), 10_000, 'the overflow warning');
		peer.socket.destroy();
		await flooding;
		const after = heapAfterGc();
		expect(after - before).toBeLessThan(8 * MiB);
		await server.nextConnection();
		await waitUntil(() => (tally.counts.connected ?? 0) >= 2, 15_000, 'the reconnect');
		expect(client.connected).toBe(true);
	});

	it('takes 16 MiB of garbage lines without buffering them: warnings capped, still connected, heap bounded', async () => {
		const {client, peer, tally} = await hostileSetup();
		const before = heapAfterGc();
		const random = seededRandom(7);
		const garbage = Buffer.alloc(64 * 1024);
		for (let k = 0; k < garbage.length; k++) garbage[k] = random() < 0.02 ? 0x0a : 0x21 + Math.floor(random() * 0x5a);
		await peer.flood(16 * MiB, () => garbage);
		// The last garbage line ends here; a frame on it would be skipped with it.
		await peer.send('\n');
		await peer.sendFrame({cmd: 'message', user: 'bob', msg: 'after the garbage'});
		await waitUntil(() => tally.lastMessage?.text === 'after the garbage', 20_000, 'the message after the garbage');
		const after = heapAfterGc();
		expect(tally.warnings).toHaveLength(51);
		expect(client.connected).toBe(true);
		expect(after - before).toBeLessThan(8 * MiB);
	});
});

describe('chatReducer fed hostile events', () => {
	it('keeps the roster duplicate-free, you in it, and the log capped', () => {
		const random = seededRandom(0x5747e);
		const capacity = 500;
		let state: ChatState = initialState({me: 'me', capacity, server: '127.0.0.1:1'});
		// The client's roster decides who is there; the reducer stores what it reports.
		const roster = new Roster();
		roster.reset('me', true);
		state = chatReducer(state, {type: 'connected', server: '127.0.0.1:1', dialect: 'codechat', time: 1, roster: roster.snapshot()});
		const pool = ['bob', 'BOB', 'Bob', 'me', 'ME', 'ghost', ...hostileNames.map(entry => entry.text)];
		const any = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
		const others = pool.filter(name => nameKey(name) !== 'me');
		for (let k = 0; k < 30_000; k++) {
			const time = 2 + k;
			const step = any<() => ChatAction>([
				() => {
					const user = any(pool);
					roster.add(user);
					return {type: 'enter', user, time, roster: roster.snapshot()};
				},
				() => {
					const user = any(others);
					roster.remove(user);
					return {type: 'exit', user, time, roster: roster.snapshot()};
				},
				() => {
					const [oldname, newname] = [any(others), any(others)];
					roster.rename(oldname, newname);
					return {type: 'rename', oldname, newname, time, roster: roster.snapshot()};
				},
				() => ({type: 'message', user: any(pool), text: any(hostileStrings).text, time}),
				() => (roster.replace([any(pool), any(pool), any(pool), any(pool)]), {type: 'roster', roster: roster.snapshot()}),
				() => ({type: 'error', text: `warning: ${any(hostileStrings).text}`, time}),
			]);
			const action = step();
			state = chatReducer(state, action);
			const names = selectRosterNames(state);
			if (new Set(names.map(name => nameKey(name))).size !== names.length) throw new Error(`duplicate in roster after action ${k}: ${JSON.stringify(names)}`);
			if (!names.some(name => nameKey(name) === 'me')) throw new Error(`you left the roster after action ${k} (${JSON.stringify(action)})`);
		}

		expect(selectEntryCount(state)).toBeLessThanOrEqual(capacity);
		expect(selectEntryCount(state)).toBeGreaterThan(capacity / 2);
	});
});
