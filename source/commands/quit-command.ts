import type {SlashCommand} from './types.js';

export const quitCommand: SlashCommand = {
	name: 'quit',
	altNames: ['exit'],
	description: 'leave the chat (with an optional reason)',
	usage: '/quit [reason]',
	action(args) {
		const reason = args.trim();
		return reason === '' ? {type: 'quit'} : {type: 'quit', reason};
	},
};
