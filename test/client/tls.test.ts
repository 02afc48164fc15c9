// ChatClient over TLS: a trusted self-signed certificate connects; an
// untrusted one and a plain-TCP port give errors that say what to do.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {closeTestClients, testClient} from './recorder.js';
import {ok, startScriptedServer} from './scripted-server.js';

const hasOpenssl = (() => {
	try {
		execFileSync('openssl', ['version'], {stdio: 'ignore'});
		return true;
	} catch {
		return false;
	}
})();

let directory = '';
let cert = '';
let key = '';
const closers: Array<() => Promise<void>> = [];

beforeAll(() => {
	if (!hasOpenssl) return;
	directory = mkdtempSync(path.join(tmpdir(), 'codechat-tls-'));
	execFileSync('openssl', [
		'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
		'-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
		'-keyout', path.join(directory, 'key.pem'), '-out', path.join(directory, 'cert.pem'),
	], {stdio: 'ignore'});
	cert = readFileSync(path.join(directory, 'cert.pem'), 'utf8');
	key = readFileSync(path.join(directory, 'key.pem'), 'utf8');
});

afterAll(() => {
	if (directory) rmSync(directory, {recursive: true, force: true});
});

afterEach(async () => {
	closeTestClients();
	await Promise.all(closers.splice(0).map(async close => close()));
});

/** A TLS server that answers connect and get-clients in our dialect. */
async function startTlsServer(): Promise<number> {
	const server = tls.createServer({cert, key}, socket => {
		socket.on('error', () => {});
		let inbox = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => {
			inbox += chunk;
			let newline;
			while ((newline = inbox.indexOf('\n')) !== -1) {
				const frame = JSON.parse(inbox.slice(0, newline)) as {cmd: string};
				inbox = inbox.slice(newline + 1);
				socket.write(JSON.stringify(frame.cmd === 'get-clients' ? ok('alice', ['alice']) : ok('welcome')) + '\n');
			}
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	closers.push(async () => new Promise<void>(resolve => {
		server.close(() => resolve());
	}));
	return (server.address() as net.AddressInfo).port;
}

describe.skipIf(!hasOpenssl)('ChatClient over TLS', () => {
	it('connects when the CA is trusted', async () => {
		const port = await startTlsServer();
		const a = testClient({port, user: 'alice', tls: {ca: cert}});
		expect(await a.events.waitFor('roster')).toEqual({users: ['alice'], complete: true, source: 'connect', conversation: '#lobby'});
	});

	it('says what to do about an untrusted certificate', async () => {
		const port = await startTlsServer();
		const a = testClient({port, user: 'alice', tls: {}, reconnect: false});
		const error = await a.events.waitFor('error');
		expect(error.message).toBe(`cannot trust the TLS certificate of 127.0.0.1:${port} (DEPTH_ZERO_SELF_SIGNED_CERT) — pass the server's CA certificate with --tls-ca, or check the host name.`);
	});

	it('says so when the port does not speak TLS', async () => {
		const plain = await startScriptedServer(connection => {
			connection.socket.write('{"success": false, "error-msg": "not tls", "success-msg": ""}\n');
		});
		closers.push(async () => plain.close());
		const a = testClient({port: plain.port, user: 'alice', tls: {ca: cert}, reconnect: false});
		const error = await a.events.waitFor('error');
		expect(error.message).toMatch(new RegExp(`^TLS (handshake )?with 127\\.0\\.0\\.1:${plain.port} failed`));
	});

	it('rejects tls together with a custom transport', () => {
		expect(() => testClient({port: 1, user: 'a', tls: {}, transport: () => new net.Socket(), start: false})).toThrow(/either tls or transport/);
	});
});
