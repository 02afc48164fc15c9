// The built CLI in a pty with a config file that sets every key: each one
// reaches the screen. Host, port and user connect it; the backlog, highlight
// words and ignore list shape what is shown; seconds and date lines are in
// the times; the colours are in the cells xterm draws (true colour and the
// 16-colour palette); a rebound key does its command and its default no
// longer does (room-by-number's keys count in order); /help lists the keys
// in use.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli} from '../helpers/pty.js';
import {closeRealLogServers, startRealLogServer} from '../helpers/real-log-server.js';

const directory = mkdtempSync(path.join(tmpdir(), 'codechat-config-screen-'));
afterEach(async () => {
	await closePtys();
	await closeRealLogServers();
});
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

/** magentaBright, as xterm numbers its 16 colours. */
const MAGENTA_BRIGHT = 'palette 13';

describe('the config file on the screen', () => {
	it('applies every key: connection, backlog, highlight, ignore, timestamps, colours, keys, notifications, display', async () => {
		const server = await startRealLogServer();
		await server.fill('bob', ['old 1', 'old 2', 'old 3', 'old 4', 'old 5']);
		const file = path.join(directory, 'every-key.toml');
		writeFileSync(file, [
			'host = "127.0.0.1"',
			`port = ${server.port}`,
			'user = "ann"',
			'tls = false',
			'backlog = 3',
			'highlight = ["deploy"]',
			'ignore = ["spammer"]',
			'[timestamps]',
			'seconds = true',
			'date-lines = true',
			'[colours]',
			'own-nick = "#ff8800"',
			'mention = "magentaBright"',
			'[keys]',
			'kill-to-start = "Alt-U"',
			'open-switcher = ["Ctrl-T"]',
			'room-by-number = ["Alt-Q", "Alt-W"]',
			'[notifications]',
			'method = "bell"',
			'[display]',
			'quiet-joins = true',
		].join('\n') + '\n');
		const ann = spawnCli(['--config', file], {rows: 90, env: {FORCE_COLOR: '3', COLORTERM: 'truecolor', XDG_CONFIG_HOME: path.join(directory, 'config'), XDG_STATE_HOME: path.join(directory, 'state')}});

		// Connected as ann, with the last three of the log under the rule.
		await ann.waitForText('3 earlier messages above');
		await ann.waitForText(/\*ann/);
		expect(ann.text()).not.toMatch(/old 2\b/);
		// Seconds in every time; the date above the oldest message.
		expect(ann.text()).toMatch(/\d\d:\d\d:\d\d bob old 3/);
		const dateRow = ann.lines().findIndex(line => /— \w+day \d{1,2} \w+ \d{4} —/.test(line));
		expect(dateRow).toBeGreaterThanOrEqual(0);
		expect(dateRow).toBeLessThan(ann.lines().findIndex(line => line.includes('old 3')));
		expect(ann.cellsMatching(/— \w+day/)?.every(cell => cell.dim)).toBe(true);

		// A highlight word mentions you: name inverse in the mention colour, and the text too.
		await server.say('bob', 'the deploy is done');
		await ann.waitForText('the deploy is done');
		expect(ann.cellsMatching(/\d (bob) the deploy/)?.map(cell => [cell.fg, cell.inverse])).toEqual([[MAGENTA_BRIGHT, true], [MAGENTA_BRIGHT, true], [MAGENTA_BRIGHT, true]]);
		expect(ann.cellsMatching(/bob the (deploy)/)?.every(cell => cell.fg === MAGENTA_BRIGHT)).toBe(true);
		// method = "bell": the mention rings it, with no desktop notification.
		await ann.waitFor(() => ann.output.replaceAll(/\x1b\][^\x07]*\x07/g, '').includes('\x07'), 10_000, 'the bell');
		expect(ann.output).not.toMatch(/\x1b\](?:777;notify|9);/);
		// The ignored name says nothing here.
		await server.say('spammer', 'buy now');
		await server.say('bob', 'after the spam');
		await ann.waitForText('after the spam');
		expect(ann.text()).not.toContain('buy now');

		// Your own name in its colour, in the pane and in the user list.
		ann.type('hello\r');
		await ann.waitForText(/\d (ann) hello/);
		expect(ann.cellsMatching(/\d (ann) hello/)?.map(cell => cell.fg)).toEqual(['#ff8800', '#ff8800', '#ff8800']);
		expect(ann.cellsMatching(/\*(ann)/)?.map(cell => cell.fg)).toEqual(['#ff8800', '#ff8800', '#ff8800']);

		// In another room, the list counts a mention in #lobby in the mention colour.
		ann.type('/join #dev\r');
		await ann.waitForText('▸2 #dev');
		await server.say('bob', 'ann: over here');
		await ann.waitForText(/1 #lobby +1 @1/);
		expect(ann.cellsMatching(/#lobby +(1 @1)/)?.every(cell => cell.fg === MAGENTA_BRIGHT)).toBe(true);

		// Alt-1 no longer shows the first conversation; Alt-Q, first in room-by-number's list, does.
		ann.type('\x1b1z');
		await ann.waitForText('> z');
		expect(ann.text()).toContain('▸2 #dev');
		ann.type('\x1bq');
		await ann.waitForText('▸1 #lobby');
		await ann.waitFor(() => ann.lines().some(line => line.trimEnd() === '>'), 10_000, 'the empty draft of #lobby');

		// Ctrl-U no longer clears the draft; Alt-U does.
		ann.type('abc\x15d');
		await ann.waitForText('> abcd');
		ann.type('\x1bue');
		await ann.waitFor(() => ann.lines().some(line => line.trimEnd() === '> e'), 10_000, 'the draft cleared by Alt-U');
		// Ctrl-G no longer opens the switcher; Ctrl-T does.
		ann.type('\x07f');
		await ann.waitForText('> ef');
		expect(ann.text()).not.toContain('switch to:');
		ann.type('\x14');
		await ann.waitForText('switch to:');
		ann.type('\x1b');
		await ann.waitForText('> ef');

		// /help keys names the keys in use.
		ann.type('\x1bu/help keys\r');
		await ann.waitForText('delete to the start of the line');
		const helpLine = ann.lines().find(line => line.includes('delete to the start of the line'))!;
		expect(helpLine).toContain('Alt-U');
		expect(helpLine).not.toContain('Ctrl-U');
		expect(ann.text()).toMatch(/Ctrl-T\s+switch conversation by name/);
		expect(ann.text()).toMatch(/Alt-Q, Alt-W\s+the conversation with that/);

		ann.type('/quit\r');
		expect(await ann.waitExit()).toBe(0);
	});
});
