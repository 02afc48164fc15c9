// use-chat's wiring of rooms (§10) to the state, against the reference
// server: /join opens and shows the room, a typed line goes to the
// conversation on screen, messages elsewhere count as unread, a direct
// message opens its conversation, /part closes it.
import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {ChatClient} from '../../source/client/index.js';
import {selectConversations, selectCurrentConversation, selectEntries, selectEntryCount} from '../../source/state/index.js';
import type {ChatState} from '../../source/state/types.js';
import {useChat, type ChatController} from '../../source/ui/use-chat.js';
import {closeRawClients, connectRaw, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';

const clients: ChatClient[] = [];
afterEach(async () => {
	for (const client of clients.splice(0)) client.close();
	await closeRawClients();
	await closeTestServers();
});

function mount(client: ChatClient): {chat: () => ChatController; unmount: () => void} {
	let latest: ChatController | undefined;
	function Probe() {
		latest = useChat({client, serverLabel: 'test', onExit() {}});
		return <Text>{latest.state.room}</Text>;
	}

	const {unmount} = render(<Probe />);
	return {chat: () => latest!, unmount};
}

async function member(port: number, name: string, rooms: string[]): Promise<RawClient> {
	const raw = await connectRaw(port);
	raw.sendFrame({cmd: 'connect', username: name, features: ['rooms', 'direct']});
	await raw.expectStatus(true);
	for (const room of rooms) {
		raw.sendFrame({cmd: 'join', room});
		await raw.expectStatus(true);
	}

	return raw;
}

const texts = (state: ChatState) => selectEntries(state, 0, selectEntryCount(state)).map(entry => ('text' in entry ? entry.text : ''));
const rows = (state: ChatState) => selectConversations(state).map(({name, unread, current}) => `${current ? '*' : ''}${name} ${unread}`);

describe('use-chat with rooms', () => {
	it('joins, sends where you are, counts the rest as unread, opens direct conversations and parts', async () => {
		const server = await startTestServer({rate: 0});
		const carol = await member(server.port, 'carol', ['#dev']);
		const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'alice'});
		clients.push(client);
		const {chat, unmount} = mount(client);
		await waitUntil(() => chat().state.connection.phase === 'connected');
		chat().run({type: 'room', action: {kind: 'join', room: '#dev'}});
		await waitUntil(() => texts(chat().state).includes('you joined #dev'), 15_000, 'the join to be shown');
		expect(selectCurrentConversation(chat().state)).toEqual({name: '#dev', kind: 'room'});
		chat().run({type: 'send', text: 'hello dev'});
		expect(await carol.nextEvent('message')).toMatchObject({user: 'alice', msg: 'hello dev', room: '#dev'});

		carol.sendFrame({cmd: 'msg', msg: 'in the lobby'});
		await carol.expectStatus(true);
		carol.sendFrame({cmd: 'msg', to: 'alice', msg: 'just you'});
		await carol.expectStatus(true);
		await waitUntil(() => rows(chat().state).join() === '#lobby 1,*#dev 0,carol 1', 15_000, 'the unread counts');
		chat().dispatch({type: 'switchConversation', conversation: 'carol'});
		await waitUntil(() => selectCurrentConversation(chat().state).name === 'carol', 15_000, 'the switch to render');
		expect(texts(chat().state)).toEqual(['just you']);
		// A line typed here goes to carol alone.
		chat().run({type: 'send', text: 'hi carol'});
		expect(await carol.nextEvent('message')).toMatchObject({user: 'alice', msg: 'hi carol', to: 'carol'});

		chat().run({type: 'room', action: {kind: 'part', room: '#dev', reason: 'bye'}});
		await waitUntil(() => !rows(chat().state).some(row => row.includes('#dev')), 15_000, 'the room to close');
		expect(await carol.nextEvent('client-exit')).toMatchObject({user: 'alice', room: '#dev', part: true, msg: 'bye'});
		unmount();
	});
});
