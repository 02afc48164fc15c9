// TLS end to end: the reference server with --tls-cert/--tls-key, the real
// ChatClient verifying by default, trusting a private CA when given one,
// and skipping verification only when asked. Certificates are made by
// openssl at test time (test/helpers/tls.ts).
import {EventEmitter} from 'node:events';
import tls from 'node:tls';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {ServerOptionsError} from '../../source/server/options.js';
import {runServe} from '../../source/server/serve-command.js';
import type {ChatServer} from '../../source/server/server.js';
import {closeTestClients, sleep, testClient} from '../client/recorder.js';
import {closeTestServers, startTestServer, waitUntil} from '../helpers/server.js';
import {makeTestCertificates, type TestCertificates} from '../helpers/tls.js';

let certs: TestCertificates;

beforeAll(() => {
	certs = makeTestCertificates();
});

afterAll(() => {
	certs.remove();
});

afterEach(async () => {
	closeTestClients();
	await closeTestServers();
});

/** A TLS server whose log lines are kept, to count failed handshakes. */
async function tlsServer(pair: {cert: Buffer; key: Buffer}): Promise<{server: ChatServer; lines: string[]}> {
	const lines: string[] = [];
	const server = await startTestServer({tls: {cert: pair.cert, key: pair.key}, quiet: false, log: line => lines.push(line)});
	return {server, lines};
}

const failedHandshakes = (lines: string[]) => lines.filter(line => line.includes('TLS handshake failed')).length;

describe('TLS', () => {
	it('carries a chat when the client trusts the private CA', async () => {
		const {server} = await tlsServer(certs.leaf);
		const alice = testClient({port: server.port, user: 'alice', tls: {ca: certs.ca.cert}});
		const bob = testClient({port: server.port, user: 'bob', tls: {ca: certs.ca.cert, servername: 'localhost'}});
		await alice.events.waitFor('connected');
		await bob.events.waitFor('connected');
		await alice.events.waitFor('enter', event => event.user === 'bob');
		alice.client.send('hello over TLS');
		expect(await bob.events.waitFor('message')).toMatchObject({user: 'alice', text: 'hello over TLS'});
		await alice.events.waitFor('sent');
		expect(alice.events.of('error')).toEqual([]);
	});

	it('refuses a self-signed certificate by default, says what to do, and does not retry', async () => {
		const {server} = await tlsServer(certs.selfSigned);
		const alice = testClient({port: server.port, user: 'alice', tls: {}, backoff: {baseMs: 200, capMs: 1000}});
		const error = await alice.events.waitFor('error');
		expect(error.message).toBe(`cannot trust the TLS certificate of 127.0.0.1:${server.port} (DEPTH_ZERO_SELF_SIGNED_CERT) — pass the server's CA certificate with --tls-ca, or check the host name.`);
		// Retrying cannot make the certificate trusted: the client stops, and says it will not reconnect.
		expect(await alice.events.waitFor('disconnected')).toMatchObject({willReconnect: false});
		await sleep(1000);
		expect(alice.events.of('reconnecting')).toEqual([]);
		expect(alice.events.of('error')).toHaveLength(1);
		expect(alice.events.of('connected')).toEqual([]);
		expect(server.users).toBe(0);
	});

	it('refuses a certificate from a CA it was not given', async () => {
		const {server} = await tlsServer(certs.leaf);
		const alice = testClient({port: server.port, user: 'alice', tls: {}, reconnect: false});
		expect((await alice.events.waitFor('error')).message).toMatch(/^cannot trust the TLS certificate of .* \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\) — .*--tls-ca/);
		expect(alice.events.of('connected')).toEqual([]);
	});

	it('refuses an expired certificate, saying it expired', async () => {
		const {server} = await tlsServer(certs.expired);
		const alice = testClient({port: server.port, user: 'alice', tls: {ca: certs.ca.cert}, reconnect: false});
		expect((await alice.events.waitFor('error')).message).toBe(`the TLS certificate of 127.0.0.1:${server.port} has expired (CERT_HAS_EXPIRED) — the server must renew it; --insecure skips the check (unsafe).`);
		expect(alice.events.of('connected')).toEqual([]);
	});

	it('refuses a certificate for another host name, saying so', async () => {
		const {server} = await tlsServer(certs.wrongHost);
		const alice = testClient({port: server.port, user: 'alice', tls: {ca: certs.ca.cert}, reconnect: false});
		expect((await alice.events.waitFor('error')).message).toBe(`the TLS certificate of 127.0.0.1:${server.port} is not issued for 127.0.0.1 (ERR_TLS_CERT_ALTNAME_INVALID) — connect with the host name the certificate names.`);
		expect(alice.events.of('connected')).toEqual([]);
	});

	it('connects to a self-signed server only when verification is turned off (--insecure)', async () => {
		const {server} = await tlsServer(certs.selfSigned);
		const alice = testClient({port: server.port, user: 'alice', tls: {rejectUnauthorized: false}});
		const bob = testClient({port: server.port, user: 'bob', tls: {rejectUnauthorized: false}});
		await alice.events.waitFor('connected');
		await bob.events.waitFor('connected');
		await bob.events.waitFor('roster', roster => roster.users.length === 2);
		bob.client.send('insecure but working');
		expect(await alice.events.waitFor('message')).toMatchObject({user: 'bob', text: 'insecure but working'});
	});

	it('survives plain-TCP clients on the TLS port and TLS clients on a plain port', async () => {
		const {server, lines} = await tlsServer(certs.leaf);
		// A plain client: its JSON is no TLS hello, the handshake fails, the server carries on.
		const plain = testClient({port: server.port, user: 'plain', reconnect: false, connectTimeoutMs: 2000});
		await plain.events.waitFor('disconnected', undefined, 15_000);
		await waitUntil(() => failedHandshakes(lines) >= 1, 15_000, 'the failed handshake to be logged');
		expect(lines.join('\n')).not.toContain('connect plain');
		const alice = testClient({port: server.port, user: 'alice', tls: {ca: certs.ca.cert}});
		await alice.events.waitFor('connected');

		const plainServer = await startTestServer();
		const confused = testClient({port: plainServer.port, user: 'bob', tls: {ca: certs.ca.cert}, reconnect: false, connectTimeoutMs: 2000});
		expect((await confused.events.waitFor('error', undefined, 15_000)).message).toMatch(/TLS|tls/);
	});
});

describe('serve --tls-cert --tls-key', () => {
	it('reads the files, says TLS in the listening line, and serves TLS', async () => {
		const signals = new EventEmitter();
		const lines: string[] = [];
		let server: ChatServer | undefined;
		const finished = runServe({port: 0, tlsCert: certs.leaf.certFile, tlsKey: certs.leaf.keyFile}, {
			signals,
			log: line => lines.push(line),
			onListening(started) {
				server = started;
			},
			options: {quiet: true},
		});
		await waitUntil(() => server !== undefined, 15_000, 'the server to listen');
		expect(lines[0]).toBe(`codechat-tui server listening on 127.0.0.1:${server!.port} (TLS)`);

		const socket = tls.connect({host: '127.0.0.1', port: server!.port, ca: certs.ca.cert});
		await new Promise<void>((resolve, reject) => {
			socket.once('secureConnect', resolve);
			socket.once('error', reject);
		});
		socket.write('{"cmd":"connect","username":"alice"}\n');
		const reply = await new Promise<string>(resolve => {
			socket.once('data', (chunk: Buffer) => resolve(chunk.toString()));
		});
		expect(JSON.parse(reply)).toMatchObject({'success': true, 'error-msg': '', 'success-msg': 'welcome alice'});
		socket.destroy();
		signals.emit('SIGTERM');
		await finished;
	});

	it('fails before listening on an unreadable, non-PEM or mismatched file, saying which', async () => {
		const run = async (tlsCert: string, tlsKey: string) => runServe({port: 0, tlsCert, tlsKey}, {signals: new EventEmitter(), log() {}, options: {quiet: true}});
		await expect(run('/nonexistent/cert.pem', certs.leaf.keyFile)).rejects.toThrow(ServerOptionsError);
		await expect(run('/nonexistent/cert.pem', certs.leaf.keyFile)).rejects.toThrow('cannot read the certificate /nonexistent/cert.pem given to --tls-cert (ENOENT)');
		await expect(run(certs.leaf.certFile, certs.dir + '/leaf.ext')).rejects.toThrow('is not a PEM file');
		await expect(run(certs.leaf.certFile, certs.selfSigned.keyFile)).rejects.toThrow('the key does not belong to the certificate');
		await expect(runServe({port: 0, tlsCert: certs.leaf.certFile}, {signals: new EventEmitter(), log() {}})).rejects.toThrow('--tls-cert and --tls-key go together');
	});
});
