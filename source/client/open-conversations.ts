// The conversations this client has open (PROTOCOL.md §10): the rooms it is
// in or means to be in, each with its members and its log's sync, and the
// direct partners it talks to. The one owner of that set: the client joins
// what is here after every reconnect, and the open-rooms store saves it.
//
// #lobby is always here, first; its members are everyone's roster (the
// client's global Roster, which get-clients without `room` fills) and its log
// is the one a server without rooms keeps.
import {nameKey} from '../protocol/limits.js';
import {isLobby, LOBBY, roomKey, roomProblem} from '../protocol/rooms.js';
import type {LogSync} from './log-sync.js';
import {Roster} from './roster.js';

export type OpenRoom = {
	/** As the server last spelt it (or as asked, before it answered). */
	name: string;
	readonly roster: Roster;
	readonly sync: LogSync;
	/**
	 * `join` is written on this connection (so commands for the room may
	 * follow it), and `joined` once its success arrived.
	 */
	phase: 'wanted' | 'joining' | 'joined';
	/** Joined on an earlier connection: the next join is a rejoin. */
	everJoined: boolean;
};

/** A direct conversation; its log sync runs only while logged in to an account (§10: stored between accounts). */
export type OpenDirect = {name: string; readonly sync: LogSync};

export class OpenConversations {
	readonly #rooms = new Map<string, OpenRoom>();
	/** Direct partners, by name key, in the order opened. */
	readonly #direct = new Map<string, OpenDirect>();
	readonly #makeSync: (room: string) => LogSync;
	readonly #makeDirectSync: (partner: string) => LogSync;

	constructor(lobbyRoster: Roster, lobbySync: LogSync, makeSync: (room: string) => LogSync, makeDirectSync: (partner: string) => LogSync) {
		this.#makeSync = makeSync;
		this.#makeDirectSync = makeDirectSync;
		this.#rooms.set(roomKey(LOBBY), {name: LOBBY, roster: lobbyRoster, sync: lobbySync, phase: 'joined', everJoined: true});
	}

	/** The open room of that name, any case. */
	room(name: string): OpenRoom | undefined {
		return roomProblem(name) === undefined ? this.#rooms.get(roomKey(name)) : undefined;
	}

	/** #lobby first, then in the order opened. */
	rooms(): OpenRoom[] {
		return [...this.#rooms.values()];
	}

	/** Adds a room to be joined (a no-op for one open already); returns it. */
	want(name: string, me: string): OpenRoom {
		const key = roomKey(name);
		const open = this.#rooms.get(key);
		if (open) return open;
		const roster = new Roster();
		roster.reset(me, false);
		const room: OpenRoom = {name, roster, sync: this.#makeSync(name), phase: 'wanted', everJoined: false};
		this.#rooms.set(key, room);
		return room;
	}

	/** Forgets a room (parted, or its join refused); #lobby stays. */
	drop(name: string): boolean {
		if (isLobby(name)) return false;
		return this.#rooms.delete(roomKey(name));
	}

	/** The connection is gone: every room must be joined again, and who is in it is unknown meanwhile. */
	disconnected(): void {
		for (const room of this.#rooms.values()) {
			if (isLobby(room.name)) continue;
			room.phase = 'wanted';
			room.sync.disconnected();
			room.roster.markIncomplete();
		}

		for (const direct of this.#direct.values()) direct.sync.disconnected();
	}

	openDirect(name: string): boolean {
		const key = nameKey(name);
		const open = this.#direct.get(key);
		if (open?.name === name) return false;
		if (open) open.name = name;
		else this.#direct.set(key, {name, sync: this.#makeDirectSync(name)});
		return true;
	}

	/** The open direct conversation with that name, any case. */
	directWith(name: string): OpenDirect | undefined {
		return this.#direct.get(nameKey(name));
	}

	/** The open direct conversations, in the order opened. */
	directs(): OpenDirect[] {
		return [...this.#direct.values()];
	}

	closeDirect(name: string): boolean {
		return this.#direct.delete(nameKey(name));
	}

	/** A partner renamed: their conversation follows. */
	renameDirect(oldname: string, newname: string): boolean {
		const oldKey = nameKey(oldname);
		if (!this.#direct.has(oldKey)) return false;
		const entries = [...this.#direct].map(([key, open]): [string, OpenDirect] => (key === oldKey ? [nameKey(newname), open] : [key, open]));
		this.#direct.get(oldKey)!.name = newname;
		this.#direct.clear();
		for (const [key, open] of entries) this.#direct.set(key, open);
		return true;
	}

	direct(): string[] {
		return this.directs().map(open => open.name);
	}

	/** What survives a restart: the rooms other than #lobby, then the direct partners. */
	names(): string[] {
		return [...this.rooms().filter(room => !isLobby(room.name)).map(room => room.name), ...this.direct()];
	}
}
