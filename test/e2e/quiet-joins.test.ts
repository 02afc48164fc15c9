// Quiet joins in the built CLI, in a real pty against a real server: ten
// clients joining in a row show as one line in the watching TUI, and one
// that joins and quits at once is not shown at all, and leaves and renames in
// a row fold the same way; with the config file's
// `[display] quiet-joins = false` each join has its own line again.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closePtys, spawnCli, type PtyScreen} from '../helpers/pty.js';
import {closeRawClients, connectUser, type Frame, type RawClient} from '../helpers/raw-client.js';
import {closeTestServers, startTestServer} from '../helpers/server.js';

const configHome = mkdtempSync(path.join(tmpdir(), 'codechat-quiet-e2e-'));

afterAll(() => {
	rmSync(configHome, {recursive: true, force: true});
});

afterEach(async () => {
	await closePtys();
	await closeRawClients();
	await closeTestServers();
});

function watcher(port: number, config: string): PtyScreen {
	const file = path.join(configHome, `${Math.random().toString(36).slice(2)}.toml`);
	writeFileSync(file, config);
	return spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', 'alice', '--config', file], {cols: 100, rows: 30, env: {XDG_CONFIG_HOME: configHome}});
}

/** The message pane: what comes before the "│" on each row. */
const pane = (screen: PtyScreen) => screen.lines().map(line => line.split('│')[0] ?? '').join('\n');

/** Connects u1…u10 one after the other, so the joins arrive in that order. */
async function tenJoin(port: number): Promise<void> {
	for (let index = 1; index <= 10; index++) await connectUser(port, `u${index}`);
}

describe('quiet joins in the TUI', () => {
	it('folds ten joins into one line, and shows nothing of a client that joins and quits at once', async () => {
		const server = await startTestServer({rate: 0});
		const alice = watcher(server.port, '');
		await alice.waitForText('Users (1)');
		await tenJoin(server.port);
		await alice.waitForText('→ 10 joined: u1, u2, u3, … (+7)');
		const passer = await connectUser(server.port, 'passer');
		passer.destroy();
		await passer.closed;
		await connectUser(server.port, 'u11');
		await alice.waitForText('→ 11 joined: u1, u2, u3, … (+8)');
		expect(pane(alice)).not.toMatch(/passer|u\d+ joined/);
	});

	it('folds leaves and renames in a row into one line, after what was said', async () => {
		const server = await startTestServer({rate: 0});
		const alice = watcher(server.port, '');
		await alice.waitForText('Users (1)');
		const [bob, carol, dave] = [await connectUser(server.port, 'bob'), await connectUser(server.port, 'carol'), await connectUser(server.port, 'dave')];
		await alice.waitForText('→ 3 joined: bob, carol, dave');
		// Each says something: a leave of someone who spoke is shown.
		for (const [client, name] of [[bob, 'bob'], [carol, 'carol'], [dave, 'dave']] as const) client.sendFrame({cmd: 'msg', msg: `${name} was here`});
		await alice.waitForText('dave was here');
		bob.destroy();
		carol.destroy();
		await alice.waitForText('← 2 left: bob, carol');
		dave.sendFrame({cmd: 'rename', oldname: 'dave', newname: 'david'});
		await alice.waitForText('← 2 left: bob, carol · 1 renamed: dave → david');
		expect(pane(alice)).not.toMatch(/← bob left|carol left/);
	});

	it('names someone who came and went once, and keeps the reason a part gave', async () => {
		const server = await startTestServer({rate: 0});
		const alice = watcher(server.port, '');
		await alice.waitForText('Users (1)');
		alice.type('/join #dev\r');
		await alice.waitForText('you joined #dev');
		const ask = async (client: RawClient, frame: Frame) => {
			client.sendFrame(frame);
			await client.expectStatus(true);
		};

		const [bob, carol, dave] = [await connectUser(server.port, 'bob'), await connectUser(server.port, 'carol'), await connectUser(server.port, 'dave')];
		await ask(bob, {cmd: 'join', room: '#dev'});
		await ask(carol, {cmd: 'join', room: '#dev'});
		await alice.waitForText('→ 2 joined: bob, carol');
		await ask(carol, {cmd: 'part', room: '#dev', msg: 'gone fishing'});
		// In and out twice, then in: dave is named once, as someone who is here.
		for (const room of ['#dev', '#dev']) {
			await ask(dave, {cmd: 'join', room});
			await ask(dave, {cmd: 'part', room});
		}
		await ask(dave, {cmd: 'join', room: '#dev'});
		await alice.waitForText('→ 3 joined: bob, carol, dave · ← 1 left: carol (gone fishing)');
		expect(pane(alice)).not.toMatch(/dave, dave|left: dave/);
	});

	it('gives each join its own line with [display] quiet-joins = false', async () => {
		const server = await startTestServer({rate: 0});
		const alice = watcher(server.port, '[display]\nquiet-joins = false\n');
		await alice.waitForText('Users (1)');
		await tenJoin(server.port);
		await alice.waitForText('→ u10 joined');
		expect(pane(alice)).toMatch(/→ u1 joined[\s\S]*→ u2 joined/);
		expect(pane(alice)).not.toMatch(/\d+ joined:/);
	});
});
