import type {SlashCommand} from './types.js';

export const reconnectCommand: SlashCommand = {
	name: 'reconnect',
	altNames: [],
	description: 'drop the connection and connect again now',
	usage: '/reconnect',
	action: () => ({type: 'reconnect'}),
};
