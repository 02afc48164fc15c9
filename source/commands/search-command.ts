import type {SlashCommand} from './types.js';

export const searchCommand: SlashCommand = {
	name: 'search',
	altNames: [],
	description: 'find TEXT in this conversation, older messages too; alone: as you type (Ctrl-R)',
	usage: '/search [TEXT]',
	action: args => ({type: 'search', query: args.trim()}),
};
