// `codechat-tui config`: each setting with the layer that gave it.
import {describe, expect, it} from 'vitest';
import {parseConfigText} from '../../source/cli/config-file.js';
import {settingsReport, type ReportInput} from '../../source/cli/config-report.js';

const FILE = '/home/ann/.config/codechat-tui/config.toml';

function report(flags: ReportInput['flags'], environment: ReportInput['environment'], text: string | undefined): string {
	const parsed = parseConfigText(text ?? '', FILE, '/home/ann');
	if (!parsed.ok) throw new Error(parsed.error);
	const result = settingsReport({flags, environment, login: 'ann', file: {path: FILE, found: text !== undefined, settings: parsed.settings}});
	if (!result.ok) throw new Error(result.error);
	return result.text;
}

/** The row of one setting, spaces squeezed. */
const row = (text: string, name: string) => text.split('\n').find(line => line.startsWith(name + ' '))?.replaceAll(/ +/g, ' ');

describe('the settings report', () => {
	it('names the default for each setting when nothing is given', () => {
		const text = report({}, {}, undefined);
		expect(text.split('\n')[0]).toBe(`config file: ${FILE} (not there: the defaults apply)`);
		expect(row(text, 'host')).toBe('host localhost (default)');
		expect(row(text, 'port')).toBe('port 8080 (default)');
		expect(row(text, 'user')).toBe('user ann (your login name)');
		expect(row(text, 'tls')).toBe('tls off (default)');
		expect(row(text, 'backlog')).toBe('backlog 50 (0 in pipe mode) (default)');
		expect(row(text, 'notifications')).toBe('notifications auto (bell here) (default)');
		expect(row(text, 'display')).toBe('display quiet joins on (default)');
	});

	it('names the file, the environment and the flags where they win', () => {
		const file = 'host = "chat.example.com:7000"\nuser = "zed"\nhighlight = ["deploy"]\nbacklog = 20\n[notifications]\nmethod = "osc9"\n[display]\nquiet-joins = false\n';
		const fromFile = report({}, {}, file);
		expect(fromFile.split('\n')[0]).toBe(`config file: ${FILE}`);
		expect(row(fromFile, 'host')).toBe('host chat.example.com (config file)');
		expect(row(fromFile, 'port')).toBe('port 7000 (config file)');
		expect(row(fromFile, 'user')).toBe('user zed (config file)');
		expect(row(fromFile, 'backlog')).toBe('backlog 20 (config file)');
		expect(row(fromFile, 'notifications')).toBe('notifications osc9 (config file)');
		expect(row(fromFile, 'display')).toBe('display quiet joins off (config file)');

		const over = report({port: '9000', highlight: ['release'], backlog: '5'}, {CODECHAT_HOST: 'env.example', CODECHAT_USER: 'envy'}, file);
		expect(row(over, 'host')).toBe('host env.example ($CODECHAT_HOST)');
		expect(row(over, 'port')).toBe('port 9000 (--port)');
		expect(row(over, 'user')).toBe('user envy ($CODECHAT_USER)');
		expect(row(over, 'backlog')).toBe('backlog 5 (--backlog)');
		expect(row(over, 'highlight')).toBe('highlight deploy, release (config file, --highlight)');
		expect(row(report({}, {CODECHAT_HOST: 'env.example:7100'}, file), 'port')).toBe('port 7100 ($CODECHAT_HOST)');
	});
});
