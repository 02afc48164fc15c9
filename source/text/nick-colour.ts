// A nick's colour: a stable hash of the name picks from a palette. Red is
// left out on purpose: red means an error.
import {foldCase} from '../protocol/limits.js';

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
 * FNV-1a over the case-folded name, so the colour is the same on every run
 * and machine, and a rename that only changes case keeps it. Not over the
 * confusable skeleton: where look-alikes meet (a 2015 server takes any name),
 * a different colour is a hint that "аlice" is not alice.
 */
export function nickColour(name: string): NickColour {
	const key = foldCase(name);
	let hash = 0x811c9dc5;
	for (let i = 0; i < key.length; i++) {
		hash ^= key.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return NICK_PALETTE[(hash >>> 0) % NICK_PALETTE.length]!;
}
