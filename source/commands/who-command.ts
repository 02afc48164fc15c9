import type {SlashCommand} from './types.js';

export const whoCommand: SlashCommand = {
	name: 'who',
	altNames: ['names'],
	description: 'list the users in the room and refresh the roster',
	usage: '/who',
	action: () => ({type: 'who'}),
};
