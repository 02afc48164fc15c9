// ChatClient with the reference server's presence niceties (§13), over real
// TCP: actions sent and received with their mark (live, and in the backlog),
// away and back reaching the others' rosters, the away map of get-clients
// and join, and a server without `presence` refusing /away locally.
import {afterEach, describe, expect, it} from 'vitest';
import {closeRawClients} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';
import {closeTestClients, testClient} from './recorder.js';
import {ok, startScriptedServer} from './scripted-server.js';

afterEach(async () => {
	closeTestClients();
	await closeRawClients();
	await closeTestServers();
});

const awayOf = (users: ReadonlyArray<{name: string; away?: string}> | undefined, name: string) => users?.find(user => user.name === name)?.away;

describe('presence with the reference server', () => {
	it('sends and receives actions with their mark, live and from the backlog', async () => {
		const server = await startTestServer({rate: 0});
		const alice = testClient({port: server.port, user: 'alice'});
		const bob = testClient({port: server.port, user: 'bob', sendRate: false});
		await alice.events.waitFor('caughtUp');
		await bob.events.waitFor('caughtUp');
		bob.client.send('waves', undefined, {action: true});
		expect(await alice.events.waitFor('message')).toMatchObject({user: 'bob', text: 'waves', action: true});
		expect(await bob.events.waitFor('sent')).toMatchObject({text: 'waves', action: true});

		const carol = testClient({port: server.port, user: 'carol', backlog: 10});
		await carol.events.waitFor('caughtUp');
		expect(carol.events.of('message')).toEqual([expect.objectContaining({user: 'bob', text: 'waves', action: true, backlog: true})]);
	});

	it('shows who is away in every roster that lists them, and back again', async () => {
		const server = await startTestServer({rate: 0});
		const alice = testClient({port: server.port, user: 'alice'});
		const bob = testClient({port: server.port, user: 'bob'});
		await alice.events.waitFor('caughtUp');
		await bob.events.waitFor('caughtUp');
		alice.client.join('#den');
		bob.client.join('#den');
		await alice.events.waitFor('conversation', event => event.kind === 'joined');
		await bob.events.waitFor('conversation', event => event.kind === 'joined');
		await alice.events.waitFor('enter', event => event.conversation === '#den');

		expect(bob.client.setAway('lunch')).toBe(true);
		expect(await bob.events.waitFor('away')).toEqual({conversations: ['#lobby', '#den'], user: 'bob', reason: 'lunch'});
		expect(await alice.events.waitFor('away')).toEqual({conversations: ['#lobby', '#den'], user: 'bob', reason: 'lunch'});
		expect(awayOf(alice.client.roster.users, 'bob')).toBe('lunch');
		expect(awayOf(alice.client.rosterOf('#den')?.users, 'bob')).toBe('lunch');

		// A newcomer learns it from the connect roster and the join answer.
		const carol = testClient({port: server.port, user: 'carol'});
		await carol.events.waitFor('caughtUp');
		await carol.events.waitFor('roster');
		expect(awayOf(carol.client.roster.users, 'bob')).toBe('lunch');
		carol.client.join('#den');
		await carol.events.waitFor('conversation', event => event.kind === 'joined');
		expect(awayOf(carol.client.rosterOf('#den')?.users, 'bob')).toBe('lunch');

		bob.client.setAway('');
		await alice.events.waitFor('away', event => event.reason === '');
		expect(awayOf(alice.client.roster.users, 'bob')).toBeUndefined();
		expect(awayOf(alice.client.rosterOf('#den')?.users, 'bob')).toBeUndefined();
	});

	it('is away again after a reconnect, as it was before it (the server forgot the name when it left)', async () => {
		const server = await startTestServer({rate: 0});
		const alice = testClient({port: server.port, user: 'alice'});
		const bob = testClient({port: server.port, user: 'bob'});
		await alice.events.waitFor('caughtUp');
		await bob.events.waitFor('caughtUp');
		bob.client.setAway('lunch');
		await alice.events.waitFor('away', event => event.user === 'bob' && event.reason === 'lunch');
		const awaysBefore = alice.events.of('away').length;

		bob.client.reconnectNow();
		await alice.events.waitFor('exit', event => event.user === 'bob');
		await alice.events.waitFor('away', () => alice.events.of('away').length > awaysBefore);
		expect(awayOf(alice.client.roster.users, 'bob')).toBe('lunch');
		await bob.events.waitFor('away', event => event.user === 'bob' && event.reason === 'lunch' && bob.client.roster.complete);
		expect(awayOf(bob.client.roster.users, 'bob')).toBe('lunch');
	});

	it('sends no away to a server that does not list presence', async () => {
		// A seed server: answers every command, lists no features, and would relay anything.
		const sent: string[] = [];
		const seed = await startScriptedServer(connection => {
			connection.onCommand(frame => {
				sent.push(String(frame.cmd));
				connection.send(frame.cmd === 'get-clients' ? ok('alice', ['alice']) : ok());
			});
		});
		const alice = testClient({port: seed.port, user: 'alice'});
		await alice.events.waitFor('connected');
		expect(alice.client.setAway('lunch')).toBe(false);
		expect(alice.client.supports('presence')).toBe(false);
		await alice.events.waitFor('roster');
		expect(sent).not.toContain('away');
		await seed.close();
	});
});
