import type {SlashCommand} from './types.js';

export const clearCommand: SlashCommand = {
	name: 'clear',
	altNames: [],
	description: 'clear the message pane',
	usage: '/clear',
	action: () => ({type: 'clear'}),
};
