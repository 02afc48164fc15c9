// The resume of §9: a client that was away while 10,000 messages were said
// reconnects; timed from its `connect` success to the last of them in the
// chat state and laid out in an 80×24 pane, as the TUI would show it. The
// server is the reference server with its memory log or an SQLite one in a
// fresh data directory (`--data`), behind the tests' gate
// (which cuts the link and records the history pages); the client, reducer
// and layout are the real ones.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ChatClient} from '../source/client/index.js';
import {chatReducer, initialState, selectEntry, selectEntryCount, selectEntryIndex, type ChatAction, type ChatState} from '../source/state/index.js';
import {visibleRows, type EntrySource} from '../source/ui/pane-layout.js';
import {startRealLogServer} from '../test/helpers/real-log-server.js';

export type ResumeFigures = {missed: number; toLastEventMs: number; toShownMs: number; pages: number};

const TEXT = 'y'.repeat(200);

export async function benchResume(missed = 10_000, log: 'memory' | 'sqlite' = 'memory'): Promise<ResumeFigures> {
	const dataDir = log === 'sqlite' ? mkdtempSync(path.join(tmpdir(), 'codechat-bench-resume-')) : undefined;
	const server = await startRealLogServer({history: missed * 2, ...(dataDir === undefined ? {} : {dataDir})});
	const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'reader', backoff: {baseMs: 1, capMs: 5}, refreshIntervalMs: 0});
	let state: ChatState = initialState({me: 'reader', server: 'bench'});
	const queued: ChatAction[] = [];
	client.on('message', ({user, text, time, seq, epoch, recovered}) => {
		queued.push({type: 'message', user, text, time, ...(seq === undefined || epoch === undefined ? {} : {seq, epoch}), ...(recovered ? {recovered} : {})});
	});
	const caughtUp = () => new Promise<void>(resolve => client.once('caughtUp', () => resolve()));
	client.start();
	await caughtUp();
	server.refuse(true);
	server.dropAll();
	await server.fill('writer', Array.from({length: missed}, () => TEXT));
	let connectedAt = 0;
	client.once('connected', () => {
		connectedAt = performance.now();
	});
	let lastAt = 0;
	let count = 0;
	const last = new Promise<void>(resolve => {
		const onMessage = () => {
			if (++count < missed) return;
			lastAt = performance.now();
			client.off('message', onMessage);
			resolve();
		};

		client.on('message', onMessage);
	});
	server.refuse(false);
	await last;
	// What use-chat does with a burst: one fold into the state, then the pane lays out what it shows.
	for (const action of queued.splice(0)) state = chatReducer(state, action);
	const source: EntrySource = {count: selectEntryCount(state), at: index => selectEntry(state, index), indexOf: id => selectEntryIndex(state, id)};
	const rows = visibleRows(source, 'reader', 80, 23, undefined).rows;
	const shownAt = performance.now();
	if (!rows.some(row => row.some(segment => segment.text.includes('y')))) throw new Error('the last message is not on the screen');
	const pages = server.commands.filter(command => command.frame.cmd === 'history').length - 1;
	client.close();
	await server.close();
	if (dataDir !== undefined) rmSync(dataDir, {recursive: true, force: true});
	return {missed, toLastEventMs: lastAt - connectedAt, toShownMs: shownAt - connectedAt, pages};
}
