// The built CLI with a config file: a bad one is one line and exit 2 before
// anything connects; `config` prints the settings and where each comes from.
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

describe('codechat-tui config', () => {
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
