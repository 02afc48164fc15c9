// PROTOCOL.md §2–§4 through a real server: validation, names, events and
// their recipients.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser, statusShapeProblem} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

describe('status replies', () => {
	it('always carry all three keys, on success and on failure', async () => {
		const server = await startTestServer();
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'get-clients'}); // Failure: not connected.
		client.sendFrame({cmd: 'connect', username: 'alice'});
		client.sendFrame({cmd: 'nonsense'});
		client.send('not json\n');
		client.sendFrame({cmd: 'get-clients'});
		for (let i = 0; i < 5; i++) {
			const frame = await client.nextFrame();
			expect(statusShapeProblem(frame)).toBeUndefined();
			expect(Object.keys(frame)).toEqual(expect.arrayContaining(['success', 'error-msg', 'success-msg']));
		}
	});

	it('answers 60 pipelined commands with 60 statuses in order', async () => {
		const server = await startTestServer({rate: 0});
		const client = await connectRaw(server.port);
		const frames: string[] = [JSON.stringify({cmd: 'connect', username: 'pipe'})];
		const expected: Array<[boolean, string]> = [[true, 'welcome pipe']];
		for (let i = 1; i < 60; i++) {
			// Alternate three kinds whose statuses differ, so a swap would show.
			if (i % 3 === 0) {
				frames.push(JSON.stringify({cmd: 'msg', msg: `m${i}`}));
				expected.push([true, 'sent']);
			} else if (i % 3 === 1) {
				frames.push(JSON.stringify({cmd: 'connect', username: `x${i}`}));
				expected.push([false, 'already connected as pipe']);
			} else {
				frames.push(JSON.stringify({cmd: 'rename', oldname: `wrong${i}`, newname: 'y'}));
				expected.push([false, `oldname does not match`]);
			}
		}

		client.send(frames.join('\n') + '\n');
		for (const [success, text] of expected) await client.expectStatus(success, text);
		expect(client.pendingEvents()).toEqual([]);
	});
});

describe('connect', () => {
	it('welcomes the user and tells the others, not the newcomer', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectRaw(server.port);
		bob.sendFrame({cmd: 'connect', username: 'bob'});
		const status = await bob.expectStatus(true, 'welcome bob');
		expect(status['error-msg']).toBe('');
		expect(await alice.nextEvent()).toEqual({cmd: 'client-enter', user: 'bob'});
		await bob.sync();
		expect(bob.pendingEvents()).toEqual([]);
		expect(server.users).toBe(2);
	});

	it.each([
		[{cmd: 'connect'}, 'connect needs a string "username"'],
		[{cmd: 'connect', username: 7}, 'connect needs a string "username"'],
		[{cmd: 'connect', username: ''}, 'a user name is required'],
		[{cmd: 'connect', username: 'a'.repeat(33)}, 'longer than 32'],
		[{cmd: 'connect', username: 'bad name'}, 'may hold only letters'],
		[{cmd: 'connect', username: 'x\u001B[31m'}, 'may hold only letters'],
	])('refuses %j with a clear error', async (frame, error) => {
		const server = await startTestServer();
		const client = await connectRaw(server.port);
		client.sendFrame(frame);
		await client.expectStatus(false, error);
		expect(server.users).toBe(0);
	});

	it('accepts letters and digits of any script, _ - . and 32 characters', async () => {
		const server = await startTestServer();
		for (const name of ['Zoë', '山田', 'a_b-c.d', 'x'.repeat(32), '٣']) {
			const client = await connectRaw(server.port);
			client.sendFrame({cmd: 'connect', username: name});
			await client.expectStatus(true, `welcome ${name}`);
		}
	});

	it('keeps names unique case-insensitively', async () => {
		const server = await startTestServer();
		await connectUser(server.port, 'Alice');
		const other = await connectRaw(server.port);
		other.sendFrame({cmd: 'connect', username: 'alice'});
		await other.expectStatus(false, 'taken');
		other.sendFrame({cmd: 'connect', username: 'ALICE'});
		await other.expectStatus(false, 'taken');
		other.sendFrame({cmd: 'connect', username: 'alice2'});
		await other.expectStatus(true);
	});

	it('lets exactly one of many racing connects win a name', async () => {
		const server = await startTestServer();
		const clients = await Promise.all(Array.from({length: 20}, async () => connectRaw(server.port)));
		// Alternate the case too: the race is on the case-insensitive key.
		clients.forEach((client, i) => client.sendFrame({cmd: 'connect', username: i % 2 ? 'Race' : 'race'}));
		const statuses = await Promise.all(clients.map(async client => client.nextStatus()));
		expect(statuses.filter(status => status.success)).toHaveLength(1);
		for (const status of statuses.filter(status => !status.success)) expect(status['error-msg']).toMatch(/taken/);
		expect(server.users).toBe(1);
	});

	it('refuses a second connect on the same connection', async () => {
		const server = await startTestServer();
		const client = await connectUser(server.port, 'alice');
		client.sendFrame({cmd: 'connect', username: 'other'});
		await client.expectStatus(false, 'already connected');
		expect((await client.sync())['success-msg']).toBe('alice');
	});

	it('lets a released name be claimed again', async () => {
		const server = await startTestServer();
		const first = await connectUser(server.port, 'alice');
		first.sendFrame({cmd: 'exit'});
		await first.waitClosed();
		await connectUser(server.port, 'ALICE');
	});
});

describe('before connect', () => {
	it('refuses every command but connect and exit with "not connected"', async () => {
		const server = await startTestServer();
		const client = await connectRaw(server.port);
		client.sendFrame({cmd: 'msg', msg: 'hi'});
		client.sendFrame({cmd: 'get-clients'});
		client.sendFrame({cmd: 'rename', oldname: 'a', newname: 'b'});
		for (let i = 0; i < 3; i++) await client.expectStatus(false, /^not connected$/);
		client.sendFrame({cmd: 'exit'});
		await client.expectStatus(true, 'goodbye');
		await client.waitClosed();
	});

	it('sends no events to a connection that has not connected', async () => {
		const server = await startTestServer();
		const lurker = await connectRaw(server.port);
		const alice = await connectUser(server.port, 'alice');
		alice.sendFrame({cmd: 'msg', msg: 'hello'});
		await alice.expectStatus(true);
		await lurker.sync();
		expect(lurker.pendingEvents()).toEqual([]);
	});
});

describe('unknown and ill-typed commands', () => {
	it.each([
		[{}, 'missing "cmd"'],
		[{cmd: 5}, '"cmd" must be a string'],
		[{cmd: 'fly'}, 'unknown command "fly"'],
		[{cmd: 'msg', msg: 3}, 'msg needs a string "msg"'],
		[{cmd: 'rename', oldname: 'alice'}, 'rename needs string'],
		[{cmd: 'exit', msg: 1}, 'exit "msg" must be a string'],
	])('%j fails and changes nothing', async (frame, error) => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		await alice.nextEvent('client-enter');
		bob.sendFrame(frame);
		await bob.expectStatus(false, error);
		expect((await bob.sync())['success-msg']).toBe('alice, bob');
		await alice.sync();
		expect(alice.pendingEvents()).toEqual([]);
	});
});

describe('msg', () => {
	it('acknowledges the sender, delivers to every other client, never echoes', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		const carol = await connectUser(server.port, 'carol');
		alice.sendFrame({cmd: 'msg', msg: 'line one\nline two'});
		await alice.expectStatus(true);
		for (const other of [bob, carol]) {
			expect(await other.nextEvent('message')).toMatchObject({cmd: 'message', user: 'alice', msg: 'line one\nline two'});
		}

		await alice.sync();
		expect(alice.pendingEvents().filter(event => event.cmd === 'message')).toEqual([]);
	});

	it.each([
		['', 'message is empty'],
		[' \n\t ', 'message is empty'],
		['x'.repeat(4097), 'the limit is 4096'],
	])('refuses %j', async (text, error) => {
		const server = await startTestServer({maxFrameBytes: 65_536});
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		bob.sendFrame({cmd: 'msg', msg: text});
		await bob.expectStatus(false, error);
		await alice.sync();
		expect(alice.pendingEvents().filter(event => event.cmd === 'message')).toEqual([]);
	});

	it('accepts 4,096 characters counted as code points (emoji)', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		const text = '😀'.repeat(4096);
		bob.sendFrame({cmd: 'msg', msg: text});
		await bob.expectStatus(true);
		expect((await alice.nextEvent('message')).msg).toBe(text);
	});
});

describe('rename', () => {
	it('renames, tells the others with user=newname, and keeps the join order', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		await alice.nextEvent('client-enter');
		alice.sendFrame({cmd: 'rename', oldname: 'alice', newname: 'ally'});
		await alice.expectStatus(true, 'ally');
		expect(await bob.nextEvent()).toEqual({cmd: 'client-rename', user: 'ally', oldname: 'alice', newname: 'ally'});
		const roster = await bob.sync();
		expect(roster['success-msg']).toBe('ally, bob');
		await alice.sync();
		expect(alice.pendingEvents()).toEqual([]);
		// The new name is the one that counts now.
		alice.sendFrame({cmd: 'msg', msg: 'hi'});
		await alice.expectStatus(true);
		expect(await bob.nextEvent('message')).toMatchObject({user: 'ally'});
	});

	it('refuses a wrong oldname, an invalid newname and a taken newname', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		bob.sendFrame({cmd: 'rename', oldname: 'alice', newname: 'zed'});
		await bob.expectStatus(false, 'oldname does not match');
		bob.sendFrame({cmd: 'rename', oldname: 'BOB', newname: 'zed'});
		await bob.expectStatus(false, 'oldname does not match');
		bob.sendFrame({cmd: 'rename', oldname: 'bob', newname: 'has space'});
		await bob.expectStatus(false, 'may hold only');
		bob.sendFrame({cmd: 'rename', oldname: 'bob', newname: 'ALICE'});
		await bob.expectStatus(false, 'taken');
		expect((await bob.sync())['success-msg']).toBe('alice, bob');
		await alice.sync();
		expect(alice.pendingEvents().filter(event => event.cmd === 'client-rename')).toEqual([]);
	});

	it('allows renaming to one\'s own name in another case', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		bob.sendFrame({cmd: 'rename', oldname: 'bob', newname: 'Bob'});
		await bob.expectStatus(true);
		expect(await alice.nextEvent('client-rename')).toEqual({cmd: 'client-rename', user: 'Bob', oldname: 'bob', newname: 'Bob'});
		// The old spelling is not left behind as a taken name.
		expect((await bob.sync()).clients).toEqual(['alice', 'Bob']);
		const carol = await connectRaw(server.port);
		carol.sendFrame({cmd: 'connect', username: 'BOB'});
		await carol.expectStatus(false, 'taken');
	});

	it('frees the old name for others', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		alice.sendFrame({cmd: 'rename', oldname: 'alice', newname: 'ally'});
		await alice.expectStatus(true);
		await connectUser(server.port, 'alice');
	});
});

describe('get-clients', () => {
	it('lists names in join order, as text and as an array', async () => {
		const server = await startTestServer();
		const carol = await connectUser(server.port, 'carol');
		await connectUser(server.port, 'alice');
		await connectUser(server.port, 'bob');
		const status = await carol.sync();
		expect(status).toEqual({success: true, 'error-msg': '', 'success-msg': 'carol, alice, bob', clients: ['carol', 'alice', 'bob']});
	});
});

describe('a conversation', () => {
	it('two raw clients talk through the server', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		expect(await alice.nextEvent()).toEqual({cmd: 'client-enter', user: 'bob'});
		alice.sendFrame({cmd: 'msg', msg: 'hi bob'});
		await alice.expectStatus(true);
		expect(await bob.nextEvent()).toMatchObject({cmd: 'message', user: 'alice', msg: 'hi bob'});
		bob.sendFrame({cmd: 'msg', msg: 'hi alice 👋'});
		await bob.expectStatus(true);
		expect(await alice.nextEvent()).toMatchObject({cmd: 'message', user: 'bob', msg: 'hi alice 👋'});
		bob.sendFrame({cmd: 'exit', msg: 'bye'});
		await bob.expectStatus(true, 'goodbye bob');
		expect(await alice.nextEvent()).toEqual({cmd: 'client-exit', user: 'bob', msg: 'bye'});
		await bob.waitClosed();
	});
});
