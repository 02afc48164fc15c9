import type {SlashCommand} from './types.js';

function names(command: SlashCommand): string {
	return ['/' + command.name, ...command.altNames.map(alt => '/' + alt)].join(', ');
}

export const helpCommand: SlashCommand = {
	name: 'help',
	altNames: ['?'],
	description: 'list the commands, explain one, or list the keys (/help keys)',
	usage: '/help [command|keys]',
	action(args, context) {
		const topic = args.trim().replace(/^\//, '').toLowerCase();
		const keys = context.keys ?? [];
		if (topic === 'keys' && keys.length > 0) {
			const keyWidth = Math.max(...keys.map(key => key.keys.length));
			return {type: 'help', text: ['Keys:', ...keys.map(key => `  ${key.keys.padEnd(keyWidth)}  ${key.does}`)].join('\n')};
		}
		if (topic !== '') {
			const command = context.commands.find(c => c.name === topic || c.altNames.includes(topic));
			if (!command) return {type: 'error', text: `no such command: /${topic}`};
			const aliases = command.altNames.length > 0 ? `\nalso: ${command.altNames.map(alt => '/' + alt).join(', ')}` : '';
			return {type: 'help', text: `${command.usage}\n  ${command.description}${aliases}`};
		}
		const width = Math.max(...context.commands.map(command => command.usage.length));
		const lines = context.commands.map(command => `  ${command.usage.padEnd(width)}  ${command.description}`);
		const aliasLines = context.commands
			.filter(command => command.altNames.length > 0)
			.map(command => names(command));
		const keyLines = keys.length === 0 ? [] : ['/help keys lists the keys.'];
		return {
			type: 'help',
			text: [
				'Commands:',
				...lines,
				`Aliases: ${aliasLines.join('; ')}`,
				'Start a line with // to send a line that begins with /.',
				...keyLines,
			].join('\n'),
		};
	},
};
