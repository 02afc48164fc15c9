// A connection's messages keep their order across a refusal for now (§8):
// once a `msg` with an id is refused with `unavailable` or `rate-limited`,
// its later messages are refused the same way until that id comes again.
// A client keeps the refused message and sends it again first (§9), so
// nothing written after it, before the client heard of the refusal, can be
// stored ahead of it. A client that gives the message up is let through
// after HOLD_MS.
import {failureStatus} from '../protocol/encoder.js';
import type {StatusFrame} from '../protocol/types.js';

const HOLD_MS = 30_000;

type Held = {id: string; code: 'unavailable' | 'rate-limited'; retry: number; error: string; untilMs: number};

export class ResendHold {
	#held: Held | undefined;

	/**
	 * The refusal for a `msg` that must wait behind the held one; undefined
	 * lets it run (the held one itself lifts the hold: its answer may set it again).
	 */
	check(id: string | undefined, nowMs: number): StatusFrame | undefined {
		const held = this.#held;
		if (!held) return undefined;
		if (id === held.id || nowMs >= held.untilMs) {
			this.#held = undefined;
			return undefined;
		}

		return failureStatus(held.code, `${held.error}; an earlier message of yours waits to be sent again`, held.retry);
	}

	/** A `msg` got this failure status: one refused for now holds the ones after it. */
	answered(id: string | undefined, status: StatusFrame, nowMs: number): void {
		const {code} = status;
		if (id === undefined || this.#held || (code !== 'unavailable' && code !== 'rate-limited')) return;
		this.#held = {id, code, retry: status.retry ?? 1, error: status['error-msg'], untilMs: nowMs + HOLD_MS};
	}
}
