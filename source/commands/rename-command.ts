import {nameKey, usernameProblem} from '../protocol/limits.js';
import type {SlashCommand} from './types.js';

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
		const taken = context.roster.some(name => nameKey(name) === nameKey(newname) && nameKey(name) !== nameKey(context.me));
		if (taken) return {type: 'error', text: `cannot rename: ${newname} is already in the room`};
		return {type: 'rename', newname};
	},
};
