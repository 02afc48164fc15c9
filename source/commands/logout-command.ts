import {unsupported, type SlashCommand} from './types.js';

export const logoutCommand: SlashCommand = {
	name: 'logout',
	altNames: [],
	description: 'log out of your account and forget its saved login; you stay as a guest',
	usage: '/logout',
	action: (args, context) => (args.trim() === '' ? unsupported(context, 'accounts', '/logout') ?? {type: 'logout'} : {type: 'error', text: '/logout takes nothing after it'}),
};
