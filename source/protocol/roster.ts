// The shape of a roster as the client hands it out: an immutable snapshot
// that the chat state, pipe mode and the transcript store or print as they
// are. The rules that produce it live in one place, client/roster.ts.

export type RosterUser = {
	readonly name: string;
	/** You. */
	readonly isMe: boolean;
	/** The connection of this user ended without an exit (2015 server): shown dimmed until they speak again. */
	readonly gone: boolean;
	/** Someone else under your name (a server that allows duplicates): never shown as you. */
	readonly namesake: boolean;
	/** Logged in to an account (§11), as the server's get-clients said; guests have no mark. */
	readonly account?: true;
	/** §13: away, with this reason: shown dimmed, the reason in /whois. */
	readonly away?: string;
};

export type RosterSnapshot = {
	/** Your current name. */
	readonly me: string;
	/** In the order they joined (as far as we know). */
	readonly users: readonly RosterUser[];
	/**
	 * True when the server listed the users (get-clients); false when built
	 * from events alone (2015 server) or while disconnected.
	 */
	readonly complete: boolean;
};
