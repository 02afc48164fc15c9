// Roster snapshots for reducer tests, made by the client's own roster so the
// tests feed the state what the client would.
import {Roster} from '../../source/client/roster.js';
import type {RosterSnapshot} from '../../source/state/index.js';

export function snapshot(me: string, others: readonly string[] = [], complete = true): RosterSnapshot {
	const roster = new Roster();
	roster.reset(me, complete);
	if (complete) roster.replace([me, ...others]);
	else for (const name of others) roster.add(name);
	return roster.snapshot();
}
