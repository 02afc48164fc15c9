import {passwordArgumentRefusal} from './password-argument.js';
import {unsupported, type SlashCommand} from './types.js';

export const registerCommand: SlashCommand = {
	name: 'register',
	altNames: [],
	description: 'make your name an account (asks for a password, hidden)',
	usage: '/register',
	action: (args, context) => passwordArgumentRefusal('register', args) ?? unsupported(context, 'accounts', '/register') ?? {type: 'register'},
};
