// The fan-out and the name registry, behind one small interface, so that a
// hub spanning several server processes (e.g. over Redis pub/sub) can replace
// the in-process one without touching connection handling. The name
// operations are async for that reason; a connection runs its commands one at
// a time, so their statuses stay in arrival order whatever the hub awaits.

/** Something the hub can hand an encoded frame to: a connection on this process. */
export type HubMember = {
	/** Queues one encoded frame (a JSON line) for this member; never blocks, never throws. */
	deliver(frame: Uint8Array): void;
};

export type Hub = {
	/**
	 * Registers `member` under `name`; false when the name is taken, compared
	 * case-insensitively (`nameKey`). A member holds at most one name.
	 */
	claim(name: string, member: HubMember): Promise<boolean>;
	/**
	 * Moves `member` to `newname`, keeping its place in the join order; false when
	 * another member holds it. Renaming to one's own name in another case succeeds.
	 */
	rename(member: HubMember, newname: string): Promise<boolean>;
	/** Frees the member's name; a no-op when it holds none. */
	release(member: HubMember): Promise<void>;
	/** Every name, in the order their holders joined. */
	roster(): Promise<string[]>;
	/**
	 * Hands the same encoded frame to every member except `except`. The caller
	 * encodes once; the hub must not re-encode per recipient.
	 */
	broadcast(frame: Uint8Array, except?: HubMember): void;
};
