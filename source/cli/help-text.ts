// The --help texts, made from the flag table so that every flag a command
// takes is listed, with the defaults the code really uses.
import {flagNames, flagUse, flagValueName, isRepeatable, optionName, type CommandName} from './flags.js';

const column = 22;

function optionLines(command: CommandName): string[] {
	const lines: string[] = [];
	for (const name of flagNames) {
		const use = flagUse(name, command);
		if (use === undefined) continue;
		const value = flagValueName(name);
		const label = `${optionName(name)}${value === undefined ? '' : ' ' + value}`;
		const [first, ...rest] = use.help.split('\n');
		lines.push(`    ${label.padEnd(column - 2)}${label.length >= column - 2 ? '\n    ' + ' '.repeat(column - 2) : ''}${first}`);
		for (const line of rest) lines.push(' '.repeat(column + 2) + line);
	}

	return lines;
}

/** "Each option is given at most once", leaving out the ones that may be repeated. */
function onceRule(command: CommandName): string {
	const repeatable = flagNames.filter(name => flagUse(name, command) !== undefined && isRepeatable(name)).map(optionName);
	return repeatable.length === 0 ? 'Each option is given at most once.' : `Each option but ${repeatable.join(', ')} is given at most once.\n `;
}

const meta = [
	`    ${'--version'.padEnd(column - 2)}print the version`,
	`    ${'--help'.padEnd(column - 2)}print this help (both work anywhere on the line)`,
];

const joinHelp = `
  A terminal chat client for the CodeChat protocol, and its reference server.

  Usage
    $ codechat-tui [options]            join a room (full-screen chat)
    $ codechat-tui --serve [options]    host a room here and join it
    $ codechat-tui serve [options]      run the server alone (codechat-tui serve --help)
    $ codechat-tui config [options]     print the settings these options start with, and
                                        where each comes from (flag, $CODECHAT_*, file)

  Options
${[...optionLines('join'), ...meta].join('\n')}

  ${onceRule('join')} Bad input is one line on stderr and exit code 2.

  Config file
    $XDG_CONFIG_HOME/codechat-tui/config.toml (~/.config/… without it), or
    --config FILE: TOML with host, port, user, tls, tls-ca, insecure, backlog,
    highlight, ignore and the tables [timestamps], [colours], [keys],
    [notifications], [display] and [mouse] (the README lists them). A bad file
    is one line naming the file, line and key, and exit code 2.

  Pipe mode
    When stdin is not a terminal (or with --json), each input line is a message
    or a command (/rename, /who, /quit); events are printed one per line. The exit
    code is 0, or 1 if any line failed (a message not sent, a refused rename, an
    unknown command) or the server could not be reached.

  Examples
    $ npx codechat-tui --host chat.example.com --user alice
    $ codechat-tui --serve
    $ codechat-tui serve --listen 0.0.0.0
    $ echo "deploy done" | codechat-tui --host chat.example.com --user ci
`;

const serveHelp = `
  The CodeChat reference server. SIGINT or SIGTERM close it cleanly.

  Usage
    $ codechat-tui serve [options]
    $ codechat-tui serve --data DIR account add|reset|delete NAME

  Options
${[...optionLines('serve'), ...meta].join('\n')}

  ${onceRule('serve')} Bad input is one line on stderr and exit code 2.

  Accounts
    account add and reset ask for the password, masked and twice (from a pipe:
    its first line); reset and delete end the account's saved logins. --redis URL
    in place of --data changes a cluster's accounts. Stop a server using DIR first.

  Examples
    $ codechat-tui serve --listen 0.0.0.0
    $ codechat-tui serve --port 9000 --rate 0
    $ codechat-tui serve --tls-cert cert.pem --tls-key key.pem
`;

export function helpText(command: CommandName): string {
	switch (command) {
		case 'join':
			return joinHelp;
		case 'serve':
			return serveHelp;
		default:
			return command satisfies never;
	}
}
