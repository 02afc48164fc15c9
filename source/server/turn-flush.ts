// What the connections write is gathered and written once per connection
// when the turn's I/O callbacks are done (setImmediate), so a burst costs one
// write system call per reader, however many commands or broadcasts of the
// turn it got. One immediate serves every connection with output waiting.
//
// A join storm needs more: Node (libuv ≥ 1.45) accepts one connection per
// turn of the event loop, so joins arrive one per turn, and each is
// announced to everyone: flushing every turn would be one write per member
// per join. So the flusher never takes more than half the time: after a
// flush that took d ms the next one waits until d ms have passed, and the
// turns in between take in more joins (or messages) for it to write at once.
// An idle server's flush takes microseconds, so nothing is held back then.

/** A connection with output waiting; `flush` writes it (and may add itself again later). */
export type TurnOutput = {flush(): void};

const waiting = new Set<TurnOutput>();
let scheduled = false;
/** The clock as the module found it, so a test that fakes `performance` cannot hold output back. */
const now = performance.now.bind(performance);
/** now() when the last flush ended, and how long it took. */
let lastEndedMs = 0;
let lastTookMs = 0;
/** Rounds run, outputs they flushed, and outputs written before their round's end, since the process started (the benches divide them by the deliveries). */
const counts = {rounds: 0, outputs: 0, earlyWrites: 0};

/** Run as the next round starts, before any output is flushed (a room's batch closes there). */
let roundStarts: Array<() => void> = [];

/** Flushes `output` at the end of this turn (or once the last flush's time has passed again); asking twice flushes it once. */
export function flushAtEndOfTurn(output: TurnOutput): void {
	waiting.add(output);
	schedule();
}

/** Calls `start` once, when the next flush round begins. */
export function onFlushRound(start: () => void): void {
	roundStarts.push(start);
	schedule();
}

function schedule(): void {
	if (scheduled) return;
	scheduled = true;
	const waitMs = Math.min(lastTookMs, lastEndedMs + lastTookMs - now());
	if (waitMs >= 1) setTimeout(flushAll, waitMs);
	else setImmediate(flushAll);
}

function flushAll(): void {
	const started = now();
	scheduled = false;
	const starts = roundStarts;
	roundStarts = [];
	for (const start of starts) start();
	// A flush that writes again (a closing socket's last frame) waits for the next round.
	const due = [...waiting];
	waiting.clear();
	for (const output of due) output.flush();
	counts.rounds++;
	counts.outputs += due.length;
	lastEndedMs = now();
	lastTookMs = lastEndedMs - started;
}

/** An output was written in the middle of a round (outbox.ts: a reader's own bytes past the early-write limit). */
export function countEarlyWrite(): void {
	counts.earlyWrites++;
}

/** How many flush rounds have run, how many connections' outputs they flushed in all, and how many writes went out between rounds. */
export function flushCounts(): {rounds: number; outputs: number; earlyWrites: number} {
	return {...counts};
}
