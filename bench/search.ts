// Search (/search, Ctrl-R): over the 10,000 messages a room keeps loaded,
// and each older page read from the server when nothing loaded matches.
//
// Loaded: a chat state holding 10,000 messages of the corpus's traffic (some
// non-ASCII, emoji, one in fifty with an escape sequence to sanitise), then
// each query as the search runs it: the matching ids of the whole log
// (state/search.ts) and the seek to the newest match. Each message's folded
// text is worked out once: the TUI does it in the background, 500 entries a
// turn (foldAhead, use-fold-ahead.ts), so the first query a person makes finds
// it done; that fold (its total and its longest slice) and the first query
// after it are reported, and apart from them the first query of a log nothing
// has folded yet (a /search typed the moment 10,000 messages came in); then
// median and p95 of the rest, queries that match often, rarely and never,
// each run after a full GC.
//
// Older pages: the reference server (memory log) over loopback holding 5,000
// messages, a real ChatClient that loaded one, and the search's loop for a
// query that matches nothing, as use-search runs it: ask for the page before
// the oldest (100 messages), fold it into the state when it comes, search the
// log again. Timed per page, from the request to the search's answer.
import {ChatClient, type ChatClientEvents} from '../source/client/index.js';
import {chatReducer, initialState, type ChatAction, type ChatState} from '../source/state/index.js';
import {foldAhead, matchingIds, searchKey, selectSearchMatches, type FoldedRun} from '../source/state/search.js';
import {currentConversation} from '../source/state/reducer.js';
import {seekMatch} from '../source/ui/search-session.js';
import {startRealLogServer} from '../test/helpers/real-log-server.js';
import {chatFrames} from './corpus.js';
import {median, percentile} from './stats.js';

export type SearchFigures = {
	messages: number;
	foldAheadCpuMs: number;
	foldAheadSliceMs: number;
	firstQueryMs: number;
	firstQueryCpuMs: number;
	coldQueryMs: number;
	coldQueryCpuMs: number;
	queries: number;
	medianMs: number;
	p95Ms: number;
	cpuMedianMs: number;
	cpuP95Ms: number;
	pages: number;
	pageMedianMs: number;
	pageP95Ms: number;
	serverMessages: number;
};

const t = 1_700_000_000_000;

/** The corpus's messages, with an escape sequence in one of fifty (the sanitiser's work). */
function messageTexts(count: number): string[] {
	const texts: string[] = [];
	for (const frame of chatFrames(count * 2)) {
		if (!('cmd' in frame) || frame.cmd !== 'message') continue;
		texts.push(texts.length % 50 === 0 ? `${frame.msg} \u001b[31mred\u001b[0m` : frame.msg);
		if (texts.length === count) break;
	}

	return texts;
}

function loadedState(texts: readonly string[]): ChatState {
	let state = initialState({me: 'reader'});
	for (const [index, text] of texts.entries()) state = chatReducer(state, {type: 'message', user: `user${index % 10}`, text, time: t + index});
	return state;
}

/** The search's answer for a query: every match of the log, and the one it shows first. */
function runQuery(state: ChatState, query: string): number | undefined {
	return seekMatch(matchingIds(currentConversation(state).log, searchKey(query)), undefined, 'here');
}

/** Wall time and this process's CPU time of one run, ms: on a shared machine the wall time also counts the others' turns. */
function timeMs(run: () => void): {wall: number; cpu: number} {
	const cpu = process.cpuUsage();
	const start = process.hrtime.bigint();
	run();
	const wall = Number(process.hrtime.bigint() - start) / 1e6;
	const used = process.cpuUsage(cpu);
	return {wall, cpu: (used.user + used.system) / 1000};
}

async function olderPages(pages: number, serverMessages: number): Promise<number[]> {
	const server = await startRealLogServer({history: serverMessages * 2});
	await server.fill('writer', messageTexts(serverMessages));
	const client = new ChatClient({host: '127.0.0.1', port: server.port, user: 'reader', backlog: 1, backoff: {baseMs: 1, capMs: 5}, refreshIntervalMs: 0});
	let state = initialState({me: 'reader'});
	const apply = (action: ChatAction) => {
		state = chatReducer(state, action);
	};

	client.on('message', ({user, text, time, seq, epoch}) => apply({type: 'message', user, text, time, ...(seq === undefined || epoch === undefined ? {} : {seq, epoch})}));
	const caughtUp = new Promise<void>(resolve => client.once('caughtUp', () => resolve()));
	client.start();
	await caughtUp;
	const query = 'not in any message';
	const times: number[] = [];
	try {
		for (let page = 0; page < pages; page++) {
			const start = process.hrtime.bigint();
			const arrived = new Promise<ChatClientEvents['older']>(resolve => client.once('older', resolve));
			if (!client.loadOlder()) throw new Error(`the server had no page ${page + 1} to give`);
			apply({type: 'olderRequested', time: t});
			const {messages} = await arrived;
			apply({type: 'olderLoaded', messages: messages.map(({user, text, time, seq}) => ({user, text, time, ...(seq === undefined ? {} : {seq})}))});
			if (seekMatch(selectSearchMatches(state, query), undefined, 'here') !== undefined) throw new Error('the query matched');
			times.push(Number(process.hrtime.bigint() - start) / 1e6);
			if (messages.length === 0) throw new Error('an older page came empty');
		}
	} finally {
		client.close();
		await server.close();
	}

	return times;
}

/** foldAhead's background work on a fresh log, as use-fold-ahead runs it: its total CPU time, and its longest slice (wall). */
function foldAheadMs(state: ChatState): {cpu: number; longestSlice: number} {
	const {log} = currentConversation(state);
	let cpu = 0;
	let longestSlice = 0;
	let run: FoldedRun | undefined;
	for (let more = true; more;) {
		const slice = timeMs(() => {
			({run, more} = foldAhead(log, FOLD_SLICE, run));
		});
		cpu += slice.cpu;
		longestSlice = Math.max(longestSlice, slice.wall);
	}

	return {cpu, longestSlice};
}

/** As use-fold-ahead.ts folds in one turn. */
const FOLD_SLICE = 500;

export async function benchSearch(messages = 10_000, pages = 20, serverMessages = 5000): Promise<SearchFigures> {
	const texts = messageTexts(messages);
	const state = loadedState(texts);
	if (currentConversation(state).log.size !== messages) throw new Error(`the log holds ${currentConversation(state).log.size} entries, not ${messages}`);
	// Often (deploy), sometimes (日本語, ok👍), rarely (the escape's shown form), never; mixed case.
	const queries = ['deploy', 'Green Lunch', '日本語', 'ok👍', '^[[31mRED', 'café later', 'no such words here', 'REBASE in 5'];
	globalThis.gc?.();
	const fold = foldAheadMs(state);
	globalThis.gc?.();
	const first = timeMs(() => runQuery(state, 'merged'));
	// Another log of the same texts, new entries that nothing has folded.
	const unfolded = loadedState(texts);
	globalThis.gc?.();
	const cold = timeMs(() => runQuery(unfolded, 'merged'));
	const times: number[] = [];
	const cpuTimes: number[] = [];
	for (let round = 0; round < 5; round++) {
		for (const query of queries) {
			globalThis.gc?.();
			const {wall, cpu} = timeMs(() => runQuery(state, query));
			times.push(wall);
			cpuTimes.push(cpu);
		}
	}

	const pageTimes = await olderPages(pages, serverMessages);
	return {
		messages,
		foldAheadCpuMs: fold.cpu,
		foldAheadSliceMs: fold.longestSlice,
		firstQueryMs: first.wall,
		firstQueryCpuMs: first.cpu,
		coldQueryMs: cold.wall,
		coldQueryCpuMs: cold.cpu,
		queries: times.length,
		medianMs: median(times),
		p95Ms: percentile(times, 95),
		cpuMedianMs: median(cpuTimes),
		cpuP95Ms: percentile(cpuTimes, 95),
		pages: pageTimes.length,
		pageMedianMs: median(pageTimes),
		pageP95Ms: percentile(pageTimes, 95),
		serverMessages,
	};
}
