// The wired screen against a real server on port 0: keys in through stdin,
// frames out through ink-testing-library, the other side a raw client.
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import {ChatClient} from '../../source/client/client.js';
import {ChatScreen} from '../../source/ui/ChatScreen.js';
import {closeRawClients, connectUser, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {plain} from './helpers.js';

afterEach(async () => {
	cleanup();
	await closeRawClients();
	await closeTestServers();
});

const PAGE_UP = '\x1b[5~';
const ENTER = '\r';

async function setup(options: {columns?: number; rows?: number} = {}) {
	const server = await startTestServer({rate: 0});
	const bob = await connectUser(server.port, 'bob');
	const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'alice', refreshIntervalMs: 0});
	const exits: Array<{code: number; message?: string}> = [];
	const app = render(
		<ChatScreen
			client={client}
			serverLabel={`127.0.0.1:${server.port}`}
			size={{columns: options.columns ?? 80, rows: options.rows ?? 16}}
			onExit={(code, message) => exits.push({code, message})}
		/>,
	);
	// The bell is written to stdout too, as a frame of its own: skip it.
	const screen = () => plain(app.stdout.frames.findLast(frame => frame !== '\x07'));
	const waitFor = async (text: string | RegExp, what = String(text)) => {
		await waitUntil(() => (typeof text === 'string' ? screen().includes(text) : text.test(screen())), 15_000, `${what} on screen:\n${screen()}`);
	};
	const type = async (keys: string) => {
		app.stdin.write(keys);
		// Let Ink's input handler and React run.
		await new Promise(resolve => setTimeout(resolve, 20));
	};
	await waitFor('Users (2)');
	return {server, bob, client, app, screen, waitFor, type, exits};
}

async function nextMessage(bob: RawClient): Promise<string> {
	const event = await bob.nextEvent('message');
	return event.msg as string;
}

describe('ChatScreen', () => {
	it('connects, shows both users in the roster, and sends what you type', async () => {
		const {bob, screen, type, waitFor} = await setup();
		expect(screen()).toContain('*alice');
		expect(screen()).toContain(' bob');
		await type('hello there');
		await waitFor('> hello there');
		await type(ENTER);
		expect(await nextMessage(bob)).toBe('hello there');
		await waitFor(/\d\d:\d\d alice hello there/);
		// Acknowledged: no longer pending.
		await waitUntil(() => !screen().includes('hello there …'), 15_000, 'the message to be acknowledged');
	});

	it('shows a hostile peer\'s text inert and rings the bell once for a mention', async () => {
		const {bob, app, screen, waitFor} = await setup();
		bob.sendFrame({cmd: 'msg', msg: 'alice: \x1b]0;pwned\x07\x1b[31mred\u202Eevil'});
		await waitFor('^[]0;pwned^G^[[31mred<U+202E>evil');
		const bells = () => app.stdout.frames.filter(frame => frame === '\x07').length;
		await waitUntil(() => bells() > 0, 15_000, 'the bell');
		// A later message without a mention does not ring again.
		bob.sendFrame({cmd: 'msg', msg: 'no mention here'});
		await waitFor('no mention here');
		// A mention after it rings its bell after the frame that shows it; a bell for the line
		// between would have come before that frame, so it would be the third.
		bob.sendFrame({cmd: 'msg', msg: 'alice: and now'});
		await waitFor('and now');
		const shown = app.stdout.frames.findIndex(frame => frame.includes('and now'));
		await waitUntil(() => app.stdout.frames.slice(shown).includes('\x07'), 15_000, 'the bell for the mention');
		expect(bells()).toBe(2);
		expect(plain(screen())).not.toMatch(/\u202e/);
	});

	it('/help lists the commands; an unknown command and an invalid name send nothing', async () => {
		// Tall enough for the whole list, whose first line is waited for.
		const {bob, type, waitFor} = await setup({rows: 68});
		await type('/help' + ENTER);
		await waitFor('/rename NAME');
		await type('/frobnicate' + ENTER);
		await waitFor('unknown command /frobnicate');
		await type('/rename bad name!' + ENTER);
		await waitFor('cannot rename');
		await type('//not a command' + ENTER);
		// The first thing bob gets is the // line: nothing went out before it.
		expect(await nextMessage(bob)).toBe('/not a command');
	});

	it('/rename changes your name on screen and for others', async () => {
		const {bob, type, waitFor} = await setup();
		await type('/nick alice2' + ENTER);
		const event = await bob.nextEvent('client-rename');
		expect(event).toMatchObject({oldname: 'alice', newname: 'alice2'});
		await waitFor('*alice2');
	});

	it('a bracketed multi-line paste is one message, shown line by line until sent', async () => {
		const {bob, type, waitFor} = await setup();
		await type('\x1b[200~one\rtwo\rthree\x1b[201~');
		await waitFor('> one\n  two\n  three');
		expect(bob.pendingEvents().filter(event => event.cmd === 'message')).toEqual([]);
		await type(ENTER);
		expect(await nextMessage(bob)).toBe('one\ntwo\nthree');
	});

	it('PgUp holds the view and counts new messages; End goes back', async () => {
		const {bob, type, waitFor, screen} = await setup();
		for (let i = 0; i < 30; i++) bob.sendFrame({cmd: 'msg', msg: `line ${i}`});
		await waitFor('line 29');
		await type(PAGE_UP);
		await waitFor('more below');
		const held = screen();
		bob.sendFrame({cmd: 'msg', msg: 'newer 1'});
		bob.sendFrame({cmd: 'msg', msg: 'newer 2, alice'});
		await waitFor('2 new messages (1 for you) ↓');
		expect(screen()).not.toContain('newer');
		expect(screen().split('\n').slice(0, 5)).toEqual(held.split('\n').slice(0, 5));
		await type('\x1b[1;5F');
		await waitFor('newer 2');
		expect(screen()).not.toContain('new messages');
	});

	it('keeps history across sends: ↑ brings back the last line', async () => {
		const {bob, type, waitFor} = await setup();
		await type('first' + ENTER);
		await nextMessage(bob);
		await type('\x1b[A');
		await waitFor('> first');
	});

	it('tab completes a nick at the start of the line with ": "', async () => {
		const {type, waitFor} = await setup();
		await type('bo\t');
		await type('hi');
		await waitFor('> bob: hi');
	});

	it('/quit REASON sends exit with the reason, which the others see, and asks to end with code 0', async () => {
		const {bob, type, exits} = await setup();
		await type('/quit bye' + ENTER);
		expect(await bob.nextEvent('client-exit')).toMatchObject({user: 'alice', msg: 'bye'});
		await waitUntil(() => exits.length > 0, 15_000, 'the exit');
		expect(exits).toEqual([{code: 0, message: undefined}]);
	});

	it('Ctrl-D on an empty line quits; with text it deletes', async () => {
		const {type, waitFor, exits} = await setup();
		await type('ab\x1b[D\x04');
		await waitFor('> a');
		expect(exits).toEqual([]);
		await type('\x15\x04');
		await waitUntil(() => exits.length > 0, 15_000, 'the exit');
		expect(exits[0]!.code).toBe(0);
	});

	it('the frame is exactly the given height less the spare row', async () => {
		const {screen} = await setup({rows: 16});
		expect(screen().split('\n')).toHaveLength(15);
	});
});
