// The built CLI with a config file: a bad one (bad TOML, an unknown key, a
// wrong type, a bad value) is one line naming the file, line and key, and
// exit 2 before anything connects; `config` prints every setting of a file
// that gives them all, and where each comes from, flags winning over it.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli-process.js';

const directory = mkdtempSync(path.join(tmpdir(), 'codechat-config-process-'));
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

function configFile(name: string, text: string): string {
	const file = path.join(directory, name);
	writeFileSync(file, text);
	return file;
}

describe('a bad config file', () => {
	it('stops the client with one line naming the file, line and key, and exit 2', async () => {
		const file = configFile('bad.toml', 'user = "ann"\n[timestamps]\nsecnds = true\n');
		// Pipe mode would connect at once: nothing may happen before the file is checked.
		const result = await runCli(['--config', file, '--port', '1'], 'hello\n');
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(`codechat-tui: ${file}:3: timestamps.secnds: unknown key "secnds"; did you mean "seconds"? The keys here are seconds, date-lines. (see codechat-tui --help)\n`);
	});

	it('is an error when --config names a file that is not there', async () => {
		const missing = await runCli(['--config', path.join(directory, 'none.toml')], '');
		expect(missing.status).toBe(2);
		expect(missing.stderr).toMatch(/^codechat-tui: cannot read the config file .*none\.toml: there is no such file \(given with --config\)/);
	});

	it('is found in $XDG_CONFIG_HOME', async () => {
		const home = mkdtempSync(path.join(directory, 'xdg-'));
		mkdirSync(path.join(home, 'codechat-tui'));
		writeFileSync(path.join(home, 'codechat-tui', 'config.toml'), 'port = 0\n');
		const result = await runCli([], '', {XDG_CONFIG_HOME: home});
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(`codechat-tui: ${path.join(home, 'codechat-tui', 'config.toml')}:1: port: must be a port number from 1 to 65535, not 0 (see codechat-tui --help)\n`);
	});
});

describe('each kind of bad file', () => {
	it.each([
		['bad TOML', 'user = "ann"\nport = = 1\n', /^:2:8: port: not valid TOML: .+/],
		['an unknown key', '[display]\nquiet-join = true\n', /^:2: display\.quiet-join: unknown key "quiet-join"; did you mean "quiet-joins"\? The keys here are quiet-joins\./],
		['a wrong type', 'user = "ann"\n\n[mouse]\nwheel = "yes"\n', /^:4: mouse\.wheel: must be true or false, not "yes"/],
		['a bad value', 'backlog = 5000\n', /^:1: backlog: must be a number of messages from 0 to 1000, not 5000/],
		['a bad key binding', '[keys]\nsubmit = "Hyper-A"\n', /^:2: keys\.submit: "Hyper" in "Hyper-A" is not a modifier/],
	])('%s: one line on stderr, nothing on stdout, exit 2, for the client and for `config`', async (_kind, text, expected) => {
		const file = configFile(`bad-${_kind.replaceAll(' ', '-')}.toml`, text);
		for (const args of [['--config', file, '--port', '1'], ['config', '--config', file]]) {
			const result = await runCli(args, 'hello\n');
			expect(result.status, args.join(' ')).toBe(2);
			expect(result.stdout).toBe('');
			expect(result.stderr.startsWith(`codechat-tui: ${file}:`), result.stderr).toBe(true);
			expect(result.stderr.slice(`codechat-tui: ${file}`.length)).toMatch(expected);
			expect(result.stderr.endsWith(' (see codechat-tui --help)\n')).toBe(true);
			expect(result.stderr.split('\n')).toHaveLength(2);
		}
	});
});

/** Every key the README documents, none at its default. */
const everyKey = `host = "chat.example.com:7000"
user = "ann"
tls = true
tls-ca = "certs/ca.pem"
insecure = false
backlog = 100
highlight = ["deploy", "on call"]
ignore = ["spammer"]

[timestamps]
seconds = true
date-lines = true

[colours]
own-nick = "cyanBright"
mention = "#ff8800"

[keys]
scroll-page-up = ["PgUp", "Ctrl-B"]
open-editor = "Ctrl-X Ctrl-E"

[notifications]
method = "osc9"

[display]
quiet-joins = false

[mouse]
wheel = true
`;

/** The rows after the first, each as [name, value, source]: the columns are two spaces or more apart. */
const reportRows = (stdout: string) => stdout.trimEnd().split('\n').slice(1).map(line => line.split(/ {2,}/));

describe('codechat-tui config', () => {
	it('reports every key of a file that gives them all, each from the config file', async () => {
		const file = configFile('every-key.toml', everyKey);
		const result = await runCli(['config', '--config', file], '');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout.split('\n')[0]).toBe(`config file: ${file}`);
		expect(reportRows(result.stdout)).toEqual([
			['host', 'chat.example.com', '(config file)'],
			['port', '7000', '(config file)'],
			['user', 'ann', '(config file)'],
			['tls', `on, CA ${path.join(directory, 'certs', 'ca.pem')}`, '(config file)'],
			['backlog', '100', '(config file)'],
			['highlight', 'deploy, on call', '(config file)'],
			['ignore', 'spammer', '(config file)'],
			['timestamps', 'seconds on, date lines on', '(config file)'],
			['colours', 'own-nick cyanBright, mention #ff8800', '(config file)'],
			['keys', 'scroll-page-up PgUp/Ctrl-B, open-editor Ctrl-X Ctrl-E', '(config file)'],
			['notifications', 'osc9', '(config file)'],
			['display', 'quiet joins off', '(config file)'],
			['mouse', 'wheel on', '(config file)'],
		]);
	});

	it('takes flags over $CODECHAT_* over the file', async () => {
		const file = configFile('every-key-again.toml', everyKey);
		const result = await runCli(['config', '--config', file, '--host', 'flag.example:9000', '--backlog', '5', '--highlight', 'release', '--tls', '--insecure'], '', {CODECHAT_USER: 'envy'});
		expect(result.stderr).toBe('');
		const rows = new Map(reportRows(result.stdout).map(([name, ...rest]) => [name, rest.join(' ')]));
		expect(rows.get('host')).toBe('flag.example (--host)');
		expect(rows.get('port')).toBe('9000 (--host)');
		expect(rows.get('user')).toBe('envy ($CODECHAT_USER)');
		expect(rows.get('tls')).toBe('on, certificate not checked (--tls)');
		expect(rows.get('backlog')).toBe('5 (--backlog)');
		expect(rows.get('highlight')).toBe('deploy, on call, release (config file, --highlight)');
		expect(rows.get('mouse')).toBe('wheel on (config file)');
	});

	it('prints each setting with where it comes from, and connects nowhere', async () => {
		const file = configFile('good.toml', 'host = "chat.example.com:7000"\nhighlight = ["deploy"]\n[notifications]\nmethod = "off"\n');
		const result = await runCli(['config', '--config', file, '--user', 'zed'], '');
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		const rows = result.stdout.split('\n').map(line => line.replaceAll(/ +/g, ' '));
		expect(rows[0]).toBe(`config file: ${file}`);
		expect(rows).toContain('host chat.example.com (config file)');
		expect(rows).toContain('user zed (--user)');
		expect(rows).toContain('highlight deploy (config file)');
		expect(rows).toContain('notifications off (config file)');
	});

	it('refuses what the client would refuse', async () => {
		const result = await runCli(['config', '--port', 'abc'], '');
		expect(result.status).toBe(2);
		expect(result.stderr).toContain('--port must be a port number from 1 to 65535, not "abc"');
	});
});
