// Stored direct messages between accounts (§10, §11), client against the
// real server with its SQLite log (--data): an account that was offline logs
// in and finds the conversation open with its messages, resumes it after a
// drop with what was said meanwhile, and pages older messages on request.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/client.js';
import type {ChatClientEvents, ConversationKeeper, DeliveredMessage, SeenMark} from '../../source/client/events.js';
import {chatReducer, initialState, selectConversations} from '../../source/state/index.js';
import {connectRaw, type RawClient} from '../helpers/raw-client.js';
import {startRealLogServer, type RealLogServer} from '../helpers/real-log-server.js';

const password = 'velvet-lantern-orchid';
let dir: string;
let log: RealLogServer;
const clients: ChatClient[] = [];
const raws: RawClient[] = [];

beforeEach(async () => {
	dir = mkdtempSync(path.join(tmpdir(), 'stored-direct-'));
	log = await startRealLogServer({dataDir: dir});
});
afterEach(async () => {
	for (const client of clients.splice(0)) client.close();
	for (const raw of raws.splice(0)) raw.socket.destroy();
	await log.close();
	rmSync(dir, {recursive: true, force: true});
});

async function ask(client: RawClient, frame: Record<string, unknown>) {
	client.sendFrame(frame);
	return client.nextStatus();
}

/** `name` registered on the server itself, connected with `direct`. */
async function account(name: string): Promise<RawClient> {
	const raw = await connectRaw(log.server.port);
	raws.push(raw);
	expect(await ask(raw, {cmd: 'connect', username: name, features: ['direct']})).toMatchObject({success: true});
	expect(await ask(raw, {cmd: 'register', password})).toMatchObject({success: true});
	return raw;
}

async function next<K extends keyof ChatClientEvents>(chat: ChatClient, name: K, where: (payload: ChatClientEvents[K]) => boolean = () => true): Promise<ChatClientEvents[K]> {
	return new Promise(resolve => {
		const listener = (payload: ChatClientEvents[K]) => {
			if (!where(payload)) return;
			chat.off(name, listener as never);
			resolve(payload);
		};

		chat.on(name, listener as never);
	});
}

describe('stored direct conversations in the client', () => {
	it('opens a conversation stored while offline, what came since our last word in it unread; resumes it after a drop, and pages older ones', async () => {
		const alice = await account('alice');
		const bob = await account('bob');
		expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: 'zero'})).toMatchObject({success: true, seq: 1});
		expect(await ask(bob, {cmd: 'msg', to: 'alice', msg: 'got it'})).toMatchObject({success: true, seq: 2});
		bob.sendFrame({cmd: 'exit'});
		await bob.closed;
		for (const text of ['one', 'two', 'three']) expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: text})).toMatchObject({success: true});

		// No mark kept from an earlier run: where bob last wrote is where he was last there.
		const keeper: ConversationKeeper = {read: () => [], save() {}, readSeen: () => new Map(), saveSeen() {}};
		const chat = new ChatClient({host: '127.0.0.1', port: log.port, user: 'bob', login: {transport: 'plain', canPrompt: false, scriptedPassword: password}, refreshIntervalMs: 0, backoff: {baseMs: 10, capMs: 20}, conversations: keeper, backlog: 1});
		clients.push(chat);
		const direct: DeliveredMessage[] = [];
		chat.on('message', message => {
			if (message.conversation === 'alice') direct.push(message);
		});
		const opened = next(chat, 'conversation', event => event.kind === 'opened');
		const loaded = next(chat, 'caughtUp', ({conversation}) => conversation === 'alice');
		chat.start();
		expect(await opened).toEqual({kind: 'opened', with: 'alice', restored: false});
		expect(await loaded).toEqual({conversation: 'alice', backlog: 1, recovered: 3});
		expect(direct.map(({user, to, text, seq, backlog, recovered}) => ({user, to, text, seq, backlog, recovered}))).toEqual([
			{user: 'bob', to: 'alice', text: 'got it', seq: 2, backlog: true, recovered: undefined},
			{user: 'alice', to: 'bob', text: 'one', seq: 3, backlog: undefined, recovered: true},
			{user: 'alice', to: 'bob', text: 'two', seq: 4, backlog: undefined, recovered: true},
			{user: 'alice', to: 'bob', text: 'three', seq: 5, backlog: undefined, recovered: true},
		]);

		// In the state: the three unread, each a mention (a direct message is addressed to you); bob's own line is backlog.
		let state = initialState({me: 'bob', server: 'h:1'});
		for (const {conversation, user, text, time, seq, epoch, backlog, recovered, own} of direct) {
			state = chatReducer(state, {type: 'message', conversation, user, text, time, ...(backlog ? {backlog} : {}), ...(recovered ? {recovered} : {}), ...(own ? {own} : {}), ...(seq === undefined || epoch === undefined ? {} : {seq, epoch})});
		}

		expect(selectConversations(state).map(({name, unread, mentions}) => `${name} ${unread}/${mentions}`)).toEqual(['#lobby 0/0', 'alice 3/3']);

		// Scrolling up asks for what is before the backlog.
		const older = next(chat, 'older', ({conversation}) => conversation === 'alice');
		expect(chat.loadOlder('alice')).toBe(true);
		expect(await older).toMatchObject({conversation: 'alice', more: false, messages: [{user: 'alice', text: 'zero', seq: 1}]});

		// Cut off: what alice says meanwhile is stored, and fetched on the resume, once.
		log.refuse(true);
		const gone = next(chat, 'disconnected');
		log.dropAll();
		await gone;
		expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: 'four'})).toMatchObject({success: true, seq: 6});
		const resumed = next(chat, 'caughtUp', ({conversation, recovered}) => conversation === 'alice' && recovered > 0);
		log.refuse(false);
		expect(await resumed).toEqual({conversation: 'alice', backlog: 0, recovered: 1});
		expect(direct.slice(4).map(({text, seq, recovered}) => ({text, seq, recovered}))).toEqual([{text: 'four', seq: 6, recovered: true}]);

		// Live after that, in the same order; and a reply of ours goes into the same log.
		const live = next(chat, 'message', ({conversation}) => conversation === 'alice');
		expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: 'five'})).toMatchObject({success: true, seq: 7});
		expect(await live).toMatchObject({user: 'alice', text: 'five', seq: 7});
		expect(direct.map(({seq}) => seq)).toEqual([2, 3, 4, 5, 6, 7]);
		const sent = next(chat, 'sent');
		chat.send('thanks', {to: 'alice'});
		expect(await sent).toMatchObject({conversation: 'alice', seq: 8});
	});

	it('without kept marks (pipe mode) a stored conversation loads as backlog, so a bot is not handed it again at every start', async () => {
		const alice = await account('alice');
		const bob = await account('bob');
		bob.sendFrame({cmd: 'exit'});
		await bob.closed;
		for (const text of ['one', 'two']) expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: text})).toMatchObject({success: true});
		const chat = new ChatClient({host: '127.0.0.1', port: log.port, user: 'bob', login: {transport: 'plain', canPrompt: false, scriptedPassword: password}, refreshIntervalMs: 0, backlog: 0});
		clients.push(chat);
		const direct: DeliveredMessage[] = [];
		chat.on('message', message => direct.push(message));
		const loaded = next(chat, 'caughtUp', ({conversation}) => conversation === 'alice');
		chat.start();
		expect(await loaded).toEqual({conversation: 'alice', backlog: 0, recovered: 0});
		expect(direct).toEqual([]);
	});

	it('counts what came after the last run as unread: the next login resumes after the mark it kept', async () => {
		const alice = await account('alice');
		const bob = await account('bob');
		bob.sendFrame({cmd: 'exit'});
		await bob.closed;
		expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: 'seen before'})).toMatchObject({success: true, seq: 1});

		const kept = {open: [] as string[], seen: new Map<string, SeenMark>()};
		const keeper: ConversationKeeper = {
			read: () => kept.open,
			save(_name, names) {
				kept.open = [...names];
			},
			readSeen: () => kept.seen,
			saveSeen(_name, seen) {
				kept.seen = new Map(seen);
			},
		};
		const run = async () => {
			const chat = new ChatClient({host: '127.0.0.1', port: log.port, user: 'bob', login: {transport: 'plain', canPrompt: false, scriptedPassword: password}, refreshIntervalMs: 0, conversations: keeper, backlog: 50});
			clients.push(chat);
			const direct: DeliveredMessage[] = [];
			chat.on('message', message => {
				if (message.conversation === 'alice') direct.push(message);
			});
			const loaded = next(chat, 'caughtUp', ({conversation}) => conversation === 'alice');
			chat.start();
			return {chat, direct, loaded: await loaded};
		};

		const first = await run();
		expect(first.loaded).toEqual({conversation: 'alice', backlog: 0, recovered: 1});
		expect(kept.open).toEqual(['alice']);
		expect(kept.seen).toEqual(new Map([['alice', {epoch: expect.any(String), seq: 1}]]));
		const gone = next(first.chat, 'disconnected');
		first.chat.exit();
		await gone;

		for (const text of ['while you were out', 'and again']) expect(await ask(alice, {cmd: 'msg', to: 'bob', msg: text})).toMatchObject({success: true});
		const second = await run();
		expect(second.loaded).toEqual({conversation: 'alice', backlog: 0, recovered: 2});
		expect(second.direct.map(({text, recovered}) => ({text, recovered}))).toEqual([{text: 'while you were out', recovered: true}, {text: 'and again', recovered: true}]);
		expect(kept.seen.get('alice')?.seq).toBe(3);

		// In the state: two unread in the conversation, each a mention (a direct message is addressed to you).
		let state = chatReducer(initialState({me: 'bob', server: 'h:1'}), {type: 'openConversation', conversation: '#dev'});
		for (const {conversation, user, text, time, seq, epoch} of second.direct) {
			state = chatReducer(state, {type: 'message', conversation, user, text, time, recovered: true, ...(seq === undefined || epoch === undefined ? {} : {seq, epoch})});
		}

		expect(selectConversations(state).map(({name, unread, mentions}) => `${name} ${unread}/${mentions}`)).toEqual(['#lobby 0/0', '#dev 0/0', 'alice 2/2']);
	});

	it('keeps an open conversation with a guest live only, without a warning, at start and after a reconnect', async () => {
		await account('bob').then(async raw => {
			raw.sendFrame({cmd: 'exit'});
			await raw.closed;
		});
		const carol = await connectRaw(log.server.port);
		raws.push(carol);
		expect(await ask(carol, {cmd: 'connect', username: 'carol', features: ['direct']})).toMatchObject({success: true});

		const keeper: ConversationKeeper = {read: () => ['carol'], save() {}};
		const chat = new ChatClient({host: '127.0.0.1', port: log.port, user: 'bob', login: {transport: 'plain', canPrompt: false, scriptedPassword: password}, refreshIntervalMs: 0, backoff: {baseMs: 10, capMs: 20}, conversations: keeper, backlog: 50});
		clients.push(chat);
		const warnings: string[] = [];
		chat.on('warning', ({message}) => warnings.push(message));
		// carol's line is held while the conversation's load is out, so its arrival means the refusal was handled.
		const says = async (text: string) => {
			const heard = next(chat, 'message', ({conversation}) => conversation === 'carol');
			expect(await ask(carol, {cmd: 'msg', to: 'bob', msg: text})).toMatchObject({success: true});
			return heard;
		};

		const connected = next(chat, 'connected');
		chat.start();
		await connected;
		expect(await says('hi bob')).toMatchObject({user: 'carol', text: 'hi bob'});

		const gone = next(chat, 'disconnected');
		const back = next(chat, 'connected');
		log.dropAll();
		await gone;
		await back;
		expect(await says('still here')).toMatchObject({user: 'carol', text: 'still here'});
		expect(warnings).toEqual([]);
	});
});
