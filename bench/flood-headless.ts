// Child process of the flood bench: the same client as the TUI, with no UI.
// A ChatClient whose events are folded into the chat state by chatReducer,
// as the TUI's use-chat does (queued, and applied every 33 ms). Reports over
// IPC when it has connected, and each time it has seen `expected` messages.
import {ChatClient} from '../source/client/index.js';
import {chatReducer, initialState, type ChatAction, type ChatState} from '../source/state/index.js';

const [port, expectedArgument] = process.argv.slice(2);
const expected = Number(expectedArgument);
const flushIntervalMs = 33;

let state: ChatState = initialState({me: 'bench', server: `127.0.0.1:${port}`});
let queue: ChatAction[] = [];
let timer: NodeJS.Timeout | undefined;
let seen = 0;
let reportAt = expected;

const flush = () => {
	timer = undefined;
	for (const action of queue) state = chatReducer(state, action);
	queue = [];
	if (seen >= reportAt) {
		reportAt += expected;
		process.send!({type: 'done', seen, entries: state.nextId});
	}
};

const enqueue = (action: ChatAction) => {
	queue.push(action);
	timer ??= setTimeout(flush, flushIntervalMs);
};

const client = new ChatClient({host: '127.0.0.1', port: Number(port), user: 'bench'});
client.on('connected', ({server, dialect}) => {
	enqueue({type: 'connected', server, dialect, time: Date.now(), roster: client.roster});
	process.send!({type: 'connected'});
});
client.on('roster', () => enqueue({type: 'roster', roster: client.roster}));
client.on('message', ({user, text, time}) => {
	seen++;
	enqueue({type: 'message', user, text, time});
});
process.on('disconnect', () => process.exit(0));
// Live memory after a full collection (needs --expose-gc), for the memory figures.
process.on('message', (message: {type: string}) => {
	if (message.type !== 'memory') return;
	globalThis.gc?.();
	const {rss, heapUsed} = process.memoryUsage();
	process.send!({type: 'memory', rss, heapUsed, entries: state.nextId});
});
client.start();
