// How many connections one account may hold at once (PROTOCOL.md §11): up
// to five terminals share the name; a sixth login is refused, unless it comes
// with a token and one of the five has been silent for 30 s, which is then
// replaced (most likely a connection whose network died without a FIN, and
// whose client is now reconnecting with its saved token).
import type {HubMember} from '../hub.js';

export const MAX_CONNECTIONS_PER_ACCOUNT = 5;

/** "Silent": nothing at all received from the connection (not even a partial frame) for this long. */
export const SILENT_CONNECTION_MS = 30_000;

/** A connection holding an account's name, as far as replacing it goes. */
export type AccountConnection = HubMember & {
	/** performance.now() when bytes last came from this connection. */
	readonly lastHeardMs: number;
	/** Tells the client it was replaced (and why), then closes it; resolves once it has left the hub. */
	replace(reason: string): Promise<void>;
};

function isAccountConnection(member: HubMember): member is AccountConnection {
	return typeof (member as Partial<AccountConnection>).lastHeardMs === 'number' && typeof (member as Partial<AccountConnection>).replace === 'function';
}

/** The holder heard from least recently, when it has been silent for SILENT_CONNECTION_MS; only connections of this process can be. */
export function silentHolder(holders: readonly HubMember[], nowMs: number): AccountConnection | undefined {
	let quietest: AccountConnection | undefined;
	for (const holder of holders) {
		if (isAccountConnection(holder) && (!quietest || holder.lastHeardMs < quietest.lastHeardMs)) quietest = holder;
	}

	return quietest && nowMs - quietest.lastHeardMs >= SILENT_CONNECTION_MS ? quietest : undefined;
}

/**
 * Whole seconds until the quietest holder on this process will have been
 * silent long enough to be replaced, if it stays silent; undefined when none is here.
 */
export function secondsUntilReplaceable(holders: readonly HubMember[], nowMs: number): number | undefined {
	const heard = holders.filter(holder => isAccountConnection(holder)).map(holder => holder.lastHeardMs);
	if (heard.length === 0) return undefined;
	return Math.max(1, Math.ceil((Math.min(...heard) + SILENT_CONNECTION_MS - nowMs) / 1000));
}
