// A nick's colour: a stable hash of the name picks from a palette. Red is
// left out on purpose: red means an error (issue 4).
import {nameKey} from '../protocol/limits.js';

/** Ink/chalk colour names, every one readable on dark and light backgrounds, none of them red. */
export const NICK_PALETTE = [
	'cyan',
	'green',
	'yellow',
	'blue',
	'magenta',
	'cyanBright',
	'greenBright',
	'yellowBright',
	'blueBright',
	'magentaBright',
] as const;

export type NickColour = (typeof NICK_PALETTE)[number];

/**
 * FNV-1a over the name's comparison key, so the colour is the same on every
 * run and machine, and a rename that only changes case keeps it.
 */
export function nickColour(name: string): NickColour {
	const key = nameKey(name);
	let hash = 0x811c9dc5;
	for (let i = 0; i < key.length; i++) {
		hash ^= key.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return NICK_PALETTE[(hash >>> 0) % NICK_PALETTE.length]!;
}
