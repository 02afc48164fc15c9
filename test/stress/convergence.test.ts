// The long convergence runs: 50 clients, 5,000 messages, through the fault
// proxy, with a SIGKILL on --data and a killed cluster node. `npm run test:stress`.
import {describe} from 'vitest';
import {convergenceCases} from '../resilience/convergence-cases.js';

describe.skipIf(!process.env.STRESS)('convergence under faults, long', () => {
	convergenceCases({clients: 50, messages: 5000, timeoutMs: 240_000});
});
