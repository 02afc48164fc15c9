// The fan-out, the name registry and the rooms, behind one small interface,
// so that a hub spanning several server processes (e.g. over Redis pub/sub)
// can replace the in-process one without touching connection handling. The
// registry and room operations are async for that reason; a connection runs
// its commands one at a time, so their statuses stay in arrival order
// whatever the hub awaits.
//
// Rooms (PROTOCOL.md §10) are named two ways: `name`, as the server spells
// the room (the spelling of whoever created it; what every status and event
// carries), and `key`, its roomKey() (case and look-alikes folded), by which
// rooms are unique and under which the room's log and shared file are kept.
// `#lobby` always exists, every named member is in it, and it is never
// parted or deleted. Events of a room carry `room: name`, except `#lobby`'s,
// which carry none (roomField() in log-replies.ts), so a seed client sees the
// seed's events; a hub that builds event frames itself (a cluster's log
// announcing a message) must name rooms the same way.
//
// In a cluster every method speaks for the whole cluster (members, counts,
// limits, deletion), except roomOf(), which answers for a member of this
// process, and the frames a method hands out, which reach members wherever
// they are connected.

import type {RoomSummary} from '../protocol/types.js';
import type {Outbox} from './outbox.js';
import type {MessageLog} from './store/message-log.js';

import {nameKey} from '../protocol/limits.js';

export {LOBBY} from '../protocol/rooms.js';

/**
 * The reasons of those of `names` found in `reasons` (name key → reason),
 * keyed by the name as given. Few are away at once, so a roster of thousands
 * costs nothing while nobody is, and is keyed only while someone is.
 */
export function awayAmong(names: readonly string[], reasons: ReadonlyMap<string, string>): Record<string, string> {
	const away: Record<string, string> = {};
	if (reasons.size === 0) return away;
	for (const name of names) {
		const reason = reasons.get(nameKey(name));
		if (reason !== undefined) away[name] = reason;
	}

	return away;
}

/** Something the hub can hand an encoded frame to: a connection on this process. */
export type HubMember = {
	/** Queues one encoded frame (a JSON line) for this member; never blocks, never throws. */
	deliver(frame: Uint8Array): void;
	/**
	 * Where the member's output waits for the end of the turn; a large room's
	 * broadcasts go there through the room's batch instead of `deliver`, in
	 * the same order. A member without one gets every frame by `deliver`.
	 */
	readonly outbox?: Outbox;
	/**
	 * Whether the client listed `direct` at `connect` (§8): only such members
	 * are handed direct messages, since a seed client would show one as
	 * public. Read by the hub when the member claims its name; fixed from then on.
	 */
	readonly acceptsDirect?: boolean;
};

export type RoomFeature = 'rooms' | 'direct';

/** A room as the server names it (see the top of this file). */
export type RoomName = {
	/** As the server spells it: the spelling of the join that created it. */
	name: string;
	/** roomKey(name): the room's identity, and the key of its log and file. */
	key: string;
};

export type JoinOutcome =
	| {
		ok: true;
		room: RoomName;
		/**
		 * The names in the room, in the order they joined it, the joiner
		 * included (last, when it just joined). A name held by several members
		 * (an account's connections) is listed once, at its first member's place.
		 */
		members: string[];
		/**
		 * False when the member's name was in the room already (this member, or
		 * another connection of the same account, which joins it too): nobody is
		 * to be told.
		 */
		joined: boolean;
	}
	| {
		ok: false;
		/**
		 * `connection-limit`: the member is in MAX_ROOMS_PER_CONNECTION rooms
		 * (`#lobby` counts). `server-limit`: the room does not exist and
		 * MAX_ROOMS_PER_SERVER rooms do (empty ones waiting for deletion count,
		 * but the longest-empty one is deleted early to make room before this is
		 * refused). `gone`: the member holds no name (it was released, or never
		 * claimed one); it joined nothing. Nothing changed in every case.
		 */
		refusal: 'connection-limit' | 'server-limit' | 'gone';
	};

/** The outcome of Hub.claimAccount. */
export type AccountClaim =
	/** `first`: no other connection held the name, so the others are told the user entered. */
	| {ok: true; first: boolean}
	/** A guest holds the name. */
	| {ok: false; reason: 'taken'}
	/** `max` connections of the account hold it; `holders` are those on this process (one may be replaced). */
	| {ok: false; reason: 'full'; holders: HubMember[]};

export type Hub = {
	/**
	 * The §10 extensions this hub carries, which the server then lists in
	 * `features`; a command of one it does not carry is answered `unsupported`.
	 */
	readonly roomFeatures: readonly RoomFeature[];
	/**
	 * Registers `member` under `name` and puts it in `LOBBY`; false when the
	 * name is taken by the same `nameKey` (case and look-alikes folded). A member holds
	 * at most one name.
	 */
	claim(name: string, member: HubMember): Promise<boolean>;
	/**
	 * Moves `member` to `newname`, keeping its place in the join order of the
	 * server and of each of its rooms; false when another member holds it.
	 * Renaming to one's own name in another case succeeds.
	 */
	rename(member: HubMember, newname: string): Promise<boolean>;
	/**
	 * §11: registers `member` under the account name `name`, beside the
	 * connections of that account holding it already, up to `max` of them
	 * (claim() gives a name to one member only), and puts it in `LOBBY`. A
	 * member that holds the name already (it has just registered it) makes it
	 * its account's. Optional: a hub without it holds one connection per
	 * account (claim()).
	 */
	claimAccount?(name: string, member: HubMember, max: number): Promise<AccountClaim>;
	/**
	 * Frees the member's name and takes it out of every room; resolves to the
	 * rooms its name left (`#lobby` first, then in the order it joined them),
	 * so the caller can tell each of them; empty when it held no name (a
	 * no-op). A room where another connection of the same account stays is
	 * not among them, nor is `#lobby` while one holds the name: the user is
	 * still there. Rooms it leaves empty start their deletion countdown (see
	 * `join`). `reason` is what the user gave on `exit`, for a hub that
	 * announces the exit itself (to other nodes).
	 */
	release(member: HubMember, reason?: string): Promise<RoomName[]>;
	/** Every name, in the order their holders joined. */
	roster(): Promise<string[]>;
	/**
	 * Puts a named member in the room `room` (a valid room name, not checked
	 * again; any spelling of the room), creating the room if no room has its
	 * key. Joining a room one is in already succeeds with `joined: false`.
	 * Announces nothing: on `joined`, the caller broadcasts `client-enter`
	 * (with `broadcast`, straight after this resolves). The per-member limit
	 * counts this member's rooms; the server limit counts the rooms that exist.
	 *
	 * Deletion: a room whose last member left is deleted EMPTY_ROOM_TTL_MS
	 * later (its log and file go with it, through the `onRoomDeleted`
	 * handler); a join before then finds it as it was, log and spelling
	 * included. A join never sees a room whose deletion is under way: it waits
	 * until the handler has finished, then creates the room afresh.
	 */
	join(room: string, member: HubMember): Promise<JoinOutcome>;
	/**
	 * Takes the member out of `room` (any spelling; never `#lobby`, which the
	 * caller refuses with `forbidden`); resolves to the room, or undefined when
	 * the member was not in it (nothing changed). Announces nothing: the caller
	 * broadcasts `client-exit {part: true}` to the room. A room left empty
	 * starts its deletion countdown.
	 */
	part(room: string, member: HubMember): Promise<RoomName | undefined>;
	/**
	 * The room's member names in the order they joined it, each name once;
	 * `#lobby`'s is the roster. Empty for a room that does not exist (or has
	 * no member). The caller has checked that the asker is in it.
	 */
	members(room: RoomName): Promise<string[]>;
	/**
	 * Every room with at least one member: `#lobby` first, then the others
	 * ordered by key; `users` counts distinct names. Empty rooms waiting for
	 * deletion are left out.
	 */
	rooms(): Promise<RoomSummary[]>;
	/**
	 * The room `room` (any spelling) when `member` is in it, else undefined.
	 * Synchronous: a member's own rooms are always known where it lives. Called
	 * for every room command, so the exact server spelling must be fast.
	 */
	roomOf(member: HubMember, room: string): RoomName | undefined;
	/**
	 * A direct message (§10): finds the members holding `to` (by nameKey;
	 * with accounts several members hold one name) that accept direct
	 * messages. Resolves false, delivering nothing, when there is none, unless
	 * `to` is the sender's own name. Else calls `frame` once, with the name as
	 * its holder spells it, and hands the bytes to each of those members and to
	 * every other member holding the sender's name that accepts direct
	 * messages, each member once, never to `sender`; resolves true. Live only:
	 * nothing is stored, and a member that connects later never gets it.
	 */
	direct(to: string, sender: HubMember, frame: (recipient: string) => Uint8Array): Promise<boolean>;
	/**
	 * §13: sets the away reason of the user `name` (by nameKey), or clears it
	 * (`reason` undefined). Per name, so an account's connections share it; it
	 * announces nothing: the caller broadcasts `client-away`. In a cluster it
	 * is seen by every node.
	 */
	setAway(name: string, reason: string | undefined): Promise<void>;
	/** §13: the reasons of those of `names` who are away, keyed by the name as given. */
	away(names: readonly string[]): Promise<Record<string, string>>;
	/**
	 * Sets what deleting a room does besides forgetting it (the server drops
	 * its log and file, by `room.key`). Called once, before any member joins.
	 * The hub awaits it before the room's key can be used again; in a cluster
	 * it runs on one node per deletion. A rejection is the handler's to log.
	 */
	onRoomDeleted(drop: (room: RoomName) => Promise<void>): void;
	/**
	 * Hands the same encoded frame to every member of `room` except `except`.
	 * The caller encodes once; the hub must not re-encode per recipient, and
	 * must cost in proportion to the room's members, not to every member.
	 * `room` is the room's key (`RoomName.key`; `LOBBY` is its own key).
	 */
	broadcast(room: string, frame: Uint8Array, except?: HubMember): void;
	/**
	 * Hands a message event the log has committed as `seq` of `room` to the
	 * room's members except its sender. Called in seq order, straight after
	 * the commit; the members must receive a room's messages in seq order.
	 * `handedOut` is called, synchronously, once every earlier message of the
	 * room has been handed to this process's members (at once for an
	 * in-process hub; when the cluster's channel brings this one back for
	 * another), so the sender's status, written there, is never ahead of the
	 * events below it. It runs before this message is handed out, so the
	 * sender hears first, as without a log. `room` as in `broadcast`; seqs
	 * are per room. `frame` encodes the event; a hub whose channel brings
	 * the encoded event back never calls it.
	 */
	broadcastStored(room: string, seq: number, frame: () => Uint8Array, sender: HubMember, handedOut: () => void): void;
	/**
	 * A hub that spans several processes supplies the log they share, so that
	 * a room has one seq order across the cluster. Without it the server keeps
	 * its own log.
	 */
	openLog?(perConversation: number): Promise<MessageLog>;
};
