// The property a resuming client relies on (§9 "after: the last seq it
// has"): on one connection, a seq n comes only after every lower seq of the
// others' messages, counted from the first seq the connection saw. Its own
// messages may be acknowledged a little later (in a cluster the channel can
// beat the append's reply); that is safe, since a client keeps its own
// messages in its outbox until acknowledged and resends them with their ids.
import type {DecodedItem} from '../../../source/protocol/decoder.js';

type Seen = {seq: number; status: boolean};

/** The first seq that arrived before a lower one of another sender's, or undefined. */
export function seqAheadOfEvents(received: readonly DecodedItem[]): string | undefined {
	const seen: Seen[] = [];
	for (const item of received) {
		if (item.type !== 'frame') continue;
		const {seq, messages} = item.frame as {seq?: unknown; messages?: unknown};
		if (typeof seq === 'number' && messages === undefined) seen.push({seq, status: typeof item.frame.success === 'boolean'});
	}

	const own = new Set(seen.filter(entry => entry.status).map(entry => entry.seq));
	const held = new Set<number>();
	const floor = seen[0]?.seq ?? 0;
	for (const {seq, status} of seen) {
		held.add(seq);
		for (let below = floor; below < seq; below++) {
			if (!held.has(below) && !own.has(below)) return `seq ${seq} (${status ? 'a status' : 'an event'}) came before seq ${below}`;
		}
	}

	return undefined;
}
