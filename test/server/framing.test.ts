// PROTOCOL.md §1 at the server: frames cut anywhere, bad frames, the size limit.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

describe('framing', () => {
	it('delivers a frame with emoji and CJK sent one byte at a time, intact', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		const text = '你好，世界 👩‍💻🎉 日本語テキスト 한국어';
		await bob.sendByteByByte(JSON.stringify({cmd: 'msg', msg: text}) + '\n');
		await bob.expectStatus(true);
		expect(await alice.nextEvent('message')).toMatchObject({cmd: 'message', user: 'bob', msg: text});
	});

	it('accepts objects back to back, pretty-printed and separated by any white space', async () => {
		const server = await startTestServer();
		const client = await connectRaw(server.port);
		client.send('{"cmd":"connect","username":"alice"}{"cmd":"get-clients"}  \r\n\t{\n  "cmd": "msg",\n  "msg": "x"\n}\n');
		await client.expectStatus(true, 'welcome alice');
		await client.expectStatus(true, 'alice');
		await client.expectStatus(true, 'sent');
	});

	it('answers junk between frames with "malformed frame" and keeps the valid frames around it', async () => {
		const server = await startTestServer();
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectRaw(server.port);
		bob.send([
			'{"cmd":"connect","username":"bob"}',
			'hello there',
			'{"cmd":"msg","msg":"one"}',
			'[1,2,3]',
			'"just a string"',
			'{"cmd":"msg", broken',
			'{"cmd":"msg","msg":"two"}',
		].join('\n') + '\n');
		await bob.expectStatus(true, 'welcome bob');
		await bob.expectStatus(false, /^malformed frame/);
		await bob.expectStatus(true, 'sent');
		await bob.expectStatus(false, /^malformed frame/);
		await bob.expectStatus(false, /^malformed frame/);
		await bob.expectStatus(false, /^malformed frame/);
		await bob.expectStatus(true, 'sent');
		expect((await alice.nextEvent('message')).msg).toBe('one');
		expect((await alice.nextEvent('message')).msg).toBe('two');
		// Still up.
		expect((await bob.sync())['success-msg']).toBe('alice, bob');
	});

	it('answers a frame over the limit with a failure naming the limit, then closes', async () => {
		const server = await startTestServer({maxFrameBytes: 1024});
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		await alice.nextEvent('client-enter');
		bob.send(JSON.stringify({cmd: 'msg', msg: 'ok'}) + '\n' + JSON.stringify({cmd: 'msg', msg: 'x'.repeat(2000)}) + '\n');
		await bob.expectStatus(true, 'sent');
		await bob.expectStatus(false, /frame too large.*1024/);
		await bob.waitClosed();
		expect(await alice.nextEvent('message')).toMatchObject({msg: 'ok'});
		expect(await alice.nextEvent()).toEqual({cmd: 'client-exit', user: 'bob'});
		await alice.sync();
		expect(alice.pendingEvents()).toEqual([]);
	});

	it('closes on an oversize frame that never ends, without waiting for its end', async () => {
		const server = await startTestServer({maxFrameBytes: 1024});
		const client = await connectRaw(server.port);
		client.send('{"cmd":"msg","msg":"' + 'y'.repeat(5000));
		await client.expectStatus(false, 'frame too large');
		await client.waitClosed();
	});
});
