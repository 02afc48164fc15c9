// Names on a real server over TCP: a name that only looks like one in use is
// taken, and names with invisible letters are refused as invalid.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectRaw, connectUser} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {usernameProblem} from '../../source/protocol/limits.js';

afterEach(async () => {
	await closeRawClients();
	await closeTestServers();
});

const cyrillicAlice = '\u0430lice';

describe('names on a real server', () => {
	it('refuses "аlice" with a Cyrillic а while alice is connected, and takes it once she has left', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await connectUser(server.port, 'alice');
		const mallory = await connectRaw(server.port);
		mallory.sendFrame({cmd: 'connect', username: cyrillicAlice});
		await mallory.expectStatus(false, 'is taken');
		mallory.sendFrame({cmd: 'connect', username: 'ALICE'});
		await mallory.expectStatus(false, 'is taken');

		alice.sendFrame({cmd: 'exit'});
		await alice.waitClosed();
		const later = await connectRaw(server.port);
		later.sendFrame({cmd: 'connect', username: cyrillicAlice});
		await later.expectStatus(true, 'welcome');
	});

	it('refuses a rename to a look-alike of someone else, and lets a holder respell their own name', async () => {
		const server = await startTestServer({rate: 0});
		await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		bob.sendFrame({cmd: 'rename', oldname: 'bob', newname: cyrillicAlice});
		await bob.expectStatus(false, 'is taken');

		// b0b looks like bob; bob may move to it, and back, as with a change of case.
		bob.sendFrame({cmd: 'rename', oldname: 'bob', newname: 'B0B'});
		await bob.expectStatus(true, 'renamed');
		bob.sendFrame({cmd: 'rename', oldname: 'B0B', newname: 'bob'});
		await bob.expectStatus(true, 'renamed');
		const roster = await bob.sync();
		expect(roster.clients).toEqual(['alice', 'bob']);
	});

	it('lets alice respell herself with a Cyrillic а, and then nobody can take "alice"', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await connectUser(server.port, 'alice');
		alice.sendFrame({cmd: 'rename', oldname: 'alice', newname: cyrillicAlice});
		await alice.expectStatus(true, 'renamed');
		const other = await connectRaw(server.port);
		other.sendFrame({cmd: 'connect', username: 'alice'});
		await other.expectStatus(false, 'is taken');
	});

	it('refuses "aliceㅤ" (a Hangul filler at the end) and a name of fillers only as invalid names', async () => {
		const server = await startTestServer({rate: 0});
		await connectUser(server.port, 'alice');
		for (const name of ['alice\u3164', '\u3164\u3164', '\u115f\u1160', 'bob\uffa0']) {
			const client = await connectRaw(server.port);
			client.sendFrame({cmd: 'connect', username: name});
			const status = await client.expectStatus(false, usernameProblem(name));
			expect(status['error-msg']).toContain('invisible');
			if ('code' in status) expect(status.code).toBe('invalid-name');
		}
	});

	it('refuses a message made only of Hangul fillers as empty, and passes one that has text besides', async () => {
		const server = await startTestServer({rate: 0});
		const alice = await connectUser(server.port, 'alice');
		const bob = await connectUser(server.port, 'bob');
		await alice.nextEvent('client-enter');
		alice.sendFrame({cmd: 'msg', msg: '\u3164\u3164\u3164'});
		await alice.expectStatus(false, 'message is empty');
		alice.sendFrame({cmd: 'msg', msg: 'pay \u3164 now'});
		await alice.expectStatus(true, 'sent');
		expect(await bob.nextEvent('message')).toMatchObject({cmd: 'message', user: 'alice', msg: 'pay \u3164 now'});
	});
});
