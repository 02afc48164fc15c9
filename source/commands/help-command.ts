import type {SlashCommand} from './types.js';

function names(command: SlashCommand): string {
	return ['/' + command.name, ...command.altNames.map(alt => '/' + alt)].join(', ');
}

export const helpCommand: SlashCommand = {
	name: 'help',
	altNames: ['?'],
	description: 'list the commands, or explain one',
	usage: '/help [command]',
	action(args, context) {
		const topic = args.trim().replace(/^\//, '').toLowerCase();
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
		return {
			type: 'help',
			text: [
				'Commands:',
				...lines,
				`Aliases: ${aliasLines.join('; ')}`,
				'Start a line with // to send a line that begins with /.',
				'Keys: PgUp/PgDn scroll a page, Shift+↑/↓ a line, Ctrl+Home/End (or Home/End on an empty line) to the ends,',
				'  Tab completes names and commands, Alt+Enter starts a new line, Ctrl+↑/↓ scroll the user list,',
				'  ↑/↓ recall what you sent, Ctrl-C or Ctrl-D on an empty line quit.',
			].join('\n'),
		};
	},
};
