// How the screen orders and compares names. Who is present is the client's
// roster (client/roster.ts); this only sorts what it reports.
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
