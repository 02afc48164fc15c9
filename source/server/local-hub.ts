// The in-process hub: one Map from name key to member, one Map from member
// to name whose insertion order is the join order.
import {nameKey} from '../protocol/limits.js';
import type {Hub, HubMember} from './hub.js';

export class LocalHub implements Hub {
	readonly #holders = new Map<string, HubMember>();
	/** Insertion order is join order; a rename rewrites the value in place, so it keeps its place. */
	readonly #names = new Map<HubMember, string>();

	/** How many names are held. */
	get size(): number {
		return this.#names.size;
	}

	async claim(name: string, member: HubMember): Promise<boolean> {
		const key = nameKey(name);
		if (this.#holders.has(key) || this.#names.has(member)) return false;
		this.#holders.set(key, member);
		this.#names.set(member, name);
		return true;
	}

	async rename(member: HubMember, newname: string): Promise<boolean> {
		const oldname = this.#names.get(member);
		if (oldname === undefined) return false;
		const key = nameKey(newname);
		const holder = this.#holders.get(key);
		if (holder !== undefined && holder !== member) return false;
		this.#holders.delete(nameKey(oldname));
		this.#holders.set(key, member);
		this.#names.set(member, newname);
		return true;
	}

	async release(member: HubMember): Promise<void> {
		const name = this.#names.get(member);
		if (name === undefined) return;
		this.#names.delete(member);
		this.#holders.delete(nameKey(name));
	}

	async roster(): Promise<string[]> {
		return [...this.#names.values()];
	}

	broadcast(frame: Uint8Array, except?: HubMember): void {
		for (const member of this.#names.keys()) {
			if (member !== except) member.deliver(frame);
		}
	}
}
