import {foldCase, nameKey, usernameProblem} from '../protocol/limits.js';
import type {SlashCommand} from './types.js';

/** "U+0430" */
function codePointName(char: string): string {
	return 'U+' + char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * Why `wanted` counts as `holder`'s name though it is not spelt the same.
 * Look-alikes draw the same, so the differing characters are named by code point.
 */
function likenessOf(wanted: string, holder: string): string {
	if (foldCase(wanted) === foldCase(holder)) return 'it differs only in capitals';
	const mine = [...wanted];
	const theirs = [...holder];
	if (mine.length === theirs.length) {
		const swaps = mine.flatMap((char, i) => (char === theirs[i] ? [] : [`${codePointName(char)} in place of "${theirs[i]!}"`]));
		return swaps.slice(0, 3).join(', ') + (swaps.length > 3 ? ', …' : '');
	}
	return 'names that look alike count as one';
}

export const renameCommand: SlashCommand = {
	name: 'rename',
	altNames: ['nick'],
	description: 'change your name',
	usage: '/rename NAME',
	action(args, context) {
		const newname = args.trim();
		if (newname === '') return {type: 'error', text: 'usage: /rename NAME'};
		// Checked here so that an invalid name is a local error and nothing goes out.
		const problem = usernameProblem(newname);
		if (problem) return {type: 'error', text: `cannot rename: ${problem}`};
		if (newname === context.me) return {type: 'info', text: `you are already ${newname}`};
		// Names are one name when their keys match, as the server decides (case and look-alike letters folded).
		const key = nameKey(newname);
		const holder = context.roster.find(name => nameKey(name) === key && nameKey(name) !== nameKey(context.me));
		if (holder === newname) return {type: 'error', text: `cannot rename: ${newname} is already in the room`};
		if (holder !== undefined) {
			return {type: 'error', text: `cannot rename: ${newname} looks like ${holder}, who is in the room (${likenessOf(newname, holder)}); choose another name`};
		}
		return {type: 'rename', newname};
	},
};
