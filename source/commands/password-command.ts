import {passwordArgumentRefusal} from './password-argument.js';
import {unsupported, type SlashCommand} from './types.js';

export const passwordCommand: SlashCommand = {
	name: 'password',
	altNames: ['passwd'],
	description: 'change your account\'s password (asks, hidden)',
	usage: '/password',
	action: (args, context) => passwordArgumentRefusal('password', args) ?? unsupported(context, 'accounts', '/password') ?? {type: 'password'},
};
