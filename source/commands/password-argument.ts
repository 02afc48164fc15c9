// A password typed on the command line would sit in the input history and on
// the screen: the commands that need one ask for it, hidden, instead.
import type {CommandDescriptor} from './types.js';

/** The refusal for `/name args` when anything follows the name; undefined when nothing does. */
export function passwordArgumentRefusal(name: string, args: string): CommandDescriptor | undefined {
	if (args.trim() === '') return undefined;
	return {type: 'error', text: `/${name} takes no password on the line (nothing was sent): type /${name} alone and it asks for the password, hidden`};
}
