// The command line's flags and help text, in one place. Kept free of Ink so
// that --help and --version start fast.

export const flagDefinitions = {
	// Client
	host: {type: 'string'},
	port: {type: 'string'},
	user: {type: 'string'},
	serve: {type: 'boolean'},
	json: {type: 'boolean'},
	log: {type: 'string'},
	tls: {type: 'boolean'},
	tlsCa: {type: 'string'},
	insecure: {type: 'boolean'},
	// Server (and --serve)
	listen: {type: 'string'},
	maxFrame: {type: 'string'},
	maxClients: {type: 'string'},
	rate: {type: 'string'},
	burst: {type: 'string'},
	tlsCert: {type: 'string'},
	tlsKey: {type: 'string'},
	redis: {type: 'string'},
} as const;

type FlagValue<Definition> = Definition extends {type: 'boolean'} ? boolean : string;

/** The flags as meow parses them: every one optional. */
export type CommandLineFlags = {[Name in FlagName]?: FlagValue<(typeof flagDefinitions)[Name]>};

export type FlagName = keyof typeof flagDefinitions;

/** How a flag is written on the command line: maxFrame -> --max-frame. */
export function optionName(name: FlagName): string {
	return '--' + name.replaceAll(/[A-Z]/g, letter => '-' + letter.toLowerCase());
}

export const helpText = `
  A terminal chat client for the CodeChat protocol, and its reference server.

  Usage
    $ codechat-tui [options]            join a room (full-screen chat)
    $ codechat-tui --serve [options]    host a room here and join it
    $ codechat-tui serve [options]      run the server alone

  Options
    --host HOST[:PORT]  server to join (default localhost, or $CODECHAT_HOST)
    --port N            server port (default 8080, or $CODECHAT_PORT)
    --user NAME         your name: letters, digits, _ - . (default $CODECHAT_USER,
                        else your login name)
    --serve             host a room in this process and join it
    --listen ADDR       with --serve or serve: address to listen on (default 127.0.0.1;
                        0.0.0.0 lets others on your network join)
    --json              pipe mode with NDJSON events on stdout
    --log FILE          append a plain-text transcript to FILE
    --tls               connect over TLS, verifying the certificate
    --tls-ca FILE       trust this CA certificate (PEM) for --tls
    --insecure          with --tls: do not verify the certificate (unsafe)
    --version           print the version
    --help              print this help

  Server options (serve)
    --port N            port to listen on (default 8080)
    --max-frame BYTES   largest frame accepted (default 65536)
    --max-clients N     connections at once (default 10000)
    --rate N            commands per second per connection; 0 = no limit (default 10)
    --burst N           commands a connection may send at once (default 20)
    --tls-cert FILE     serve TLS with this certificate (PEM) ...
    --tls-key FILE      ... and this private key (PEM)
    --redis URL         join other serve processes into one room over Redis
                        (default $REDIS_URL)

  Pipe mode
    When stdin is not a terminal (or with --json), each input line is a message
    or a command (/rename, /who, /quit); events are printed one per line.

  Examples
    $ npx codechat-tui --host chat.example.com --user alice
    $ codechat-tui --serve
    $ codechat-tui serve --listen 0.0.0.0
    $ echo "deploy done" | codechat-tui --host chat.example.com --user ci
`;

function camelCase(name: string): string {
	return name.replaceAll(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

const known = new Set([...Object.keys(flagDefinitions), 'help', 'version']);

/** The first flag in argv that we do not know, or undefined. Stops at "--". */
export function findUnknownFlag(argv: readonly string[]): string | undefined {
	for (const argument of argv) {
		if (argument === '--') return undefined;
		if (!argument.startsWith('-') || /^-\d/.test(argument)) continue;
		if (!argument.startsWith('--')) return argument;
		let name = argument.slice(2).split('=')[0];
		if (name.startsWith('no-')) name = name.slice(3);
		if (!known.has(camelCase(name))) return argument.split('=')[0];
	}

	return undefined;
}
