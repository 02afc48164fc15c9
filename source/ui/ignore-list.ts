// Whose messages are hidden, here only (nothing is sent): the names of the
// config file's `ignore` list, which stay for as long as they are there,
// and those added with /ignore, kept by a store across runs. Names are
// matched by nameKey, as the server tells names apart (case and look-alikes).
import type {IgnoreAction} from '../commands/types.js';
import {nameKey} from '../protocol/limits.js';
import type {ChatAction} from '../state/types.js';

export type IgnoreStoreLike = {
	read(): string[];
	save(names: readonly string[]): void;
};

export type IgnoreOutcome = 'added' | 'removed' | 'already' | 'not-ignored' | 'in-config' | 'yourself';

export class IgnoreList {
	readonly #fromConfig = new Map<string, string>();
	readonly #added = new Map<string, string>();
	readonly #hidden = new Map<string, number>();
	readonly #store: IgnoreStoreLike | undefined;

	/** `stored`: the names a store read back; `store` saves every change (it may throw: the caller says so). */
	constructor(fromConfig: readonly string[], stored: readonly string[] = [], store?: IgnoreStoreLike) {
		for (const name of fromConfig) this.#fromConfig.set(nameKey(name), name);
		for (const name of stored) if (!this.#fromConfig.has(nameKey(name))) this.#added.set(nameKey(name), name);
		this.#store = store;
	}

	has(name: string): boolean {
		const key = nameKey(name);
		return this.#fromConfig.has(key) || this.#added.has(key);
	}

	/** A message of `name` was hidden: counted for the list. */
	hid(name: string): void {
		const key = nameKey(name);
		this.#hidden.set(key, (this.#hidden.get(key) ?? 0) + 1);
	}

	add(name: string): IgnoreOutcome {
		if (this.has(name)) return 'already';
		this.#added.set(nameKey(name), name);
		this.#save();
		return 'added';
	}

	remove(name: string): IgnoreOutcome {
		const key = nameKey(name);
		if (this.#fromConfig.has(key)) return 'in-config';
		if (!this.#added.delete(key)) return 'not-ignored';
		this.#hidden.delete(key);
		this.#save();
		return 'removed';
	}

	/** Every name, with how many of their messages were hidden this run. */
	entries(): Array<{name: string; hidden: number; inConfig: boolean}> {
		const row = (key: string, name: string, inConfig: boolean) => ({name, hidden: this.#hidden.get(key) ?? 0, inConfig});
		return [...[...this.#fromConfig].map(([key, name]) => row(key, name, true)), ...[...this.#added].map(([key, name]) => row(key, name, false))];
	}

	#save(): void {
		this.#store?.save([...this.#added.values()]);
	}
}

/** Carries out /ignore or /unignore for `me`; the line it says. A store that cannot save is said, and the change holds for this run. */
export function ignoreAction(action: IgnoreAction, list: IgnoreList | undefined, me: string, time: number): ChatAction {
	if (!list) return {type: 'error', text: '/ignore is not available here', time};
	if (action.kind === 'list') return {type: 'info', text: ignoreListLine(list), time};
	let outcome: IgnoreOutcome;
	try {
		// Your own lines are never hidden (use-chat): ignoring your own name would do nothing.
		if (action.kind === 'add' && nameKey(action.name) === nameKey(me)) outcome = 'yourself';
		else outcome = action.kind === 'add' ? list.add(action.name) : list.remove(action.name);
	} catch (error) {
		return {type: 'error', text: (error as Error).message, time};
	}

	return {type: outcome === 'added' || outcome === 'removed' ? 'info' : 'error', text: outcomeText(outcome, action.name), time};
}

function outcomeText(outcome: IgnoreOutcome, name: string): string {
	switch (outcome) {
		case 'added':
			return `ignoring ${name}: their messages are hidden from now on, here and in direct messages (/unignore ${name} to undo)`;
		case 'removed':
			return `no longer ignoring ${name}`;
		case 'already':
			return `you ignore ${name} already`;
		case 'not-ignored':
			return `you do not ignore ${name}`;
		case 'in-config':
			return `${name} is in the config file's ignore list: remove them there`;
		case 'yourself':
			return 'you cannot ignore yourself';
		default:
			return outcome satisfies never;
	}
}

/** The line /ignore alone prints. */
export function ignoreListLine(list: IgnoreList): string {
	const entries = list.entries();
	if (entries.length === 0) return 'you ignore nobody (/ignore NAME hides someone\'s messages)';
	const shown = entries.map(({name, hidden, inConfig}) => `${name}${inConfig ? ' (config file)' : ''}${hidden > 0 ? ` (${hidden} hidden)` : ''}`);
	return `Ignored (${entries.length}): ${shown.join(', ')}`;
}
