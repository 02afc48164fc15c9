// Who is present, kept once: the client's inbound handlers change it, and
// everyone else (the chat state, pipe mode, the transcript) reads the
// immutable snapshot it hands out. Names are keyed case-insensitively
// (PROTOCOL.md §2); you are always on it, under the name you hold now.
import {nameKey} from '../protocol/limits.js';
import type {RosterSnapshot, RosterUser} from '../protocol/roster.js';

type Present = {name: string; gone: boolean};

export class Roster {
	/** By key, in the order they joined; holds you too. */
	readonly #users = new Map<string, Present>();
	#me = '';
	/** Others using your name (the 2015 server accepts duplicates). */
	#namesakes = 0;
	#complete = false;
	/** Keys of those the server said are logged in to accounts (§11): a name is theirs, not a guest's. */
	readonly #accounts = new Set<string>();
	/** §13: away reasons by key, of those present. */
	readonly #away = new Map<string, string>();
	#snapshot: RosterSnapshot | undefined;

	/** A new connection: only you, until the server or events say more. */
	reset(me: string, complete: boolean): void {
		this.#users.clear();
		this.#accounts.clear();
		this.#away.clear();
		this.#me = me;
		this.#users.set(nameKey(me), {name: me, gone: false});
		this.#namesakes = 0;
		this.#complete = complete;
		this.#changed();
	}

	/** A get-clients answer: the whole list, you kept in your own spelling; `accounts`: those logged in to accounts. */
	replace(names: readonly string[], accounts: readonly string[] = []): void {
		const meKey = nameKey(this.#me);
		this.#users.clear();
		this.#accounts.clear();
		for (const name of accounts) this.#accounts.add(nameKey(name));
		for (const name of names) {
			if (name === '') continue;
			const key = nameKey(name);
			if (!this.#users.has(key)) this.#users.set(key, {name: key === meKey ? this.#me : name, gone: false});
		}

		if (!this.#users.has(meKey)) this.#users.set(meKey, {name: this.#me, gone: false});
		this.#complete = true;
		this.#changed();
	}

	/** The connection is gone: who is there is unknown until the next one. */
	markIncomplete(): void {
		if (!this.#complete) return;
		this.#complete = false;
		this.#changed();
	}

	get complete(): boolean {
		return this.#complete;
	}

	get me(): string {
		return this.#me;
	}

	isMe(name: string): boolean {
		return nameKey(name) === nameKey(this.#me);
	}

	has(name: string): boolean {
		return this.#users.has(nameKey(name));
	}

	/** Someone arrived, or came back after looking gone. */
	add(name: string): void {
		if (name === '') return;
		const key = nameKey(name);
		const present = this.#users.get(key);
		if (present && !present.gone && present.name === name) return;
		this.#users.set(key, {name, gone: false});
		this.#changed();
	}

	remove(name: string): void {
		if (this.isMe(name)) return; // we know when we leave
		this.#accounts.delete(nameKey(name));
		this.#away.delete(nameKey(name));
		if (this.#users.delete(nameKey(name))) this.#changed();
	}

	/** Keeps the join position when only the case changes. */
	rename(oldname: string, newname: string): void {
		if (newname === '') return;
		const oldKey = nameKey(oldname);
		const newKey = nameKey(newname);
		const wasMe = oldKey === nameKey(this.#me);
		if (oldKey === newKey) {
			this.#users.set(newKey, {name: newname, gone: false});
		} else {
			this.#users.delete(oldKey);
			this.#users.set(newKey, {name: newname, gone: false});
		}

		if (wasMe) this.#me = newname;
		// An account cannot rename (§11): whoever renamed is a guest.
		this.#accounts.delete(oldKey);
		// The reason follows the name (the server moves it too).
		const reason = this.#away.get(oldKey);
		this.#away.delete(oldKey);
		if (reason !== undefined) this.#away.set(newKey, reason);
		this.#changed();
	}

	/** A 2015 server's sign that a user's connection ended (an empty-`cmd` frame). */
	markGone(name: string): boolean {
		const present = this.#users.get(nameKey(name));
		if (!present || present.gone || this.isMe(name)) return false;
		this.#users.set(nameKey(name), {...present, gone: true});
		this.#changed();
		return true;
	}

	/** A message proves presence: added when the list is built from events, no longer gone. */
	seen(name: string): void {
		const present = this.#users.get(nameKey(name));
		if (present ? present.gone : !this.#complete) this.add(present?.name ?? name);
	}

	get namesakes(): number {
		return this.#namesakes;
	}

	addNamesake(): void {
		this.#namesakes++;
		this.#changed();
	}

	removeNamesake(): void {
		if (this.#namesakes === 0) return;
		this.#namesakes--;
		this.#changed();
	}

	/** The names, in join order, each once (your namesakes are not listed twice). */
	names(): string[] {
		return [...this.#users.values()].map(user => user.name);
	}

	/** Our own login state changed (register, logout): the next get-clients says the same. */
	setAccount(name: string, account: boolean): void {
		const key = nameKey(name);
		if (this.#accounts.has(key) === account) return;
		if (account) this.#accounts.add(key);
		else this.#accounts.delete(key);
		this.#changed();
	}

	/** §13: `name` is away with `reason`; an empty reason is back. False when nothing changed. */
	setAway(name: string, reason: string): boolean {
		const key = nameKey(name);
		if (reason === '' ? !this.#away.has(key) : this.#away.get(key) === reason) return false;
		if (reason === '') this.#away.delete(key);
		else this.#away.set(key, reason);
		this.#changed();
		return true;
	}

	/** §13: `name`'s away reason, or undefined when they are not away. */
	awayOf(name: string): string | undefined {
		return this.#away.get(nameKey(name));
	}

	/** §13: a roster answer's away map over `names`: those it does not list are back. */
	replaceAway(names: readonly string[], away: Readonly<Record<string, string>>): boolean {
		let changed = false;
		for (const name of names) changed = this.setAway(name, Object.hasOwn(away, name) ? away[name]! : '') || changed;
		return changed;
	}

	/** The same object until something changes, so readers can compare by identity. */
	snapshot(): RosterSnapshot {
		if (this.#snapshot) return this.#snapshot;
		const meKey = nameKey(this.#me);
		const users: RosterUser[] = [];
		for (const [key, {name, gone}] of this.#users) {
			const isMe = key === meKey;
			const away = this.#away.get(key);
			users.push({name, isMe, gone, namesake: false, ...(this.#accounts.has(key) ? {account: true as const} : {}), ...(away === undefined ? {} : {away})});
			if (isMe && this.#namesakes > 0) users.push({name, isMe: false, gone: false, namesake: true});
		}

		this.#snapshot = {me: this.#me, users, complete: this.#complete};
		return this.#snapshot;
	}

	#changed(): void {
		this.#snapshot = undefined;
	}
}
