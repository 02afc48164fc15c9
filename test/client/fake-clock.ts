// A clock whose time moves only when a test says so, for the client's timers.
import type {Clock} from '../../source/client/index.js';

export type FakeClock = Clock & {advance(ms: number): void; pending(): number};

export function fakeClock(): FakeClock {
	let now = 0;
	let timers: Array<{at: number; callback: () => void; id: number}> = [];
	let nextId = 1;
	return {
		now: () => now,
		setTimeout(callback, ms) {
			const id = nextId++;
			timers.push({at: now + ms, callback, id});
			return id;
		},
		clearTimeout(handle) {
			timers = timers.filter(timer => timer.id !== handle);
		},
		advance(ms) {
			const until = now + ms;
			// One timer at a time, in time order: a callback may set new timers.
			for (;;) {
				timers.sort((x, y) => x.at - y.at);
				const next = timers[0];
				if (!next || next.at > until) break;
				timers.shift();
				now = next.at;
				next.callback();
			}

			now = until;
		},
		pending: () => timers.length,
	};
}
