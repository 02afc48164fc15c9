// Convergence under faults (PROTOCOL.md §9): clients behind a fault-injecting
// proxy (drops, stalls, half-open links) send with ids and resume with
// `history after`, while the server is SIGKILLed and restarted on the same
// --data, or one of two cluster nodes over a real redis-server is killed. At
// the end every client holds exactly the server's log. The long variant
// (50 clients, 5,000 messages) is in test/stress/.
import {describe} from 'vitest';
import {convergenceCases} from './convergence-cases.js';

describe('convergence under faults', () => {
	convergenceCases({clients: 20, messages: 1000, timeoutMs: 60_000});
});
