// Operations on the roster's name list: sorted case-insensitively, never two
// names with the same nameKey(). Every function returns the same array when
// nothing changes, so the UI can skip re-rendering on identity.
import {nameKey} from '../protocol/limits.js';

// A fixed locale, not the machine's, so the order is the same everywhere;
// numeric so "user2" sorts before "user10".
const collator = new Intl.Collator('en', {sensitivity: 'base', numeric: true});

/** Case-insensitive order, made total by falling back to the key and then the raw name. */
export function compareNames(a: string, b: string): number {
	const byCollation = collator.compare(a, b);
	if (byCollation !== 0) return byCollation;
	const keyA = nameKey(a);
	const keyB = nameKey(b);
	if (keyA !== keyB) return keyA < keyB ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

export function sameName(a: string, b: string): boolean {
	return nameKey(a) === nameKey(b);
}

export function indexOfName(names: readonly string[], name: string): number {
	const key = nameKey(name);
	return names.findIndex(existing => nameKey(existing) === key);
}

/** Adds `name` in order; no change when a name with the same key is there. */
export function addName(names: readonly string[], name: string): readonly string[] {
	if (name.length === 0 || indexOfName(names, name) !== -1) return names;
	let low = 0;
	let high = names.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareNames(names[middle], name) < 0) low = middle + 1;
		else high = middle;
	}

	return names.toSpliced(low, 0, name);
}

/** Removes the name with the same key as `name`, if any. */
export function removeName(names: readonly string[], name: string): readonly string[] {
	const index = indexOfName(names, name);
	return index === -1 ? names : names.toSpliced(index, 1);
}

/**
 * A roster from a get-clients reply: empty and non-string names dropped,
 * duplicates (by key) dropped keeping the first, `me` present in our own
 * spelling, sorted.
 */
export function buildRoster(names: readonly unknown[], me: string): readonly string[] {
	const byKey = new Map<string, string>();
	if (me.length > 0) byKey.set(nameKey(me), me);
	for (const name of names) {
		if (typeof name !== 'string' || name.length === 0) continue;
		const key = nameKey(name);
		if (!byKey.has(key)) byKey.set(key, name);
	}

	return [...byKey.values()].sort(compareNames);
}

/**
 * Folds a rename: the old name goes, the new one comes in. When the new name's
 * key is already held by someone else (a server that allows duplicates), the
 * roster keeps the one entry it has rather than a duplicate.
 */
export function renameName(names: readonly string[], oldname: string, newname: string): readonly string[] {
	return addName(removeName(names, oldname), newname);
}
